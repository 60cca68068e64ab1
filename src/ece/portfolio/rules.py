"""Cost basis and P&L (pure): from the moves of a user's cards (card history rows that bring a
card to the user or take it away) and the sales the user made, the lots held now and every
disposal with its gain; and the price alert conditions.

Basis is what the user paid: the price of a priced move (a buy, an accepted offer, an auction
win, a card bought with a trade offer's tokens). A card received in a card-for-card swap takes
the market value of what the user gave in that swap (the value hints recorded on the cards the
user gave, split equally over the cards received, the remainder to the last by id). A card that
arrived by deposit (or any move without a price or hint) has no basis: ``None``, and says so.

A disposal is a sale (proceeds = price, fees = platform fee + royalty, both from the sale) or a
card given in a swap (proceeds = its value hint, no fee). Gain = proceeds - fees - basis, in the
sale's currency; unknown when the basis is unknown or in another currency. Everything is an
integer of base units; nothing is rounded except the swap split above.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Final

from ece.core.money import Asset

SWAP_REASON: Final = "trade"  # settlement's reason for a card a swap moves without a price


class Via(StrEnum):
    buy = "buy"
    offer = "offer"
    auction = "auction"
    trade = "trade"
    deposit = "deposit"
    mint = "mint"
    battle = "battle"


_VIA_OF_REASON: Final[Mapping[str, Via]] = {
    "listing": Via.buy,
    "sweep": Via.buy,
    "offer": Via.offer,
    "collection_offer": Via.offer,
    "auction": Via.auction,
    "trade_offer": Via.trade,
    SWAP_REASON: Via.trade,
    "deposit": Via.deposit,
    "mint": Via.mint,
    "battle": Via.battle,
}


def via_of(reason: str) -> Via:
    """How a card came to its user, from its history row's reason (a gift counts as a trade)."""
    return _VIA_OF_REASON.get(reason, Via.trade)


@dataclass(frozen=True, slots=True)
class Cost:
    amount: int  # base units of ``asset``
    asset: Asset


@dataclass(frozen=True, slots=True)
class Move:
    """One card history row that involves the user: ``incoming`` brings the card to the user,
    otherwise it takes the card away. ``event_id`` orders them."""

    event_id: int
    card_id: str
    at: datetime
    incoming: bool
    reason: str
    ref: str | None
    price: Cost | None = None
    value_hint: Cost | None = None


@dataclass(frozen=True, slots=True)
class SaleMade:
    """A sale in which the user was the seller (settlement's record of it)."""

    card_id: str
    ref: str
    price: int
    fee: int
    royalty: int
    currency: Asset
    at: datetime


@dataclass(frozen=True, slots=True)
class Lot:
    card_id: str
    acquired_at: datetime
    via: Via
    basis: Cost | None


class DisposalKind(StrEnum):
    sale = "sale"
    swap = "swap"


@dataclass(frozen=True, slots=True)
class Disposal:
    card_id: str
    kind: DisposalKind
    acquired_at: datetime | None
    acquired_via: Via | None
    disposed_at: datetime
    proceeds: int
    fees: int
    basis: int | None  # in ``currency``; None: unknown
    currency: Asset

    @property
    def gain(self) -> int | None:
        return None if self.basis is None else self.proceeds - self.fees - self.basis


@dataclass(slots=True)
class Book:
    """The open lot of each card the history says the user holds, and every disposal in order."""

    lots: dict[str, Lot] = field(default_factory=dict)
    disposals: list[Disposal] = field(default_factory=list)


def split_equally(total: int, count: int) -> list[int]:
    """``total`` over ``count`` parts, floored, the remainder to the last; sums to ``total``."""
    share = total // count
    return [share] * (count - 1) + [total - share * (count - 1)]


def swap_bases(moves: Sequence[Move]) -> dict[tuple[str, str], Cost]:
    """(swap ref, card id) → basis of each card the user received in a card-for-card swap:
    the hints of the cards the user gave in that swap, added up, split equally. A swap where
    the user gave nothing hinted (or hints in two currencies) gives no basis."""
    given: dict[str, list[Cost | None]] = defaultdict(list)
    received: dict[str, list[str]] = defaultdict(list)
    for m in moves:
        if m.reason != SWAP_REASON or m.ref is None or m.price is not None:
            continue
        if m.incoming:
            received[m.ref].append(m.card_id)
        else:
            given[m.ref].append(m.value_hint)
    bases: dict[tuple[str, str], Cost] = {}
    for ref, card_ids in received.items():
        hints = given.get(ref, [])
        assets = {h.asset for h in hints if h is not None}
        if not hints or None in hints or len(assets) != 1:
            continue
        asset = assets.pop()
        total = sum(h.amount for h in hints if h is not None)
        ordered = sorted(card_ids)
        for card_id, share in zip(ordered, split_equally(total, len(ordered)), strict=True):
            bases[(ref, card_id)] = Cost(share, asset)
    return bases


def book_of(moves: Iterable[Move], sales: Iterable[SaleMade]) -> Book:
    """Replay the user's moves in order: an incoming move opens the card's lot, an outgoing one
    closes it, as a disposal when it was a sale or a hinted swap (a gift, a withdrawal or a
    battle's loss closes the lot without one)."""
    ordered = sorted(moves, key=lambda m: m.event_id)
    bases = swap_bases(ordered)
    sales_of: dict[tuple[str, str], list[SaleMade]] = defaultdict(list)
    for sale in sales:
        sales_of[(sale.card_id, sale.ref)].append(sale)
    book = Book()
    for move in ordered:
        if move.incoming:
            basis = move.price
            if basis is None and move.ref is not None:
                basis = bases.get((move.ref, move.card_id))
            book.lots[move.card_id] = Lot(move.card_id, move.at, via_of(move.reason), basis)
            continue
        lot = book.lots.pop(move.card_id, None)
        made = sales_of.pop((move.card_id, move.ref), []) if move.ref is not None else []
        book.disposals.extend(_disposals(move, lot, made))
    return book


