"""Reading offers: one offer, a page of them (by card, company, or the caller's made and
received), and the best open offer in each currency."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.cards import service as cards
from ece.core.clock import utcnow
from ece.core.errors import NotFound, Unauthorized, Unprocessable
from ece.core.money import Asset
from ece.core.pagination import PageParams
from ece.market import repository, rules
from ece.market.models import Offer, OfferKind, OfferStatus
from ece.settlement import service as settlement


class OfferParty(StrEnum):
    made = "made"  # offers the caller made
    received = "received"  # offers the caller could accept with a card they own


@dataclass(frozen=True, slots=True)
class OfferFilters:
    card_id: str | None = None
    company_id: str | None = None
    mine: OfferParty | None = None
    status: OfferStatus = OfferStatus.active


@dataclass(frozen=True, slots=True)
class OfferView:
    offer: Offer
    buyer_address: str

    @property
    def status(self) -> OfferStatus:
        return rules.offer_status(self.offer)


async def views(session: AsyncSession, offers: list[Offer]) -> list[OfferView]:
    wallets = await settlement.addresses(session, [o.buyer_user_id for o in offers])
    return [OfferView(o, wallets[o.buyer_user_id]) for o in offers]


async def view(session: AsyncSession, offer: Offer) -> OfferView:
    return (await views(session, [offer]))[0]


async def get_offer(session: AsyncSession, offer_id: str) -> OfferView:
    offer = await repository.get_offer(session, offer_id)
    if offer is None:
        raise NotFound("No such offer.", code="offer_not_found")
    return await view(session, offer)


async def list_offers(
    session: AsyncSession, filters: OfferFilters, params: PageParams, viewer: User | None
) -> tuple[list[OfferView], str | None]:
    """Offers, newest first. ``card_id`` lists every offer that card could fill (its own and
    matching collection offers); ``mine`` needs a signed-in caller."""
    conditions: list[ColumnElement[bool]] = [repository.offers_in_status(filters.status, utcnow())]
    if filters.card_id:
        card = await cards.find_card(session, filters.card_id)
        if card is None:
            return [], None
        conditions.append(repository.matching_card(card))
    if filters.company_id:
        conditions.append(Offer.company_id == filters.company_id)
    if filters.mine is not None:
        if viewer is None:
            raise Unauthorized("Sign in to see your offers.", code="not_authenticated")
        if filters.mine is OfferParty.made:
            conditions.append(Offer.buyer_user_id == viewer.id)
        else:
            conditions.append(repository.receivable_by(viewer.id))
    rows, cursor = await repository.offer_page(session, conditions, params)
    return await views(session, rows), cursor


async def best_offers(
    session: AsyncSession, *, card_id: str | None = None, company_id: str | None = None
) -> list[OfferView]:
    """The best open offer in each currency: for a card, among its own offers and the
    collection offers it matches; for a company, among its collection offers. Highest price
    wins; the earlier offer wins a tie."""
    if (card_id is None) == (company_id is None):
        raise Unprocessable("Give card or company.", code="invalid_query")
    if card_id is not None:
        card = await cards.find_card(session, card_id)
        if card is None:
            raise NotFound("No such card.", code="card_not_found")
        condition = repository.matching_card(card)
    else:
        condition = (Offer.kind == OfferKind.collection.value) & (Offer.company_id == company_id)
    best = [
        top
        for currency in Asset
        if (top := await repository.best_offer(session, [condition], currency)) is not None
    ]
    return await views(session, best)
