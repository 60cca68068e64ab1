"""Reading trade offers: views with cards and wallets, the counter chain, the inboxes and the
fairness hint (``ece.trades.service`` re-exports these)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.cards import service as cards
from ece.core.clock import utcnow
from ece.core.errors import NotFound
from ece.core.pagination import PageParams
from ece.settlement.service import ReferencePrices
from ece.trades import repository
from ece.trades.models import TradeOffer, TradeSide, TradeStatus
from ece.trades.rules import Box, SideValue, amounts, side_value, status_of


@dataclass(frozen=True, slots=True)
class TradeView:
    """An offer with its cards and the wallets of its parties."""

    offer: TradeOffer
    give_cards: list[str]
    want_cards: list[str]
    maker_address: str
    taker_address: str

    @property
    def status(self) -> TradeStatus:
        return status_of(self.offer)


@dataclass(frozen=True, slots=True)
class TradeDetail:
    view: TradeView
    chain: list[TradeView]
    hint: dict[TradeSide, SideValue]


async def views_of(session: AsyncSession, offers: Sequence[TradeOffer]) -> list[TradeView]:
    items = await repository.items_of(session, [o.id for o in offers])
    wallets = await auth.addresses_of(
        session, {o.maker_user_id for o in offers} | {o.taker_user_id for o in offers}
    )
    return [
        TradeView(
            offer=o,
            give_cards=[i.card_id for i in items[o.id] if i.side == TradeSide.give.value],
            want_cards=[i.card_id for i in items[o.id] if i.side == TradeSide.want.value],
            maker_address=wallets[o.maker_user_id],
            taker_address=wallets[o.taker_user_id],
        )
        for o in offers
    ]


async def view_of(session: AsyncSession, offer: TradeOffer) -> TradeView:
    return (await views_of(session, [offer]))[0]


async def offer_for(session: AsyncSession, user_id: str, offer_id: str) -> TradeOffer:
    """The offer if ``user_id`` is one of its parties; 404 for everyone else (no leak)."""
    offer = await repository.get_offer(session, offer_id)
    if offer is None or user_id not in (offer.maker_user_id, offer.taker_user_id):
        raise NotFound("No such trade offer.", code="trade_offer_not_found")
    return offer


async def get_chain(
    session: AsyncSession, user_id: str, offer_id: str
) -> tuple[TradeView, list[TradeView]]:
    """The offer and every version of its negotiation (ancestors and descendants), oldest
    first. Counters keep the same two parties, so whoever sees one version sees them all."""
    offer = await offer_for(session, user_id, offer_id)
    views = await views_of(session, await repository.chain_of(session, offer.root_id))
    current = next(v for v in views if v.offer.id == offer.id)
    return current, views


async def list_trades(
    session: AsyncSession,
    user_id: str,
    box: Box | None,
    status: TradeStatus | None,
    params: PageParams,
) -> tuple[list[TradeView], str | None]:
    """The caller's offers, newest first: sent (as giver), received, or both."""
    offers, cursor = await repository.page_of_offers(
        session, user_id, box, status, utcnow(), params
    )
    return await views_of(session, offers), cursor


async def value_hint(
    session: AsyncSession, view: TradeView, prices: ReferencePrices
) -> dict[TradeSide, SideValue]:
    """Each side's value at the reference prices a swap of this offer would be split by."""
    every = [*view.give_cards, *view.want_cards]
    company_of = {c.id: c.company_id for c in (await cards.card_holdings(session, every)).values()}
    parties = {view.offer.maker_user_id, view.offer.taker_user_id}
    references = await prices(session, sorted(set(company_of.values())), parties)
    return {
        side: side_value(dict(amounts(view.offer, side)), card_ids, company_of, references)
        for side, card_ids in ((TradeSide.give, view.give_cards), (TradeSide.want, view.want_cards))
    }


async def trade_detail(
    session: AsyncSession, user_id: str, offer_id: str, *, prices: ReferencePrices
) -> TradeDetail:
    """One offer as its parties see it: the offer, its counter chain and the fairness hint.
    404 ``trade_offer_not_found`` for anyone but the two parties."""
    view, chain = await get_chain(session, user_id, offer_id)
    return TradeDetail(view, chain, await value_hint(session, view, prices))
