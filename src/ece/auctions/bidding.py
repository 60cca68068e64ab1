"""Proxy bidding on an English auction.

A bid is the bidder's max. Every bid locks the auction row first, so the bids of one auction
apply one after another; the standing (leader and visible price) is recomputed from every
bidder's current max by ``rules.standing``. Only the leader's max is held on the ledger (a
pending transfer to their escrow): a raise replaces the hold, a new leader's hold is made and
the old leader's released in the same linked batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auctions import repository, rules
from ece.auctions.creating import locked
from ece.auctions.models import Auction, AuctionBid
from ece.auctions.rules import BidStatus, Max, Standing, Tier
from ece.auth.service import User
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import InsufficientFunds
from ece.core.money import Asset, format_amount
from ece.core.outbox import NewEvent, emit, emit_all
from ece.ledger import service as ledger
from ece.ledger.service import Operation, TransferCode, TransferSpec, VoidPending
from ece.settlement import service as settlement


@dataclass(frozen=True, slots=True)
class BidResult:
    bid: AuctionBid
    current_price: int
    min_next_bid: int
    ends_at: datetime
    currency: str


def tiers_of(settings: Settings, currency: str) -> tuple[Tier, ...]:
    return rules.parse_increments(settings.auction_increments, Asset(currency))


def hold_id(bid_id: str) -> str:
    return f"auction-bid:{bid_id}"


def release(bid: AuctionBid) -> VoidPending:
    assert bid.hold_transfer_id is not None
    return VoidPending(f"{bid.hold_transfer_id}:release", bid.hold_transfer_id)


async def _check_funds(
    session: AsyncSession, user_id: str, currency: Asset, amount: int, held: int
) -> None:
    """A max must be payable: the bidder's available funds (plus what their own leading bid
    already holds) cover it, whether or not it leads now."""
    account = await ledger.user_account(session, user_id, currency)
    if (await ledger.balance(session, account)).available + held < amount:
        raise InsufficientFunds("Your available funds do not cover this max.")


async def _hold(session: AsyncSession, bid: AuctionBid, currency: Asset) -> TransferSpec:
    assert bid.hold_transfer_id is not None  # named when the bid is made (one write)
    return TransferSpec(
        bid.hold_transfer_id,
        await ledger.user_account(session, bid.bidder_user_id, currency),
        await settlement.offer_escrow_account(session, bid.bidder_user_id, currency),
        currency,
        bid.max_amount,
        TransferCode.hold,
        f"auction:{bid.auction_id}",
        pending=True,
    )


def _standing(auction: Auction, maxes: list[Max], tiers: tuple[Tier, ...]) -> Standing:
    return rules.standing(maxes, auction.start_price, auction.reserve_price, tiers)


async def place_bid(
    session: AsyncSession, settings: Settings, user: User, auction_id: str, max_amount: str
) -> BidResult:
    """Bid a max of ``max_amount`` (a decimal string in the auction's currency), or raise
    yours. 409 ``bid_too_low``, ``auction_ended``, ``auction_not_started``,
    ``auction_not_english``, ``insufficient_funds``; 403 ``own_auction``, ``kyc_required``; 404
    ``auction_not_found``; 422 ``invalid_amount``."""
    auction = await locked(session, auction_id)
    amount = rules.parse_bid(max_amount, Asset(auction.currency))
    now = utcnow()
    tiers = tiers_of(settings, auction.currency)
    currency = Asset(auction.currency)
    bids = await repository.current_bids(session, auction.id)
    own = next((b for b in bids if b.bidder_user_id == user.id), None)
    refusal = rules.bid_refusal(
        now=now,
        starts_at=auction.starts_at,
        ends_at=auction.ends_at,
        state=auction.state,
        kind=auction.kind,
        seller_id=auction.seller_id,
        bidder=user.id,
        amount=amount,
        minimum=rules.min_next_bid(
            auction.bid_count, auction.current_price, auction.start_price, tiers
        ),
        own_max=None if own is None else own.max_amount,
    )
    if refusal is not None:
        raise refusal
    # A bid counts against the KYC purchase limit at its max, when placed (before any hold).
    await compliance.check_purchase(session, settings, user, amount, currency)
    held = own.max_amount if own is not None and own.id == auction.leader_bid_id else 0
    await _check_funds(session, user.id, currency, amount, held)
    seq = auction.bid_seq + 1
    others = [b for b in bids if b.bidder_user_id != user.id]
    standing = _standing(
        auction,
        [Max(b.bidder_user_id, b.max_amount, b.seq) for b in others] + [Max(user.id, amount, seq)],
        tiers,
    )
    assert standing.leader is not None
    wins = standing.leader.bidder == user.id
    bid_id = new_id()
    bid = AuctionBid(
        id=bid_id,
        hold_transfer_id=hold_id(bid_id) if wins else None,
        auction_id=auction.id,
        bidder_user_id=user.id,
        max_amount=amount,
        seq=seq,
        price_after=standing.price,
        status=(BidStatus.winning if wins else BidStatus.outbid).value,
    )
    await repository.add(session, bid)
    old_leader = next((b for b in bids if b.id == auction.leader_bid_id), None)
    ops = await _move_holds(session, bid, own, old_leader if wins else None, currency)
    await _record_standing(session, auction, bid, standing, now, settings.auction_extension_s)
    # Ids new (the hold's from the new bid) or a release of the leading hold, unresolved while
    # the auction row is locked and live: no read of stored transfers by id is needed.
    await ledger.create_transfers(session, ops, new_ids=True)
    await session.flush()
    await _emit_bid(session, auction, bid, old_leader if wins and old_leader is not own else None)
    return BidResult(
        bid,
        auction.current_price,
        rules.min_next_bid(auction.bid_count, auction.current_price, auction.start_price, tiers),
        auction.ends_at,
        auction.currency,
    )


async def _move_holds(
    session: AsyncSession,
    bid: AuctionBid,
    own: AuctionBid | None,
    dethroned: AuctionBid | None,
    currency: Asset,
) -> list[Operation]:
    """The bidder's earlier max is replaced; when the new bid leads, the previous leader's
    hold is released (first, so a raise can re-hold the same funds) and the new max held."""
    if own is not None:
        own.status = BidStatus.raised.value
    if bid.status != BidStatus.winning.value:
        return []
    ops: list[Operation] = []
    if dethroned is not None:
        ops.append(release(dethroned))
        if dethroned is not own:
            dethroned.status = BidStatus.outbid.value
    ops.append(await _hold(session, bid, currency))
    return ops


async def _record_standing(
    session: AsyncSession,
    auction: Auction,
    bid: AuctionBid,
    standing: Standing,
    now: datetime,
    window_s: int,
) -> None:
    assert standing.leader is not None
    leader_is_new = standing.leader.bidder == bid.bidder_user_id
    if leader_is_new:
        auction.leader_bid_id = bid.id
        auction.leader_user_id = bid.bidder_user_id
        auction.leader_max = bid.max_amount
    auction.current_price = standing.price
    auction.bid_count += 1
    auction.bid_seq = bid.seq
    new_end = rules.extended_end(now, auction.ends_at, window_s)
    if new_end is not None:
        auction.ends_at = new_end
        await emit(session, "auction.extended", auction.id, ends_at=new_end.isoformat())


async def _emit_bid(
    session: AsyncSession, auction: Auction, bid: AuctionBid, outbid: AuctionBid | None
) -> None:
    currency = Asset(auction.currency)
    price = format_amount(auction.current_price, currency)
    events: list[NewEvent] = [
        (
            "auction.bid",
            auction.id,
            {
                "bid_id": bid.id,
                "bidder_user_id": bid.bidder_user_id,
                "current_price": price,
                "currency": currency.value,
                "bid_count": auction.bid_count,
                "ends_at": auction.ends_at.isoformat(),
            },
        )
    ]
    if outbid is not None:
        events.append(
            (
                "auction.outbid",
                auction.id,
                {
                    "user_id": outbid.bidder_user_id,
                    "bid_id": outbid.id,
                    "current_price": price,
                    "currency": currency.value,
                },
            )
        )
    await emit_all(session, events)  # one statement for both
