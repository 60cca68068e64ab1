"""What readers see of auctions: the state at this instant by the server clock (an auction
past its end is ended even before the worker settles it; a Dutch price is the price now).
Maxes and the reserve never leave here except a bidder's own maxes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auctions import repository, rules
from ece.auctions.bidding import tiers_of
from ece.auctions.models import Auction, AuctionBid
from ece.auctions.rules import AuctionKind, AuctionStatus
from ece.auctions.settling import leader_of
from ece.auth import service as auth
from ece.cards import service as cards
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.money import Asset
from ece.core.pagination import PageParams


class AuctionSort(StrEnum):
    ending = "ending"
    newest = "newest"
    price = "price"


@dataclass(frozen=True, slots=True)
class AuctionFilters:
    status: AuctionStatus | None = None
    company: str | None = None
    currency: Asset | None = None
    sort: AuctionSort = AuctionSort.ending


@dataclass(frozen=True, slots=True)
class AuctionView:
    auction: Auction
    status: AuctionStatus
    current_price: int
    min_next_bid: int | None
    reserve_met: bool
    buy_now_available: bool
    seller_address: str | None  # None for the issuer inventory
    high_bidder: str | None
    winner: str | None


async def views(
    session: AsyncSession, settings: Settings, auctions: list[Auction]
) -> list[AuctionView]:
    now = utcnow()
    wallets = await auth.addresses(
        session,
        [a.seller_id for a in auctions if a.seller_kind == "user"]
        + [a.leader_user_id for a in auctions if a.leader_user_id]
        + [a.winner_user_id for a in auctions if a.winner_user_id],
    )
    return [_view(settings, a, now, wallets) for a in auctions]


def _view(settings: Settings, a: Auction, now: datetime, wallets: dict[str, str]) -> AuctionView:
    status = rules.seen_status(a.state, a.starts_at, a.ends_at, now)
    live = status is AuctionStatus.live
    leader = leader_of(a)
    if a.kind == AuctionKind.dutch.value:
        assert a.end_price is not None
        price = a.final_price or rules.dutch_price(
            a.start_price, a.end_price, a.starts_at, a.ends_at, now, settings.auction_dutch_step_s
        )
        minimum = None
    else:
        price = a.final_price or a.current_price
        tiers = tiers_of(settings, a.currency)
        minimum = rules.min_next_bid(a.bid_count, a.current_price, a.start_price, tiers)
    return AuctionView(
        a,
        status,
        price,
        minimum if status in (AuctionStatus.live, AuctionStatus.upcoming) else None,
        rules.reserve_met(a.reserve_price, leader),
        live and rules.buy_now_available(a.buy_now_price, a.reserve_price, leader),
        wallets.get(a.seller_id) if a.seller_kind == "user" else None,
        wallets.get(a.leader_user_id) if a.leader_user_id else None,
        wallets.get(a.winner_user_id) if a.winner_user_id else None,
    )


async def get_auction(session: AsyncSession, settings: Settings, auction_id: str) -> AuctionView:
    auction = await repository.auction(session, auction_id)
    if auction is None:
        raise rules.not_found()
    return (await views(session, settings, [auction]))[0]


async def list_auctions(
    session: AsyncSession, settings: Settings, filters: AuctionFilters, params: PageParams
) -> tuple[list[AuctionView], str | None]:
    """Auctions by status (cancelled ones only when asked for), company and currency."""
    conditions: list[ColumnElement[bool]] = []
    if filters.status is not None:
        conditions.append(repository.status_filter(filters.status, utcnow()))
    else:
        conditions.append(Auction.state != rules.AuctionState.cancelled.value)
    if filters.company is not None:
        conditions.append(Auction.company_id == cards.company_id_of(filters.company))
    if filters.currency is not None:
        conditions.append(Auction.currency == filters.currency.value)
    rows, cursor = await repository.auction_page(session, conditions, filters.sort.value, params)
    return await views(session, settings, rows), cursor


@dataclass(frozen=True, slots=True)
class PublicBid:
    """A bid as everyone sees it: who bid and the price it made, never the max."""

    id: str
    bidder: str
    price: int
    currency: Asset
    placed_at: datetime


async def bid_history(
    session: AsyncSession, auction_id: str, params: PageParams
) -> tuple[list[PublicBid], str | None]:
    rows, cursor = await repository.bid_page(session, auction_id, params)  # 422 bad cursor first
    auction = await repository.auction(session, auction_id)
    if auction is None:
        raise rules.not_found()
    wallets = await auth.addresses(session, [b.bidder_user_id for b in rows])
    currency = Asset(auction.currency)
    return [
        PublicBid(b.id, wallets[b.bidder_user_id], b.price_after, currency, b.created_at)
        for b in rows
    ], cursor


@dataclass(frozen=True, slots=True)
class MyBid:
    bid: AuctionBid
    auction: Auction


async def my_bids(
    session: AsyncSession, user_id: str, params: PageParams
) -> tuple[list[MyBid], str | None]:
    """The caller's bids, newest first, with their maxes and statuses."""
    rows, cursor = await repository.bids_of_user(session, user_id, params)
    auctions = await repository.auctions_by_id(session, [b.auction_id for b in rows])
    return [MyBid(b, auctions[b.auction_id]) for b in rows], cursor
