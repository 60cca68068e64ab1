"""Every SQL statement on settlement's table (``sales``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Exists, Table, and_, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.settlement.models import Sale
from ece.settlement.rules import USER, SaleFacts

sales: Table = Sale.__table__  # type: ignore[assignment]
_COLUMNS = tuple(column.key for column in sales.columns)
_FACTS = select(
    sales.c.id,
    sales.c.card_id,
    sales.c.seller_kind,
    sales.c.seller_id,
    sales.c.buyer_user_id,
    sales.c.source,
    sales.c.ref,
    sales.c.executed_at,
)


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
    """Write ``sale`` (every column set) as one Core INSERT: the object is not added to the
    session, so no flush, identity map or returned id costs anything on the hot path."""
    await session.execute(insert(sales), [{key: getattr(sale, key) for key in _COLUMNS}])
    return sale


async def wash_evidence(
    session: AsyncSession, card_id: str, since: datetime, until: datetime, paid: Exists
) -> tuple[list[SaleFacts], bool]:
    """Sales of ``card_id`` between two users within [since, until] (the candidates the wash
    rule, ``rules.is_bounce``, judges) and whether ``paid`` holds, in one statement: a one-row
    anchor left-joined to the candidates, so the flag comes back even when no sale does."""
    anchor = select(literal(1).label("one")).subquery("anchor")
    on = and_(
        sales.c.card_id == card_id,
        sales.c.seller_kind == USER,
        sales.c.executed_at >= since,
        sales.c.executed_at <= until,
    )
    rows = await session.execute(
        select(paid.label("paid"), *_FACTS.selected_columns).select_from(
            anchor.outerjoin(sales, on)
        )
    )
    candidates: list[SaleFacts] = []
    funded = False
    for row in rows:
        funded = bool(row[0])
        if row[1] is not None:
            candidates.append(SaleFacts(*row[1:]))
    return candidates, funded


async def flag_wash_suspects(session: AsyncSession, sale_ids: Sequence[str]) -> None:
    await session.execute(
        update(Sale)
        .where(Sale.id.in_(list(sale_ids)))
        .values(wash_suspect=True)
        .execution_options(synchronize_session="fetch")
    )


async def purchased_since(session: AsyncSession, user_id: str, since: datetime) -> dict[str, int]:
    """What ``user_id`` paid for purchases since ``since``, per currency (one query on the
    ``buyer_user_id, executed_at`` index)."""
    rows = await session.execute(
        select(Sale.currency, func.sum(Sale.price))
        .where(Sale.buyer_user_id == user_id, Sale.executed_at >= since)
        .group_by(Sale.currency)
    )
    return {currency: int(total) for currency, total in rows.all()}


async def has_traded(session: AsyncSession, user_id: str) -> bool:
    """Whether ``user_id`` ever bought a card or sold one of theirs."""
    found = await session.scalar(
        select(Sale.id)
        .where(
            or_(
                Sale.buyer_user_id == user_id,
                and_(Sale.seller_kind == "user", Sale.seller_id == user_id),
            )
        )
        .limit(1)
    )
    return found is not None


async def sales_by_id(session: AsyncSession, sale_ids: Sequence[str]) -> list[Sale]:
    if not sale_ids:
        return []
    return list((await session.scalars(select(Sale).where(Sale.id.in_(sale_ids)))).all())


async def flag_wash_suspect(session: AsyncSession, sale_id: str) -> None:
    await session.execute(update(sales).where(sales.c.id == sale_id).values(wash_suspect=True))


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


async def sales_after(
    session: AsyncSession, after: tuple[datetime, str], until: datetime, limit: int
) -> Sequence[Sale]:
    """Sales after ``after`` (``executed_at``, id) and executed by ``until``, in that order:
    what post-trade monitoring reads next."""
    at, last_id = after
    return (
        await session.scalars(
            select(Sale)
            .where(
                or_(Sale.executed_at > at, and_(Sale.executed_at == at, Sale.id > last_id)),
                Sale.executed_at <= until,
            )
            .order_by(Sale.executed_at, Sale.id)
            .limit(limit)
        )
    ).all()


async def pair_sales(
    session: AsyncSession, user_a: str, user_b: str, since: datetime, until: datetime
) -> int:
    """How many sales between the two users (either way) were executed in [since, until]."""
    pair = or_(
        and_(Sale.seller_id == user_a, Sale.buyer_user_id == user_b),
        and_(Sale.seller_id == user_b, Sale.buyer_user_id == user_a),
    )
    count = await session.scalar(
        select(func.count()).where(
            pair,
            Sale.seller_kind == USER,
            Sale.executed_at >= since,
            Sale.executed_at <= until,
        )
    )
    return int(count or 0)


async def sold_by_user(session: AsyncSession, user_id: str) -> Sequence[Sale]:
    """Every sale in which ``user_id`` was the seller, oldest first."""
    return (
        await session.scalars(
            select(Sale)
            .where(sales.c.seller_kind == USER, sales.c.seller_id == user_id)
            .order_by(sales.c.executed_at, sales.c.id)
        )
    ).all()
