"""Every SQL statement on ``trade_offers`` and ``trade_offer_items``. No decisions here: the
rules are in ``ece.trades.rules``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import ColumnElement, CursorResult, Select, and_, exists, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards import service as cards
from ece.core.feed import FeedSlice, older_than
from ece.core.pagination import PageParams, newest_first
from ece.trades.models import (
    TradeOffer,
    TradeOfferItem,
    TradeSide,
    TradeStatus,
)
from ece.trades.rules import Box


async def add_offer(
    session: AsyncSession, offer: TradeOffer, give_cards: Sequence[str], want_cards: Sequence[str]
) -> None:
    """Insert an offer and its items."""
    session.add(offer)
    for side, card_ids in ((TradeSide.give, give_cards), (TradeSide.want, want_cards)):
        for card_id in card_ids:
            session.add(TradeOfferItem(offer_id=offer.id, card_id=card_id, side=side.value))
    await session.flush()


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


async def get_offer(session: AsyncSession, offer_id: str) -> TradeOffer | None:
    """The offer as it is in the database now (the session's copy is refreshed)."""
    return await session.scalar(
        select(TradeOffer)
        .where(TradeOffer.id == offer_id)
        .execution_options(populate_existing=True)
    )


async def claim(
    session: AsyncSession, offer_id: str, status: TradeStatus, now: datetime, *, expired_ok: bool
) -> bool:
    """Move the offer to ``status`` if ``rules.claimable`` (its SQL twin): one conditional
    UPDATE, so of two racing requests exactly one matches the row."""
    conditions = [TradeOffer.id == offer_id, TradeOffer.status == TradeStatus.active.value]
    if not expired_ok:
        conditions.append(TradeOffer.expires_at > now)
    result = await session.execute(
        update(TradeOffer)
        .where(*conditions)
        .values(status=status.value, closed_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def due_for_expiry(session: AsyncSession, now: datetime, limit: int) -> list[TradeOffer]:
    """Active offers past their expiry, oldest first; claimed with ``SKIP LOCKED`` on
    PostgreSQL so several workers share the work."""
    stmt = (
        select(TradeOffer)
        .where(TradeOffer.status == TradeStatus.active.value, TradeOffer.expires_at <= now)
        .order_by(TradeOffer.expires_at, TradeOffer.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(await session.scalars(stmt))


async def chain_of(session: AsyncSession, root_id: str) -> list[TradeOffer]:
    """Every version of one negotiation, oldest first."""
    return list(
        await session.scalars(
            select(TradeOffer)
            .where(TradeOffer.root_id == root_id)
            .order_by(TradeOffer.created_at, TradeOffer.id)
        )
    )


def _seen_as(status: TradeStatus, now: datetime) -> ColumnElement[bool]:
    """The SQL twin of ``rules.status_of(offer, now) is status``."""
    active = TradeOffer.status == TradeStatus.active.value
    if status is TradeStatus.active:
        return and_(active, TradeOffer.expires_at > now)
    if status is TradeStatus.expired:
        return or_(
            TradeOffer.status == TradeStatus.expired.value,
            and_(active, TradeOffer.expires_at <= now),
        )
    return TradeOffer.status == status.value


def _inbox(user_id: str, box: Box | None) -> Select[TradeOffer]:
    if box is Box.sent:
        return select(TradeOffer).where(TradeOffer.maker_user_id == user_id)
    if box is Box.received:
        return select(TradeOffer).where(TradeOffer.taker_user_id == user_id)
    return select(TradeOffer).where(
        or_(TradeOffer.maker_user_id == user_id, TradeOffer.taker_user_id == user_id)
    )


async def page_of_offers(
    session: AsyncSession,
    user_id: str,
    box: Box | None,
    status: TradeStatus | None,
    now: datetime,
    params: PageParams,
) -> tuple[list[TradeOffer], str | None]:
    """The user's offers in ``box`` whose seen status (``rules.status_of``) is ``status``,
    newest first."""
    stmt = _inbox(user_id, box)
    if status is not None:
        stmt = stmt.where(_seen_as(status, now))
    offers: list[TradeOffer]
    offers, cursor = await newest_first(session, stmt, TradeOffer, params)
    return offers, cursor


async def offer_feed(session: AsyncSession, q: FeedSlice, *, accepted: bool) -> list[TradeOffer]:
    """Accepted (else cancelled) trade offers, newest first by closing (the activity feed)."""
    status = TradeStatus.accepted if accepted else TradeStatus.cancelled
    stmt = select(TradeOffer).where(
        TradeOffer.status == status.value, TradeOffer.closed_at.is_not(None)
    )
    if q.company_id is not None:
        in_company = TradeOfferItem.card_id.in_(cards.company_card_ids(q.company_id))
        stmt = stmt.where(exists().where(TradeOfferItem.offer_id == TradeOffer.id, in_company))
    if q.card_id is not None:
        stmt = stmt.where(
            exists().where(
                TradeOfferItem.offer_id == TradeOffer.id, TradeOfferItem.card_id == q.card_id
            )
        )
    if q.user_id is not None:
        stmt = stmt.where(
            or_(TradeOffer.maker_user_id == q.user_id, TradeOffer.taker_user_id == q.user_id)
        )
    stmt = (
        stmt.where(older_than(TradeOffer.closed_at, TradeOffer.id, q.after))
        .order_by(TradeOffer.closed_at.desc(), TradeOffer.id.desc())
        .limit(q.limit)
    )
    return list(await session.scalars(stmt))
