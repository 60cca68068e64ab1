"""Every SQL statement on settlement's table (``sales``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.settlement.models import Sale
from ece.settlement.rules import USER, SaleFacts


def facts(sale: Sale) -> SaleFacts:
    return SaleFacts(
        sale.id,
        sale.card_id,
        sale.seller_kind,
        sale.seller_id,
        sale.buyer_user_id,
        sale.source,
        sale.ref,
        sale.executed_at,
    )


async def insert_sale(session: AsyncSession, sale: Sale) -> Sale:
    session.add(sale)
    await session.flush()
    return sale


async def user_sales_of_card(
    session: AsyncSession, card_id: str, since: datetime, until: datetime
) -> list[SaleFacts]:
    """Sales of ``card_id`` between two users within [since, until]: the candidates the wash
    rule (``rules.is_bounce``) judges."""
    rows = await session.scalars(
        select(Sale).where(
            Sale.card_id == card_id,
            Sale.seller_kind == USER,
            Sale.executed_at >= since,
            Sale.executed_at <= until,
        )
    )
    return [facts(sale) for sale in rows]


async def flag_wash_suspects(session: AsyncSession, sale_ids: Sequence[str]) -> None:
    await session.execute(
        update(Sale)
        .where(Sale.id.in_(list(sale_ids)))
        .values(wash_suspect=True)
        .execution_options(synchronize_session="fetch")
    )


async def company_sales(
    session: AsyncSession, company_id: str, since: datetime, until: datetime
) -> Sequence[Sale]:
    """Sales of the company's cards in [since, until), oldest first (its statement)."""
    return (
        await session.scalars(
            select(Sale)
            .where(
                Sale.company_id == company_id,
                Sale.executed_at >= since,
                Sale.executed_at < until,
            )
            .order_by(Sale.executed_at, Sale.id)
        )
    ).all()
