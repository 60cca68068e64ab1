"""Every SQL statement on the auction tables: row locks, the settlement claim, conditional
updates and the reads. No decisions: those are in ``rules``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Row,
    Table,
    and_,
    bindparam,
    case,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from ece.auctions.models import Auction, AuctionBid
from ece.auctions.rules import CURRENT_BIDS, AuctionState, AuctionStatus, BidStatus
from ece.core import lifecycle
from ece.core.pagination import PageParams, SortKey, newest_first, paginate


async def add(session: AsyncSession, row: Auction | AuctionBid) -> None:
    session.add(row)
    await session.flush()


async def locked_auction(session: AsyncSession, auction_id: str) -> Auction | None:
    """The auction row, locked until the transaction ends (PostgreSQL; SQLite writers are
    serialized already): the first lock every bid, buy, cancel and settlement takes, so all
    changes of one auction happen one after another."""
    return await session.scalar(
        select(Auction)
        .where(Auction.id == auction_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


_auctions: Table = Auction.__table__  # type: ignore[assignment]
_bids: Table = AuctionBid.__table__  # type: ignore[assignment]

_LOCKED_STANDING = (
    select(
        *(
            _auctions.c[name]
            for name in (
                "id",
                "kind",
                "state",
                "currency",
                "seller_id",
                "starts_at",
                "ends_at",
                "start_price",
                "reserve_price",
                "current_price",
                "bid_count",
                "bid_seq",
                "leader_bid_id",
                "leader_user_id",
                "leader_max",
                "second_bid_id",
                "second_user_id",
                "second_max",
            )
        )
    )
    .where(_auctions.c.id == bindparam("auction_id"))
    .with_for_update()
)


async def locked_standing(session: AsyncSession, auction_id: str) -> Row[Any] | None:
    """What a bid decides on (terms, standing, leader and runner-up), the row locked as
    ``locked_auction`` locks it; a Core row, no ORM object."""
    conn = await session.connection()
    return (await conn.execute(_LOCKED_STANDING, {"auction_id": auction_id})).first()


_RETIRE = (
    update(_bids)
    .where(
        _bids.c.auction_id == bindparam("a_id"),
        _bids.c.status.in_(CURRENT_BIDS),
        or_(
            _bids.c.bidder_user_id == bindparam("u_id"),
            and_(bindparam("dethrone", type_=Boolean), _bids.c.status == BidStatus.winning.value),
        ),
    )
    .values(
        status=case(
            (_bids.c.bidder_user_id == bindparam("u_id"), BidStatus.raised.value),
            else_=BidStatus.outbid.value,
        )
    )
)


async def retire_bids(
    session: AsyncSession, auction_id: str, user_id: str, *, dethrone: bool
) -> None:
    """Before a new bid of ``user_id``: their current bid (if any) becomes ``raised`` and,
    with ``dethrone``, another bidder's leading bid ``outbid``; one UPDATE over the auction's
    few current bids (index on auction and status)."""
    conn = await session.connection()
    await conn.execute(_RETIRE, {"a_id": auction_id, "u_id": user_id, "dethrone": dethrone})


_BID_COLUMNS = (
    "id",
    "auction_id",
    "bidder_user_id",
    "max_amount",
    "seq",
    "price_after",
    "status",
    "hold_transfer_id",
    "created_at",
)


async def insert_bid(session: AsyncSession, bid: AuctionBid) -> None:
    """The bid's row, written with Core (the object is the answer's, never added)."""
    conn = await session.connection()
    await conn.execute(_bids.insert(), {name: getattr(bid, name) for name in _BID_COLUMNS})


async def update_standing(session: AsyncSession, auction_id: str, values: dict[str, Any]) -> None:
    conn = await session.connection()
    await conn.execute(update(_auctions).where(_auctions.c.id == auction_id).values(values))


async def auction(session: AsyncSession, auction_id: str) -> Auction | None:
    return await session.get(Auction, auction_id, populate_existing=True)


async def next_due(
    session: AsyncSession, now: datetime, skip: Collection[str] = ()
) -> Auction | None:
    """One open auction past its end (not in ``skip``), locked; several workers settle different
    auctions."""
    return await lifecycle.next_due(
        session,
        Auction,
        open_state=AuctionState.open.value,
        due_at=Auction.ends_at,
        now=now,
        skip=skip,
    )


async def close(
    session: AsyncSession, auction_id: str, state: AuctionState, now: datetime, **values: Any
) -> bool:
    """Move an open auction to ``state``: one conditional UPDATE, so it happens once."""
    return await lifecycle.close(
        session,
        Auction,
        auction_id,
        open_state=AuctionState.open.value,
        state=state.value,
        now=now,
        **values,
    )


async def current_bids(session: AsyncSession, auction_id: str) -> list[AuctionBid]:
    """Each bidder's current max (one row per bidder), in bid order."""
    return list(
        await session.scalars(
            select(AuctionBid)
            .where(AuctionBid.auction_id == auction_id, AuctionBid.status.in_(CURRENT_BIDS))
            .order_by(AuctionBid.seq)
            .execution_options(populate_existing=True)
        )
    )


async def bid(session: AsyncSession, bid_id: str) -> AuctionBid | None:
    return await session.get(AuctionBid, bid_id, populate_existing=True)


