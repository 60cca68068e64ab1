"""Proxy bidding on an English auction.

A bid is the bidder's max. Every bid locks the auction row first, so the bids of one auction
apply one after another. The row keeps the leader and the runner-up (the two highest current
maxes): since each bidder has one current max and maxes only rise, the new leader and runner-up
are always among those two and the new bid, so ``rules.standing`` over those three gives the
new standing and no other bid is read. Only the leader's max is held on the ledger (a pending
transfer to their escrow): a raise replaces the hold, a new leader's hold is made and the old
leader's released in the same linked batch, before anything of the bid is written (a refusal
for funds then leaves nothing behind).

A bid is a handful of Core statements in the caller's transaction: the auction row locked,
the funds read (only for a bid that does not lead: a leading bid's hold checks them), the
ledger batch, the earlier current bids retired, the bid inserted, the auction's standing
updated and the events written in one statement. Nothing is read back for the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auctions import repository, rules
from ece.auctions.models import AuctionBid
from ece.auctions.rules import BidStatus, Max, Standing, Tier
from ece.auth.service import User
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import InsufficientFunds
from ece.core.money import Asset, format_amount
from ece.core.outbox import NewEvent, emit_all
from ece.ledger import service as ledger
from ece.ledger.service import Operation, TransferCode, TransferSpec, VoidPending
from ece.settlement import service as settlement

# Stand-in sequence numbers of the two stored maxes: lower than any real bid's, in their order
# (the leader won any tie with the runner-up already), so the new bid loses ties to both.
_LEADER_SEQ, _SECOND_SEQ = -2, -1


@dataclass(frozen=True, slots=True)
class BidResult:
    bid: AuctionBid
    current_price: int
    min_next_bid: int
    ends_at: datetime
    currency: str


@dataclass(frozen=True, slots=True)
class _Current:
    """One of the two stored current maxes: its bid and its bidder's max."""

    bid_id: str
    max: Max


def tiers_of(settings: Settings, currency: str) -> tuple[Tier, ...]:
    return rules.parse_increments(settings.auction_increments, Asset(currency))


def hold_id(bid_id: str) -> str:
    """The hold of a bid that leads when placed (only such a bid ever leads: maxes only rise,
    so a bid that does not lead when placed never will)."""
    return f"auction-bid:{bid_id}"


def release(bid: AuctionBid) -> VoidPending:
    assert bid.hold_transfer_id is not None
    return VoidPending(f"{bid.hold_transfer_id}:release", bid.hold_transfer_id)


def _stored(row: Any) -> tuple[_Current | None, _Current | None]:
    leader = second = None
    if row.leader_bid_id is not None:
        leader = _Current(row.leader_bid_id, Max(row.leader_user_id, row.leader_max, _LEADER_SEQ))
    if row.second_bid_id is not None:
        second = _Current(row.second_bid_id, Max(row.second_user_id, row.second_max, _SECOND_SEQ))
    return leader, second


def max_not_covered() -> InsufficientFunds:
    return InsufficientFunds("Your available funds do not cover this max.")


async def _check_funds(session: AsyncSession, user_id: str, currency: Asset, amount: int) -> None:
    """A max must be payable even when it does not lead (a leading max's hold checks it)."""
    account = await ledger.user_account(session, user_id, currency)
    if (await ledger.balance(session, account)).available < amount:
        raise max_not_covered()


async def _holds(
    session: AsyncSession,
    auction_id: str,
    bid: AuctionBid,
    dethroned: _Current | None,
    currency: Asset,
) -> list[Operation]:
    """The leading bid's max held; the previous leader's hold released first (so a raise can
    re-hold the same funds)."""
    ops: list[Operation] = []
    if dethroned is not None:
        held = hold_id(dethroned.bid_id)
        ops.append(VoidPending(f"{held}:release", held))
    assert bid.hold_transfer_id is not None
    ops.append(
        TransferSpec(
            bid.hold_transfer_id,
            await ledger.user_account(session, bid.bidder_user_id, currency),
            await settlement.offer_escrow_account(session, bid.bidder_user_id, currency),
            currency,
            bid.max_amount,
            TransferCode.hold,
            f"auction:{auction_id}",
            pending=True,
        )
    )
    return ops


