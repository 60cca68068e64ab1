"""Companies, the issuers of cards, and their payable ledger accounts: the use cases
``ece.cards.service`` offers (its SQL is in ``company_repository``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.cards import company_repository, repository, rules
from ece.cards.models import Company
from ece.cards.schemas import CompanyIn, CompanyPatch
from ece.cards.search_repository import search_for, set_company_suggestions
from ece.core.errors import Conflict, NotFound
from ece.core.money import Asset
from ece.core.outbox import emit
from ece.core.pagination import PageParams
from ece.ledger import service as ledger

# Purposes of a company's ledger accounts, one per asset: what it is owed and will be paid out.
ROYALTIES = "royalties"  # its cut of every resale of its cards
SALES = "sales"  # proceeds of primary sales from its issuer inventory
PAYABLE_PURPOSES = (ROYALTIES, SALES)


async def payable_account(
    session: AsyncSession, company_id: str, asset: Asset, purpose: str = ROYALTIES
) -> int:
    """Ledger account id where the company accrues ``purpose`` (royalties or sales) in
    ``asset``; the marketplace credits it, the weekly payout debits it."""
    if purpose not in PAYABLE_PURPOSES:
        raise ValueError(f"unknown payable purpose {purpose!r}")
    return await ledger.company_account(session, company_id, asset, purpose)


async def create_company(session: AsyncSession, data: CompanyIn, *, actor: str) -> Company:
    """Register a company and open its payable accounts (audited as ``actor``). 409
    ``ticker_taken``."""
    taken = Conflict(f"Ticker {data.ticker} is taken.", code="ticker_taken")
    if await company_repository.ticker_taken(session, data.ticker):
        raise taken
    company = Company(
        name=data.name,
        ticker=data.ticker,
        sector=data.sector,
        country=data.country,
        website=str(data.website),
        description=data.description,
        royalty_bps=data.royalty_bps,
        payout_address=data.payout_address,
        color=(data.color or rules.default_color(data.ticker)).lower(),
    )
    if not await company_repository.add_company(session, company):
        raise taken  # a concurrent create of the same ticker
    await set_company_suggestions(session, company)
    for asset in Asset:
        for purpose in PAYABLE_PURPOSES:
            await payable_account(session, company.id, asset, purpose)
    await emit(session, "company.created", company.id, ticker=company.ticker)
    details = {"ticker": company.ticker, "royalty_bps": company.royalty_bps}
    await audit.record(
        session,
        actor=actor,
        action="company.created",
        object_type="company",
        object_id=company.id,
        details=details,
    )
    return company


async def get_company(session: AsyncSession, id_or_ticker: str) -> Company:
    """By id, or by ticker (any case). 404 ``company_not_found``."""
    company = await company_repository.company_by_id_or_ticker(session, id_or_ticker)
    if company is None:
        raise NotFound("No such company.", code="company_not_found")
    return company


async def update_company(
    session: AsyncSession, id_or_ticker: str, patch: CompanyPatch, *, actor: str
) -> Company:
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
    if {"name", "ticker"} & changes.keys():
        await set_company_suggestions(session, company)
    if rules.SEARCHED_COMPANY_FIELDS & changes.keys():
        card_ids = await repository.set_company_search_text(session, company)
        await search_for(session).index(session, card_ids)
    await emit(session, "company.updated", company.id, fields=sorted(changes))
    # The changed fields' names only: a payout address or a royalty change is found by name,
    # and the row itself holds the new values.
    await audit.record(
        session,
        actor=actor,
        action="company.updated",
        object_type="company",
        object_id=company.id,
        details={"fields": sorted(changes)},
    )
    return company


async def list_companies(
    session: AsyncSession, params: PageParams, *, sector: str | None, q: str | None
) -> tuple[list[Company], str | None]:
    """Companies by ticker; ``sector`` exact (any case), ``q`` a part of name or ticker."""
    name_like = rules.like_pattern(q) if q else None
    return await company_repository.companies_page(
        session, params, sector=sector, name_like=name_like
    )