def _disposals(move: Move, lot: Lot | None, made: Sequence[SaleMade]) -> list[Disposal]:
    acquired_at = lot.acquired_at if lot else None
    via = lot.via if lot else None
    basis = lot.basis if lot else None
    found = []
    for sale in made:
        # A card a swap sells in two currencies: its basis is taken once, by the first sale in
        # the basis' currency.
        taken = basis if basis is not None and basis.asset is sale.currency else None
        if taken is not None:
            basis = None
        found.append(
            Disposal(
                move.card_id,
                DisposalKind.sale,
                acquired_at,
                via,
                sale.at,
                sale.price,
                sale.fee + sale.royalty,
                taken.amount if taken else None,
                sale.currency,
            )
        )
    if not made and move.reason == SWAP_REASON and move.value_hint is not None:
        hint = move.value_hint
        known = basis.amount if basis is not None and basis.asset is hint.asset else None
        found.append(
            Disposal(
                move.card_id,
                DisposalKind.swap,
                acquired_at,
                via,
                move.at,
                hint.amount,
                0,
                known,
                hint.asset,
            )
        )
    return found


def unrealized(basis: Cost | None, value: int | None, asset: Asset) -> int | None:
    """Value - basis, when both are known in ``asset``."""
    if basis is None or value is None or basis.asset is not asset:
        return None
    return value - basis.amount


@dataclass(slots=True)
class Totals:
    """One currency's figures over every card held (and every disposal, for ``realized``).

    ``cost`` adds the bases in this currency; ``value_at_floor`` the floors in this currency of
    every held card that has one; ``unrealized_pnl`` is floor - basis over the cards that have
    both in this currency; ``cards`` counts the held cards valued (with a floor) in it."""

    cost: int = 0
    value_at_floor: int = 0
    unrealized_pnl: int = 0
    realized_pnl: int = 0
    cards: int = 0


def totals(
    held: Sequence[tuple[Lot | None, Mapping[Asset, int]]], disposals: Sequence[Disposal]
) -> dict[Asset, Totals]:
    """Per currency, over every held card (its lot and its floor per currency) and every
    disposal with a known gain."""
    found = {asset: Totals() for asset in Asset}
    for lot, floors in held:
        basis = lot.basis if lot else None
        if basis is not None:
            found[basis.asset].cost += basis.amount
        for asset, floor in floors.items():
            found[asset].value_at_floor += floor
            found[asset].cards += 1
            gap = unrealized(basis, floor, asset)
            if gap is not None:
                found[asset].unrealized_pnl += gap
    for disposal in disposals:
        if disposal.gain is not None:
            found[disposal.currency].realized_pnl += disposal.gain
    return found


# --- price alerts ---------------------------------------------------------------------------------


class Condition(StrEnum):
    floor_below = "floor_below"  # the floor is strictly below the price
    floor_above = "floor_above"  # the floor is strictly above the price
    listed_below = "listed_below"  # some card is listed at or below the price


MAX_WATCHLIST: Final = 200
MAX_ALERTS: Final = 50


def condition_holds(condition: Condition, price: int, floor: int | None) -> bool:
    """Whether the alert's condition holds at this floor (``None``: nothing listed, which
    satisfies no condition)."""
    if floor is None:
        return False
    if condition is Condition.floor_below:
        return floor < price
    if condition is Condition.floor_above:
        return floor > price
    return floor <= price


class AlertStep(StrEnum):
    fire = "fire"
    rearm = "rearm"
    stay = "stay"


def alert_step(armed: bool, holds: bool) -> AlertStep:
    """Once per crossing: an armed alert fires when its condition holds (and is disarmed); a
    disarmed one is re-armed once the condition stops holding."""
    if armed and holds:
        return AlertStep.fire
    if not armed and not holds:
        return AlertStep.rearm
    return AlertStep.stay


# --- the collection's value over time -------------------------------------------------------------

MAX_HISTORY_POINTS: Final = 500


@dataclass(frozen=True, slots=True)
class ValuePoint:
    at: datetime  # the end of the bucket: the value as it stood then
    value: int  # the held cards valued at their company's latest close by then
    cards: int  # cards held then
    valued: int  # of which had a close to value them by


def value_history(
    moves: Sequence[Move],
    company_of: Mapping[str, str],
    closes: Mapping[str, Sequence[tuple[datetime, int]]],
    points: Sequence[datetime],
) -> list[ValuePoint]:
    """At each of ``points`` (ascending): the cards the moves say the user held then, each at
    its company's close of the latest candle that started before the point (``closes``: company
    → (candle start, close) ascending); a card whose company had no sale by then is not valued."""
    ordered = sorted(moves, key=lambda m: (m.at, m.event_id))
    held: set[str] = set()
    latest: dict[str, int] = {}
    cursor = dict.fromkeys(closes, 0)
    step = 0
    found = []
    for at in points:
        while step < len(ordered) and ordered[step].at <= at:
            move = ordered[step]
            (held.add if move.incoming else held.discard)(move.card_id)
            step += 1
        for company, series in closes.items():
            i = cursor[company]
            while i < len(series) and series[i][0] < at:
                latest[company] = series[i][1]
                i += 1
            cursor[company] = i
        prices = [latest.get(company_of.get(card, "")) for card in held]
        known = [p for p in prices if p is not None]
        found.append(ValuePoint(at, sum(known), len(held), len(known)))
    return found