async def place_bid(
    session: AsyncSession, settings: Settings, user: User, auction_id: str, max_amount: str
) -> BidResult:
    """Bid a max of ``max_amount`` (a decimal string in the auction's currency), or raise
    yours. 409 ``bid_too_low``, ``auction_ended``, ``auction_not_started``,
    ``auction_not_english``, ``insufficient_funds``; 403 ``own_auction``, ``kyc_required``; 404
    ``auction_not_found``; 422 ``invalid_amount``."""
    row = await repository.locked_standing(session, auction_id)
    if row is None:
        raise rules.not_found()
    currency = Asset(row.currency)
    amount = rules.parse_bid(max_amount, currency)
    now = utcnow()
    tiers = tiers_of(settings, row.currency)
    leader, second = _stored(row)
    # A bidder who is neither leader nor runner-up has a max at most the runner-up's, below
    # the minimum next bid: the minimum refuses any bid that would not raise it.
    own = next((c for c in (leader, second) if c is not None and c.max.bidder == user.id), None)
    refusal = rules.bid_refusal_reason(
        now=now,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        state=row.state,
        kind=row.kind,
        seller_id=row.seller_id,
        bidder=user.id,
        amount=amount,
        minimum=rules.min_next_bid(row.bid_count, row.current_price, row.start_price, tiers),
        own_max=None if own is None else own.max.amount,
    )
    if refusal is not None:
        raise rules.refusal_of(refusal)
    # A bid counts against the KYC purchase limit at its max, when placed (before any hold).
    await compliance.check_purchase(session, settings, user, amount, currency)
    seq = row.bid_seq + 1
    others = [c for c in (leader, second) if c is not None and c.max.bidder != user.id]
    mine = Max(user.id, amount, seq)
    standing = rules.standing(
        [c.max for c in others] + [mine], row.start_price, row.reserve_price, tiers
    )
    assert standing.leader is not None
    wins = standing.leader.bidder == user.id
    bid_id = new_id()
    bid = AuctionBid(
        id=bid_id,
        hold_transfer_id=hold_id(bid_id) if wins else None,
        auction_id=row.id,
        bidder_user_id=user.id,
        max_amount=amount,
        seq=seq,
        price_after=standing.price,
        status=(BidStatus.winning if wins else BidStatus.outbid).value,
        created_at=now,
    )
    if wins:
        # Ids new (the hold's from the new bid) or a release of the leading hold, unresolved
        # while the auction row is locked and live: no read of stored transfers by id needed.
        ops = await _holds(session, row.id, bid, leader, currency)
        await ledger.create_transfers(session, ops, new_ids=True)
    else:
        await _check_funds(session, user.id, currency, amount)
    dethroned = leader if wins and leader is not None and leader is not own else None
    if row.bid_count > 0:  # the bidder's earlier max raised; a dethroned leader outbid
        await repository.retire_bids(session, row.id, user.id, dethrone=wins)
    await repository.insert_bid(session, bid)
    runner_up = _runner_up(standing, others, bid)
    ends_at = await _record_standing(session, row, bid, standing, runner_up, now, settings)
    await _emit_bid(session, row, bid, standing.price, ends_at, dethroned)
    return BidResult(
        bid,
        standing.price,
        rules.min_next_bid(row.bid_count + 1, standing.price, row.start_price, tiers),
        ends_at,
        row.currency,
    )


def _runner_up(standing: Standing, others: list[_Current], bid: AuctionBid) -> _Current | None:
    """The second-highest of the maxes the standing was made from (leader's ties included)."""
    assert standing.leader is not None
    pool = [*others, _Current(bid.id, Max(bid.bidder_user_id, bid.max_amount, bid.seq))]
    ranked = sorted(pool, key=lambda c: (-c.max.amount, c.max.seq))
    return ranked[1] if len(ranked) > 1 else None


async def _record_standing(
    session: AsyncSession,
    row: Any,
    bid: AuctionBid,
    standing: Standing,
    runner_up: _Current | None,
    now: datetime,
    settings: Settings,
) -> datetime:
    """The auction's new standing in one UPDATE; the end it has after this bid."""
    assert standing.leader is not None
    values: dict[str, Any] = {
        "current_price": standing.price,
        "bid_count": row.bid_count + 1,
        "bid_seq": bid.seq,
        "second_bid_id": None if runner_up is None else runner_up.bid_id,
        "second_user_id": None if runner_up is None else runner_up.max.bidder,
        "second_max": None if runner_up is None else runner_up.max.amount,
    }
    if standing.leader.bidder == bid.bidder_user_id:
        values.update(
            leader_bid_id=bid.id, leader_user_id=bid.bidder_user_id, leader_max=bid.max_amount
        )
    new_end = rules.extended_end(now, row.ends_at, settings.auction_extension_s)
    if new_end is not None:
        values["ends_at"] = new_end
    await repository.update_standing(session, row.id, values)
    return new_end or row.ends_at


def bid_events(
    auction_id: str,
    currency: Asset,
    bid: AuctionBid,
    price: int,
    bid_count: int,
    ends_at: datetime,
    extended: bool,
    outbid: tuple[str, str] | None,
) -> list[NewEvent]:
    """``auction.extended`` (when the bid moved the end), ``auction.bid`` and, to a dethroned
    leader (``outbid``: their user and bid ids), ``auction.outbid``, in that order."""
    shown = format_amount(price, currency)
    events: list[NewEvent] = []
    if extended:
        events.append(("auction.extended", auction_id, {"ends_at": ends_at.isoformat()}))
    events.append(
        (
            "auction.bid",
            auction_id,
            {
                "bid_id": bid.id,
                "bidder_user_id": bid.bidder_user_id,
                "current_price": shown,
                "currency": currency.value,
                "bid_count": bid_count,
                "ends_at": ends_at.isoformat(),
            },
        )
    )
    if outbid is not None:
        user_id, bid_id = outbid
        events.append(
            (
                "auction.outbid",
                auction_id,
                {
                    "user_id": user_id,
                    "bid_id": bid_id,
                    "current_price": shown,
                    "currency": currency.value,
                },
            )
        )
    return events


async def _emit_bid(
    session: AsyncSession,
    row: Any,
    bid: AuctionBid,
    price: int,
    ends_at: datetime,
    outbid: _Current | None,
) -> None:
    """The bid's events (``bid_events``) in one statement."""
    events = bid_events(
        row.id,
        Asset(row.currency),
        bid,
        price,
        row.bid_count + 1,
        ends_at,
        ends_at != row.ends_at,
        None if outbid is None else (outbid.max.bidder, outbid.bid_id),
    )
    await emit_all(session, events)