async def end_bids(session: AsyncSession, auction_id: str, winner_bid_id: str | None) -> None:
    """At the end every current bid lost, except the winner's."""
    await session.execute(
        update(AuctionBid)
        .where(AuctionBid.auction_id == auction_id, AuctionBid.status.in_(CURRENT_BIDS))
        .values(
            status=case(
                (AuctionBid.id == winner_bid_id, BidStatus.won.value), else_=BidStatus.lost.value
            )
        )
        .execution_options(synchronize_session=False)
    )


# --- reads ----------------------------------------------------------------------------------


def status_filter(status: AuctionStatus, now: datetime) -> ColumnElement[bool]:
    """SQL twin of ``rules.seen_status(...) == status``."""
    is_open = Auction.state == AuctionState.open.value
    if status is AuctionStatus.cancelled:
        return Auction.state == AuctionState.cancelled.value
    if status is AuctionStatus.ended:
        return or_(
            Auction.state.in_([AuctionState.sold.value, AuctionState.unsold.value]),
            and_(is_open, Auction.ends_at <= now),
        )
    if status is AuctionStatus.upcoming:
        return and_(is_open, Auction.starts_at > now, Auction.ends_at > now)
    return and_(is_open, Auction.starts_at <= now, Auction.ends_at > now)


SORTS: dict[str, list[tuple[Any, bool]]] = {
    "ending": [(Auction.ends_at, False), (Auction.id, False)],
    "newest": [(Auction.created_at, True), (Auction.id, True)],
    "price": [(Auction.current_price, False), (Auction.id, False)],
}


async def auction_page(
    session: AsyncSession,
    conditions: Sequence[ColumnElement[bool]],
    sort: str,
    params: PageParams,
) -> tuple[list[Auction], str | None]:
    columns = SORTS[sort]
    return await paginate(
        session,
        select(Auction).where(*conditions),
        [SortKey(column, descending) for column, descending in columns],
        params,
        lambda row: [getattr(row, column.key) for column, _ in columns],
    )


async def bid_page(
    session: AsyncSession, auction_id: str, params: PageParams
) -> tuple[list[AuctionBid], str | None]:
    rows: list[AuctionBid]
    rows, cursor = await paginate(
        session,
        select(AuctionBid).where(AuctionBid.auction_id == auction_id),
        [SortKey(AuctionBid.seq, True)],
        params,
        lambda row: [row.seq],
    )
    return rows, cursor


async def bids_of_user(
    session: AsyncSession, user_id: str, params: PageParams
) -> tuple[list[AuctionBid], str | None]:
    return await newest_first(
        session, select(AuctionBid).where(AuctionBid.bidder_user_id == user_id), AuctionBid, params
    )


async def auctions_by_id(session: AsyncSession, ids: Sequence[str]) -> dict[str, Auction]:
    rows = await session.scalars(select(Auction).where(Auction.id.in_(list(set(ids)))))
    return {a.id: a for a in rows}


async def set_sale(session: AsyncSession, auction_id: str, sale_id: str) -> None:
    await session.execute(
        update(Auction)
        .where(Auction.id == auction_id)
        .values(sale_id=sale_id)
        .execution_options(synchronize_session=False)
    )


# --- a bid in one call (PostgreSQL, migration 0042) -----------------------------------------

_PLACE_BID = text(
    "SELECT * FROM ece_place_bid(:auction_id, :bidder_id, :bid_id, :now, :amount_usdc, "
    ":amount_ece, :usdc_bounds, :usdc_steps, :ece_bounds, :ece_steps, :window_s, "
    ":correlation_id, :traceparent)"
)


def has_bid_function(session: AsyncSession) -> bool:
    """Whether this database places a bid in one call (PostgreSQL: ``ece_place_bid``)."""
    return session.get_bind().dialect.name == "postgresql"


async def place_bid_call(session: AsyncSession, params: dict[str, Any]) -> Row[Any]:
    """``ece_place_bid`` with ``params``: its one row (see the migration for the columns)."""
    conn = await session.connection()
    return (await conn.execute(_PLACE_BID, params)).one()


# --- the bids waiting for one auction in one call (PostgreSQL, migration 0044) --------------

_PLACE_BIDS = text(
    "SELECT * FROM ece_place_bids(:auction_id, :bidder_ids, :bid_ids, :nows, :amounts_usdc, "
    ":amounts_ece, :usdc_bounds, :usdc_steps, :ece_bounds, :ece_steps, :window_s, "
    ":correlation_ids, :traceparents)"
)
# Per bid (arrays, in order) → the single call's parameter of the same bid.
_PER_BID = {
    "bidder_ids": "bidder_id",
    "bid_ids": "bid_id",
    "nows": "now",
    "amounts_usdc": "amount_usdc",
    "amounts_ece": "amount_ece",
    "correlation_ids": "correlation_id",
    "traceparents": "traceparent",
}
_SHARED = ("usdc_bounds", "usdc_steps", "ece_bounds", "ece_steps", "window_s")


async def place_bids_call(
    session: AsyncSession, auction_id: str, bids: Sequence[dict[str, Any]]
) -> list[Row[Any]]:
    """``ece_place_bids`` for ``bids`` (each ``place_bid_call``'s parameters, the settings
    they share taken from the first): one row per bid, in their order."""
    params: dict[str, Any] = {name: [b[one] for b in bids] for name, one in _PER_BID.items()}
    params.update({name: bids[0][name] for name in _SHARED}, auction_id=auction_id)
    conn = await session.connection()
    rows = list((await conn.execute(_PLACE_BIDS, params)).all())
    assert [r.out_n for r in rows] == list(range(1, len(bids) + 1))
    return rows
