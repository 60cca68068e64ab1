"""A proxy bid in one round trip (PostgreSQL): ``ece_place_bid`` (migration 0042) does on the
server what ``bidding.place_bid`` does statement by statement, from the auction row's lock to
the bid's events, and returns what the API answers.

The Python path stays the one SQLite runs; ``tests/auctions/test_one_call.py`` holds both to
the same rows and answers for the same bids. What the function cannot know is settled here
with the same rules: the bid's id, the max parsed from its text for each currency (the
function picks the auction's; an unparsable text is refused with ``rules.parse_bid``'s own
error), the increment table of each currency, the soft-close window, the event's correlation
and trace ids. The KYC purchase limit is checked here too, after the call and before any
refusal for funds, as the Python path orders them (a bidder whose level has no limit costs no
statement): its refusal, like every outcome but a placed bid, raises, and the caller's
transaction is rolled back with everything the function wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auctions import repository, rules
from ece.auctions.bidding import BidResult, bid_events, hold_id, max_not_covered, tiers_of
from ece.auctions.models import AuctionBid
from ece.auctions.rules import BidStatus, Tier
from ece.auth.service import User
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import Conflict, DomainError
from ece.core.logging import request_id_var
from ece.core.money import Asset, InvalidAmount, parse_amount
from ece.core.outbox import written_in_database
from ece.core.tracing import traceparent
from ece.ledger import service as ledger

PLACED = (BidStatus.winning.value, BidStatus.outbid.value)
LEDGER_REFUSALS = ("short", "short_max", "overflow")


def in_one_call(session: AsyncSession) -> bool:
    """Whether this database places a bid in one call (PostgreSQL)."""
    return repository.has_bid_function(session)


def _parsed(text: str, asset: Asset) -> int | None:
    try:
        return parse_amount(text, asset)
    except InvalidAmount:
        return None


def _table(tiers: tuple[Tier, ...]) -> tuple[list[int | None], list[int]]:
    return [t.below for t in tiers], [t.step for t in tiers]


def _params(
    settings: Settings, user: User, auction_id: str, bid_id: str, max_amount: str
) -> dict[str, Any]:
    usdc_bounds, usdc_steps = _table(tiers_of(settings, Asset.USDC.value))
    ece_bounds, ece_steps = _table(tiers_of(settings, Asset.ECE.value))
    return {
        "auction_id": auction_id,
        "bidder_id": user.id,
        "bid_id": bid_id,
        "now": utcnow(),
        "amount_usdc": _parsed(max_amount, Asset.USDC),
        "amount_ece": _parsed(max_amount, Asset.ECE),
        "usdc_bounds": usdc_bounds,
        "usdc_steps": usdc_steps,
        "ece_bounds": ece_bounds,
        "ece_steps": ece_steps,
        "window_s": settings.auction_extension_s,
        "correlation_id": request_id_var.get(),
        "traceparent": traceparent(),
    }


def _ledger_refusal(row: Any, currency: Asset, bid_id: str) -> DomainError:
    """The error the Python path's ledger step raises for the same outcome."""
    if row.out_outcome == "short":
        return ledger.short_of_funds(currency.value, int(row.out_missing))
    if row.out_outcome == "short_max":
        return max_not_covered()
    return Conflict(f"Transfer {hold_id(bid_id)!r} overflows a balance.", code="balance_overflow")


def _refusal(row: Any, max_amount: str) -> DomainError | None:
    """The refusal the function's outcome stands for before the purchase limit is checked
    (None: placed, or refused by the ledger)."""
    outcome = row.out_outcome
    if outcome == "not_found":
        return rules.not_found()
    if outcome == "invalid_amount":
        try:
            rules.parse_bid(max_amount, Asset(row.out_currency))  # the reference path's error
        except DomainError as refused:
            return refused
        raise AssertionError("ece_place_bid refused a max that parses")
    if outcome in rules.REFUSALS:
        return rules.refusal_of(outcome)
    return None


async def place_bid_in_one_call(
    session: AsyncSession, settings: Settings, user: User, auction_id: str, max_amount: str
) -> BidResult:
    """``bidding.place_bid`` in one statement: the same answer, refusals and rows."""
    params = _params(settings, user, auction_id, new_id(), max_amount)
    row = await repository.place_bid_call(session, params)
    refusal = _refusal(row, max_amount)
    if refusal is not None:
        raise refusal
    currency = Asset(row.out_currency)
    # Placed or refused by the ledger: the purchase limit first, as the Python path checks it.
    await compliance.check_purchase(session, settings, user, int(row.out_amount), currency)
    if row.out_outcome in LEDGER_REFUSALS:
        raise _ledger_refusal(row, currency, params["bid_id"])
    assert row.out_outcome in PLACED, row.out_outcome
    return _answer(session, params, row, currency)


@dataclass(frozen=True, slots=True)
class WaitingBid:
    """A bid made in its request (its id, clock reading and trace ids taken there), waiting to
    be placed in a batch."""

    params: dict[str, Any]
    max_amount: str


def batchable(settings: Settings, user: User) -> bool:
    """Whether a bid of ``user`` may be placed in a batch: only when their purchase limit
    cannot refuse it (checked after the call, it could not undo a bid placed in a batch)."""
    return compliance.purchases_unlimited(settings, user)


def waiting_bid(settings: Settings, user: User, auction_id: str, max_amount: str) -> WaitingBid:
    """The bid's call parameters, taken in the request (its own clock reading and trace)."""
    return WaitingBid(_params(settings, user, auction_id, new_id(), max_amount), max_amount)


async def place_bids_in_one_call(
    session: AsyncSession, auction_id: str, bids: Sequence[WaitingBid]
) -> list[BidResult | DomainError]:
    """Bids of bidders without a purchase limit (``batchable``) on one auction, in one call
    (``ece_place_bids``, migration 0044): each applied in the given order exactly as
    ``place_bid_in_one_call`` applies it alone, a refused one undone before the next. Each
    bid's answer or refusal, in order."""
    rows = await repository.place_bids_call(session, auction_id, [b.params for b in bids])
    answers: list[BidResult | DomainError] = []
    for bid, row in zip(bids, rows, strict=True):
        refusal = _refusal(row, bid.max_amount)
        if refusal is None and row.out_outcome in LEDGER_REFUSALS:
            refusal = _ledger_refusal(row, Asset(row.out_currency), bid.params["bid_id"])
        if refusal is not None:
            answers.append(refusal)
            continue
        assert row.out_outcome in PLACED, row.out_outcome
        answers.append(_answer(session, bid.params, row, Asset(row.out_currency)))
    return answers


def _answer(session: AsyncSession, params: dict[str, Any], row: Any, currency: Asset) -> BidResult:
    wins = row.out_outcome == BidStatus.winning.value
    bid = AuctionBid(
        id=params["bid_id"],
        hold_transfer_id=hold_id(params["bid_id"]) if wins else None,
        auction_id=params["auction_id"],
        bidder_user_id=params["bidder_id"],
        max_amount=int(row.out_amount),
        seq=int(row.out_seq),
        price_after=int(row.out_price),
        status=row.out_outcome,
        created_at=params["now"],
    )
    outbid = None if row.out_outbid_user is None else (row.out_outbid_user, row.out_outbid_bid)
    events = bid_events(
        bid.auction_id,
        currency,
        bid,
        bid.price_after,
        int(row.out_bid_count),
        row.out_ends_at,
        bool(row.out_extended),
        outbid,
    )
    written_in_database(session, events)
    return BidResult(bid, bid.price_after, int(row.out_min_next), row.out_ends_at, currency.value)
