"""Companies: the issuers of cards, and their payable ledger accounts."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import func, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card, Company
from ece.cards.schemas import CompanyIn, CompanyPatch
from ece.cards.search import search_for
from ece.core.db import is_unique_violation
from ece.core.errors import Conflict, NotFound
from ece.core.money import Asset
from ece.core.outbox import emit
from ece.core.pagination import PageParams, SortKey, paginate
from ece.ledger import service as ledger
from ece.ledger.service import OwnerType

# Purposes of a company's ledger accounts, one per asset: what it is owed and will be paid out.
ROYALTIES = "royalties"  # its cut of every resale of its cards
SALES = "sales"  # proceeds of primary sales from its issuer inventory
PAYABLE_PURPOSES = (ROYALTIES, SALES)


def default_color(ticker: str) -> str:
    """A stable colour from the ticker, mid-bright so both black and white text can read on it."""
    digest = hashlib.sha256(ticker.encode()).digest()
    return "#" + "".join(f"{64 + b % 160:02x}" for b in digest[:3])


async def payable_account(
    session: AsyncSession, company_id: str, asset: Asset, purpose: str = ROYALTIES
) -> int:
    """Ledger account id where the company accrues ``purpose`` (royalties or sales) in
    ``asset``; the marketplace credits it, the weekly payout debits it."""
    if purpose not in PAYABLE_PURPOSES:
        raise ValueError(f"unknown payable purpose {purpose!r}")
    return await ledger.account_for(session, OwnerType.company, company_id, asset, purpose)


async def create_company(session: AsyncSession, data: CompanyIn) -> Company:
    """Register a company and open its payable accounts. 409 ``ticker_taken``."""
    if await session.scalar(select(Company.id).where(Company.ticker == data.ticker)):
        raise Conflict(f"Ticker {data.ticker} is taken.", code="ticker_taken")
    company = Company(
        name=data.name,
        ticker=data.ticker,
        sector=data.sector,
        country=data.country,
        website=str(data.website),
        description=data.description,
        royalty_bps=data.royalty_bps,
        payout_address=data.payout_address,
        color=(data.color or default_color(data.ticker)).lower(),
    )
    session.add(company)
    try:
        await session.flush()
    except IntegrityError as exc:  # a concurrent create of the same ticker
        if is_unique_violation(exc):
            raise Conflict(f"Ticker {data.ticker} is taken.", code="ticker_taken") from exc
        raise
    for asset in Asset:
        for purpose in PAYABLE_PURPOSES:
            await payable_account(session, company.id, asset, purpose)
    await emit(session, "company.created", company.id, ticker=company.ticker)
    return company


async def get_company(session: AsyncSession, id_or_ticker: str) -> Company:
    """By id, or by ticker (any case). 404 ``company_not_found``."""
    company = await session.get(Company, id_or_ticker)
    if company is None and len(id_or_ticker) <= 10:
        company = await session.scalar(
            select(Company).where(Company.ticker == id_or_ticker.upper())
        )
    if company is None:
        raise NotFound("No such company.", code="company_not_found")
    return company


async def update_company(session: AsyncSession, id_or_ticker: str, patch: CompanyPatch) -> Company:
    """Change a company's details. Minted cards keep the art and metadata they were minted
    with (content-addressed and on chain); search follows the new name and sector."""
    company = await get_company(session, id_or_ticker)
    changes: dict[str, Any] = patch.model_dump(exclude_unset=True)
    if "website" in changes:
        changes["website"] = str(patch.website)
    if "color" in changes:
        changes["color"] = changes["color"].lower()
    for field, value in changes.items():
        setattr(company, field, value)
    await session.flush()
    if {"name", "sector"} & changes.keys():
        await _reindex_company_cards(session, company)
    await emit(session, "company.updated", company.id, fields=sorted(changes))
    return company


async def _reindex_company_cards(session: AsyncSession, company: Company) -> None:
    # One UPDATE for all its cards; same text as search_text_of(card name, company fields).
    suffix = " " + " ".join([company.name, company.ticker, company.sector])
    await session.execute(
        update(Card)
        .where(Card.company_id == company.id)
        .values(search_text=Card.name + literal(suffix))
        .execution_options(synchronize_session=False)
    )
    card_ids = list(await session.scalars(select(Card.id).where(Card.company_id == company.id)))
    await search_for(session).index(session, card_ids)


async def list_companies(
    session: AsyncSession, params: PageParams, *, sector: str | None, q: str | None
) -> tuple[list[Company], str | None]:
    """Companies by ticker; ``sector`` exact (any case), ``q`` a part of name or ticker."""
    stmt = select(Company)
    if sector:
        stmt = stmt.where(func.lower(Company.sector) == sector.lower())
    if q:
        # Few companies: a LIKE scan is fine. Escape LIKE's wildcards in the user's text.
        escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        stmt = stmt.where(
            or_(
                func.lower(Company.name).like(pattern, escape="\\"),
                func.lower(Company.ticker).like(pattern, escape="\\"),
            )
        )
    return await paginate(session, stmt, [SortKey(Company.ticker)], params, lambda c: [c.ticker])
