"""The activity feed: one newest-first, cursor-paginated stream over several record tables.

Each kind of activity is read from the table that records it, not from the outbox, because the
tables carry the columns the feed filters on (company, card, user) on both backends:

=========  ==================================================================================
type       source
=========  ==================================================================================
sale       ``sales`` rows (every executed sale, trade offers' included), with ``wash_suspect``
listing    public ``listings`` rows, at creation (a private listing is its parties' business)
offer      ``offers`` rows (card and collection offers), at creation
cancel     public listings, offers and trade offers with status ``cancelled``, at ``closed_at``
trade      trade offers with status ``accepted``, at ``closed_at``
transfer   card history rows of kind ``transfer`` (gifts, trade legs)
=========  ==================================================================================

Every source is read with the same keyset (time, source rank, id), newest first, at most
``limit + 1`` rows each; the merge keeps the first ``limit``, so a page costs one bounded query
per source and the cursor stays exact across sources.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.models import User
from ece.cards.models import Card, CardEvent, CardEventKind
from ece.cards.service import OwnerKind
from ece.core.errors import Unprocessable
from ece.core.pagination import PageParams, decode_cursor, encode_cursor
from ece.market.models import Listing, ListingStatus, Offer, OfferStatus
from ece.settlement.service import Sale
from ece.trades.models import TradeOffer, TradeOfferItem, TradeStatus


class ActivityType(StrEnum):
    sale = "sale"
    listing = "listing"
    offer = "offer"
    trade = "trade"
    cancel = "cancel"
    transfer = "transfer"


@dataclass(frozen=True, slots=True)
class ActivityFilters:
    type: ActivityType | None = None
    company_id: str | None = None
    card_id: str | None = None
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class Activity:
    type: ActivityType
    at: datetime
    ref: str  # the sale, listing, offer, trade offer or card event it describes
    subject: str  # sale | listing | offer | trade_offer | card_event
    company_id: str | None = None
    card_id: str | None = None
    card_ids: list[str] = field(default_factory=list)
    from_user_id: str | None = None
    to_user_id: str | None = None
    price: int | None = None
    currency: str | None = None
    wash_suspect: bool = False
    source: str | None = None


@dataclass(frozen=True)
class _Source:
    type: ActivityType
    rank: int  # breaks ties between sources at the same instant; unique per source
    entity: Any
    at: Any
    id: Any
    base: Callable[[], Select[Any]]
    company: Callable[[str], ColumnElement[bool]]
    card: Callable[[str], ColumnElement[bool]]
    user: Callable[[str], ColumnElement[bool]]
    item: Callable[[Any], Activity]


def _user_seller(user_id: str) -> ColumnElement[bool]:
    return and_(Listing.seller_kind == OwnerKind.user.value, Listing.seller_id == user_id)


def _trade_has_card(card_id: str) -> ColumnElement[bool]:
    return exists().where(
        TradeOfferItem.offer_id == TradeOffer.id, TradeOfferItem.card_id == card_id
    )


def _trade_has_company(company_id: str) -> ColumnElement[bool]:
    return exists().where(
        TradeOfferItem.offer_id == TradeOffer.id,
        TradeOfferItem.card_id == Card.id,
        Card.company_id == company_id,
    )


def _trade_party(user_id: str) -> ColumnElement[bool]:
    return or_(TradeOffer.maker_user_id == user_id, TradeOffer.taker_user_id == user_id)


def _sale(s: Sale) -> Activity:
    return Activity(
        ActivityType.sale, s.executed_at, s.id, "sale", s.company_id, s.card_id, [s.card_id],
        s.seller_id if s.seller_kind == OwnerKind.user.value else None, s.buyer_user_id,
        s.price, s.currency, s.wash_suspect, s.source,
    )  # fmt: skip


def _listing(kind: ActivityType) -> Callable[[Listing], Activity]:
    def item(x: Listing) -> Activity:
        at = x.closed_at if kind is ActivityType.cancel and x.closed_at else x.created_at
        seller = x.seller_id if x.seller_kind == OwnerKind.user.value else None
        return Activity(
            kind, at, x.id, "listing", x.company_id, x.card_id, [x.card_id], seller, None,
            x.price, x.currency,
        )  # fmt: skip

    return item


def _offer(kind: ActivityType) -> Callable[[Offer], Activity]:
    def item(x: Offer) -> Activity:
        at = x.closed_at if kind is ActivityType.cancel and x.closed_at else x.created_at
        cards = [x.card_id] if x.card_id else []
        return Activity(
            kind, at, x.id, "offer", x.company_id, x.card_id, cards, x.buyer_user_id, None,
            x.price, x.currency,
        )  # fmt: skip

    return item


def _trade(kind: ActivityType) -> Callable[[TradeOffer], Activity]:
    def item(x: TradeOffer) -> Activity:
        assert x.closed_at is not None
        return Activity(kind, x.closed_at, x.id, "trade_offer", None, None, [], x.maker_user_id,
                        x.taker_user_id)  # fmt: skip

    return item


def _transfer(e: CardEvent) -> Activity:
    return Activity(
        ActivityType.transfer, e.created_at, str(e.id), "card_event", None, e.card_id,
        [e.card_id], e.from_user_id, e.to_user_id, e.price, e.currency, source=e.reason,
    )  # fmt: skip


def _event_company(company_id: str) -> ColumnElement[bool]:
    return exists().where(Card.id == CardEvent.card_id, Card.company_id == company_id)


SOURCES: tuple[_Source, ...] = (
    _Source(
        ActivityType.sale, 0, Sale, Sale.executed_at, Sale.id, lambda: select(Sale),
        lambda c: Sale.company_id == c, lambda c: Sale.card_id == c,
        lambda u: or_(Sale.buyer_user_id == u,
                      and_(Sale.seller_kind == OwnerKind.user.value, Sale.seller_id == u)),
        _sale,
    ),
    _Source(
        ActivityType.listing, 1, Listing, Listing.created_at, Listing.id,
        lambda: select(Listing).where(Listing.taker_address.is_(None)),
        lambda c: Listing.company_id == c, lambda c: Listing.card_id == c, _user_seller,
        _listing(ActivityType.listing),
    ),
    _Source(
        ActivityType.offer, 2, Offer, Offer.created_at, Offer.id, lambda: select(Offer),
        lambda c: Offer.company_id == c, lambda c: Offer.card_id == c,
        lambda u: Offer.buyer_user_id == u, _offer(ActivityType.offer),
    ),
    _Source(
        ActivityType.cancel, 3, Listing, Listing.closed_at, Listing.id,
        lambda: select(Listing).where(Listing.status == ListingStatus.cancelled.value,
                                      Listing.closed_at.is_not(None),
                                      Listing.taker_address.is_(None)),
        lambda c: Listing.company_id == c, lambda c: Listing.card_id == c, _user_seller,
        _listing(ActivityType.cancel),
    ),
    _Source(
        ActivityType.cancel, 4, Offer, Offer.closed_at, Offer.id,
        lambda: select(Offer).where(Offer.status == OfferStatus.cancelled.value,
                                    Offer.closed_at.is_not(None)),
        lambda c: Offer.company_id == c, lambda c: Offer.card_id == c,
        lambda u: Offer.buyer_user_id == u, _offer(ActivityType.cancel),
    ),
    _Source(
        ActivityType.cancel, 5, TradeOffer, TradeOffer.closed_at, TradeOffer.id,
        lambda: select(TradeOffer).where(TradeOffer.status == TradeStatus.cancelled.value,
                                         TradeOffer.closed_at.is_not(None)),
        _trade_has_company, _trade_has_card, _trade_party, _trade(ActivityType.cancel),
    ),
    _Source(
        ActivityType.trade, 6, TradeOffer, TradeOffer.closed_at, TradeOffer.id,
        lambda: select(TradeOffer).where(TradeOffer.status == TradeStatus.accepted.value,
                                         TradeOffer.closed_at.is_not(None)),
        _trade_has_company, _trade_has_card, _trade_party, _trade(ActivityType.trade),
    ),
    _Source(
        ActivityType.transfer, 7, CardEvent, CardEvent.created_at, CardEvent.id,
        lambda: select(CardEvent).where(CardEvent.kind == CardEventKind.transfer.value),
        _event_company, lambda c: CardEvent.card_id == c,
        lambda u: or_(CardEvent.from_user_id == u, CardEvent.to_user_id == u), _transfer,
    ),
)  # fmt: skip


def _after(source: _Source, cursor: Sequence[Any]) -> ColumnElement[bool]:
    """Rows of ``source`` strictly after the cursor (time, rank, id), newest first."""
    at, rank, last_id = cursor
    if source.rank < rank:
        return source.at <= at  # type: ignore[no-any-return]
    if source.rank > rank:
        return source.at < at  # type: ignore[no-any-return]
    return or_(source.at < at, and_(source.at == at, source.id < last_id))


def _cursor(params: PageParams) -> list[Any] | None:
    if not params.cursor:
        return None
    at, rank, last_id = decode_cursor(params.cursor, 3)
    source = next((s for s in SOURCES if s.rank == rank), None) if isinstance(rank, int) else None
    # A card event id is an integer, every other id a string: each stays with its own column.
    id_type = int if source is not None and source.entity is CardEvent else str
    if (
        not isinstance(at, datetime)
        or source is None
        or isinstance(last_id, bool)
        or not isinstance(last_id, id_type)
    ):
        raise Unprocessable("The cursor is not valid.", code="invalid_cursor")
    return [at, rank, last_id]


async def activity(
    session: AsyncSession, filters: ActivityFilters, params: PageParams
) -> tuple[list[Activity], str | None]:
    """Market activity, newest first, filtered by type, company, card and user (id or wallet)."""
    cursor = _cursor(params)
    if filters.user_id is not None:
        user_id = await session.scalar(
            select(User.id).where(or_(User.id == filters.user_id, User.address == filters.user_id))
        )
        if user_id is None:
            return [], None
        filters = replace(filters, user_id=user_id)
    found: list[tuple[datetime, int, Any, Activity]] = []
    for source in SOURCES:
        if filters.type is not None and source.type is not filters.type:
            continue
        stmt = source.base()
        if filters.company_id is not None:
            stmt = stmt.where(source.company(filters.company_id))
        if filters.card_id is not None:
            stmt = stmt.where(source.card(filters.card_id))
        if filters.user_id is not None:
            stmt = stmt.where(source.user(filters.user_id))
        if cursor is not None:
            stmt = stmt.where(_after(source, cursor))
        stmt = stmt.order_by(source.at.desc(), source.id.desc()).limit(params.limit + 1)
        for row in await session.scalars(stmt):
            item = source.item(row)
            found.append((item.at, source.rank, getattr(row, "id"), item))  # noqa: B009
    found.sort(key=lambda entry: (entry[0], entry[1], entry[2]), reverse=True)
    page = found[: params.limit]
    next_cursor = None
    if len(found) > params.limit:
        at, rank, last_id, _ = page[-1]
        next_cursor = encode_cursor([at, rank, last_id])
    return [entry[3] for entry in page], next_cursor
