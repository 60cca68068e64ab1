"""Every SQL statement on the ``companies`` table (the cards domain's issuers)."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnExpressionArgument, ScalarSelect, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Company
from ece.core.db import is_unique_violation
from ece.core.pagination import PageParams, SortKey, paginate


async def ticker_taken(session: AsyncSession, ticker: str) -> bool:
    return await session.scalar(select(Company.id).where(Company.ticker == ticker)) is not None


async def add_company(session: AsyncSession, company: Company) -> bool:
    """Insert the company; False when a concurrent insert took its ticker first."""
    session.add(company)
    try:
        await session.flush()
    except IntegrityError as exc:
        if is_unique_violation(exc):
            return False
        raise
    return True


async def company_by_id_or_ticker(session: AsyncSession, id_or_ticker: str) -> Company | None:
    company = await session.get(Company, id_or_ticker)
    if company is None and len(id_or_ticker) <= 10:
        company = await session.scalar(
            select(Company).where(Company.ticker == id_or_ticker.upper())
        )
    return company


async def company_id_of(session: AsyncSession, id_or_ticker: str) -> str | None:
    return await session.scalar(
        select(Company.id).where(
            or_(Company.id == id_or_ticker, Company.ticker == id_or_ticker.upper())
        )
    )


async def companies_page(
    session: AsyncSession, params: PageParams, *, sector: str | None, name_like: str | None
) -> tuple[list[Company], str | None]:
    stmt = select(Company)
    if sector:
        stmt = stmt.where(func.lower(Company.sector) == sector.lower())
    if name_like:
        stmt = stmt.where(
            or_(
                func.lower(Company.name).like(name_like, escape="\\"),
                func.lower(Company.ticker).like(name_like, escape="\\"),
            )
        )
    return await paginate(session, stmt, [SortKey(Company.ticker)], params, lambda c: [c.ticker])


async def companies_for_minting(
    session: AsyncSession, company_ids: Collection[str]
) -> dict[str, Company]:
    # FOR UPDATE on PostgreSQL: concurrent mints of one company queue here, so serials are
    # allocated one at a time (SQLite writers are serialized already).
    rows = await session.scalars(
        select(Company).where(Company.id.in_(company_ids)).order_by(Company.id).with_for_update()
    )
    return {c.id: c for c in rows}


async def royalty_bps_of(session: AsyncSession, company_ids: Collection[str]) -> dict[str, int]:
    rows = await session.execute(
        select(Company.id, Company.royalty_bps).where(Company.id.in_(list(company_ids)))
    )
    return {row.id: row.royalty_bps for row in rows}


def royalty_subquery(company_id: ColumnExpressionArgument[str]) -> ScalarSelect[int]:
    return select(Company.royalty_bps).where(Company.id == company_id).scalar_subquery()


def company_id_subquery(id_or_ticker: str) -> ScalarSelect[str]:
    return (
        select(Company.id)
        .where(or_(Company.id == id_or_ticker, Company.ticker == id_or_ticker.upper()))
        .limit(1)
        .scalar_subquery()
    )
