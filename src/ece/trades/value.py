"""The fairness hint on a trade offer: what each side is worth at recent market prices."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards.models import Card
from ece.core.money import Asset
from ece.marketdata import service as marketdata
from ece.trades.models import TradeOffer, TradeSide
from ece.trades.pricing import REFERENCE_SALES, reference_price
from ece.trades.queries import TradeView, amounts, get_chain


async def reference_prices(
    session: AsyncSession, offer: TradeOffer, company_ids: Collection[str]
) -> dict[str, dict[Asset, int]]:
    """Each company's reference price per currency for this offer
    (``ece.trades.pricing.reference_price``): evidence neither of its parties made."""
    parties = {offer.maker_user_id, offer.taker_user_id}
    evidence = await marketdata.price_evidence(
        session, sorted(set(company_ids)), excluding=parties, sales=REFERENCE_SALES
    )
    prices: dict[str, dict[Asset, int]] = {}
    for (company_id, asset), seen in evidence.items():
        price = reference_price(parties, seen.listings, seen.sales)
        if price is not None:
            prices.setdefault(company_id, {})[asset] = price
    return prices


@dataclass(frozen=True, slots=True)
class SideValue:
    """One side's value per currency: its tokens at face value plus each card at its company's
    reference price in that currency (``reference_prices``: the same one a swap's price is split
    by); cards with no price in a currency are listed as unpriced there. Currencies are never
    converted."""

    value: dict[Asset, int]
    unpriced: dict[Asset, list[str]]


async def value_hint(session: AsyncSession, view: TradeView) -> dict[TradeSide, SideValue]:
    every = [*view.give_cards, *view.want_cards]
    company_of: dict[str, str] = {}
    if every:
        rows = await session.execute(select(Card.id, Card.company_id).where(Card.id.in_(every)))
        company_of = {row.id: row.company_id for row in rows}
    prices = await reference_prices(session, view.offer, company_of.values())
    hint: dict[TradeSide, SideValue] = {}
    for side, card_ids in ((TradeSide.give, view.give_cards), (TradeSide.want, view.want_cards)):
        tokens = dict(amounts(view.offer, side))
        value: dict[Asset, int] = {}
        unpriced: dict[Asset, list[str]] = {}
        for asset in Asset:
            value[asset] = tokens.get(asset, 0)
            unpriced[asset] = []
            for card_id in card_ids:
                price = prices.get(company_of.get(card_id, ""), {}).get(asset)
                if price is None:
                    unpriced[asset].append(card_id)
                else:
                    value[asset] += price
        hint[side] = SideValue(value, unpriced)
    return hint


@dataclass(frozen=True, slots=True)
class TradeDetail:
    view: TradeView
    chain: list[TradeView]
    hint: dict[TradeSide, SideValue]


async def trade_detail(session: AsyncSession, user_id: str, offer_id: str) -> TradeDetail:
    """One offer as its parties see it: the offer, its counter chain and the fairness hint.
    404 ``trade_offer_not_found`` for anyone but the two parties."""
    view, chain = await get_chain(session, user_id, offer_id)
    return TradeDetail(view, chain, await value_hint(session, view))
