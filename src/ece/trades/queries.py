"""Reading trade offers: views with cards and wallets, the counter chain, the inboxes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.core.clock import seen_status, utcnow
from ece.core.errors import NotFound
from ece.core.money import Asset
from ece.core.pagination import PageParams, newest_first
from ece.trades.models import (
    TradeOffer,
    TradeOfferItem,
    TradeSide,
    TradeStatus,
    active_trade_filter,
)


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


class Box(StrEnum):
    sent = "sent"
    received = "received"


def status_of(offer: TradeOffer, now: datetime | None = None) -> TradeStatus:
    return seen_status(TradeStatus, offer.status, offer.expires_at, now)


def _amount_column(side: TradeSide, asset: Asset) -> str:
    return f"{side.value}_{asset.value.lower()}"


def amounts(offer: TradeOffer, side: TradeSide) -> list[tuple[Asset, int]]:
    return [
        (asset, getattr(offer, _amount_column(side, asset)))
        for asset in Asset
        if getattr(offer, _amount_column(side, asset)) > 0
    ]


# ---------------------------------------------------------------------------------------------
# Reads


async def items_of(
    session: AsyncSession, offer_ids: Sequence[str]
) -> dict[str, list[TradeOfferItem]]:
    found: dict[str, list[TradeOfferItem]] = {offer_id: [] for offer_id in offer_ids}
    if offer_ids:
        rows = await session.scalars(
            select(TradeOfferItem)
            .where(TradeOfferItem.offer_id.in_(list(offer_ids)))
            .order_by(TradeOfferItem.id)
        )
        for item in rows:
            found[item.offer_id].append(item)
    return found


async def views_of(session: AsyncSession, offers: Sequence[TradeOffer]) -> list[TradeView]:
    items = await items_of(session, [o.id for o in offers])
    user_ids = {o.maker_user_id for o in offers} | {o.taker_user_id for o in offers}
    wallets: dict[str, str] = {}
    if user_ids:
        rows = await session.execute(select(User.id, User.address).where(User.id.in_(user_ids)))
        wallets = {row.id: row.address for row in rows}
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


async def offer_for(session: AsyncSession, user_id: str, offer_id: str) -> TradeOffer:
    """The offer if ``user_id`` is one of its parties; 404 for everyone else (no leak)."""
    offer = await session.scalar(
        select(TradeOffer)
        .where(TradeOffer.id == offer_id)
        .execution_options(populate_existing=True)
    )
    if offer is None or user_id not in (offer.maker_user_id, offer.taker_user_id):
        raise NotFound("No such trade offer.", code="trade_offer_not_found")
    return offer


async def get_chain(
    session: AsyncSession, user_id: str, offer_id: str
) -> tuple[TradeView, list[TradeView]]:
    """The offer and every version of its negotiation (ancestors and descendants), oldest
    first. Counters keep the same two parties, so whoever sees one version sees them all."""
    offer = await offer_for(session, user_id, offer_id)
    chain = list(
        await session.scalars(
            select(TradeOffer)
            .where(TradeOffer.root_id == offer.root_id)
            .order_by(TradeOffer.created_at, TradeOffer.id)
        )
    )
    views = await views_of(session, chain)
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
    if box is Box.sent:
        stmt = select(TradeOffer).where(TradeOffer.maker_user_id == user_id)
    elif box is Box.received:
        stmt = select(TradeOffer).where(TradeOffer.taker_user_id == user_id)
    else:
        stmt = select(TradeOffer).where(
            or_(TradeOffer.maker_user_id == user_id, TradeOffer.taker_user_id == user_id)
        )
    now = utcnow()
    if status is TradeStatus.active:
        stmt = stmt.where(active_trade_filter(now))
    elif status is TradeStatus.expired:
        stmt = stmt.where(
            or_(
                TradeOffer.status == TradeStatus.expired.value,
                and_(TradeOffer.status == TradeStatus.active.value, TradeOffer.expires_at <= now),
            )
        )
    elif status is not None:
        stmt = stmt.where(TradeOffer.status == status.value)
    offers: list[TradeOffer]
    offers, cursor = await newest_first(session, stmt, TradeOffer, params)
    return await views_of(session, offers), cursor
