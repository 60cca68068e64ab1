"""Every battle decision, pure: phases by the clock, who may enter and vote, vote weight, the
commit-reveal outcome and the prize split. ``scripts/verify_battle.py`` recomputes the same
formula on its own from the public endpoints (README: *Battles, the outcome formula*).

The outcome, in integers only (version ``FORMULA``):

- ``seed`` is 32 random bytes (shown as 64 hex digits); ``commitment = sha256(seed)`` (hex).
- deal factor of a side, per mille in [800, 1200]:
  ``800 + int.from_bytes(sha256(seed + side)[:8], "big") % 401`` (``side`` the ASCII bytes of
  ``acquirer`` or ``target``).
- staked power of an entry: sum of over its cards of ``power x rarity multiplier`` (per mille).
- vote weight of a voter: ``isqrt(n x 10^12)`` (sqrtn in millionths) for ``n`` cards of the two
  companies held when voting; 0 for young accounts and accounts that never traded.
- score of a side: ``staked power x deal factor`` + ``vote points x 10^6 x side votes ÷ all
  votes`` (floored; 0 without votes), in millionths of a power point.
- the winner: the only side with entries when just one has any; else the higher score; a tie
  (equal scores) goes to ``acquirer`` when ``sha256(seed + "tie")[0]`` is even, else to ``target``.
- prizes: fees = entries x entry fee; platform fee = ``fees x fee_bps // 10000``; pool = fees -
  fee + sponsor; voter pool = ``pool x voter_pool_bps // 10000`` when a winning voter has
  weight, else 0; the rest goes to the winning entries pro rata to staked power and the voter
  pool to the winning voters pro rata to weight, each by ``split``: floors first, then the
  leftover base units one each to the largest remainders (ties: the earlier entry or vote).
  sum of payouts + fee = fees + sponsor exactly.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from math import isqrt
from typing import Final

from ece.core.errors import Conflict, Forbidden, NotFound, Unprocessable

FORMULA: Final = "ece-battle-v1"
MAX_CARDS: Final = 5
WEIGHT_SCALE: Final = 10**6
DEAL_MIN: Final = 800
DEAL_SPAN: Final = 401


class Side(StrEnum):
    acquirer = "acquirer"
    target = "target"


class BattleState(StrEnum):
    """What the row stores; the phase a reader sees also depends on the clock (``phase``)."""

    open = "open"
    settled = "settled"
    cancelled = "cancelled"


class Phase(StrEnum):
    enrolment = "enrolment"
    voting = "voting"
    reveal = "reveal"  # voting over, the settlement job has not run yet
    settled = "settled"
    cancelled = "cancelled"


def phase(state: str, now: datetime, enrol_until: datetime, vote_until: datetime) -> Phase:
    if state != BattleState.open.value:
        return Phase(state)
    if now < enrol_until:
        return Phase.enrolment
    if now < vote_until:
        return Phase.voting
    return Phase.reveal


# --- the seed --------------------------------------------------------------------------------


def new_seed() -> str:
    return secrets.token_hex(32)


def commitment_of(seed_hex: str) -> str:
    return hashlib.sha256(bytes.fromhex(seed_hex)).hexdigest()


def deal_factor(seed_hex: str, side: Side) -> int:
    digest = hashlib.sha256(bytes.fromhex(seed_hex) + side.value.encode()).digest()
    return DEAL_MIN + int.from_bytes(digest[:8], "big") % DEAL_SPAN


def tie_winner(seed_hex: str) -> Side:
    digest = hashlib.sha256(bytes.fromhex(seed_hex) + b"tie").digest()
    return Side.acquirer if digest[0] % 2 == 0 else Side.target


# --- settings --------------------------------------------------------------------------------


def parse_multipliers(text: str) -> dict[str, int]:
    """``"common=1000,rare=1250,..."`` → per-mille multipliers by rarity."""
    out: dict[str, int] = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        out[name.strip()] = int(value)
    return out


def vote_weight(cards_held: int, old_enough: bool, traded: bool) -> int:
    """sqrt(cards held of the two companies) in millionths; 0 for a young or untraded account."""
    if not old_enough or not traded or cards_held <= 0:
        return 0
    return isqrt(cards_held * WEIGHT_SCALE * WEIGHT_SCALE)


# --- the outcome -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StakedCard:
    card_id: str
    rarity: str
    power: int


@dataclass(frozen=True, slots=True)
class EntryInput:
    entry_id: str
    user_id: str
    side: Side
    cards: tuple[StakedCard, ...]


@dataclass(frozen=True, slots=True)
class VoteInput:
    user_id: str
    side: Side
    weight: int


@dataclass(frozen=True, slots=True)
class Terms:
    entry_fee: int
    sponsor: int
    fee_bps: int
    voter_pool_bps: int
    vote_points: int
    multipliers: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Outcome:
    winner: Side | None  # None: nobody entered
    deal_factors: dict[str, int]
    staked: dict[str, int]
    vote_weights: dict[str, int]
    scores: dict[str, int]
    tie: bool
    fees: int
    platform_fee: int
    pool: int
    voter_pool: int
    payouts: dict[str, int]  # entry id or "vote:<user id>" → base units


def staked_power(cards: Sequence[StakedCard], multipliers: Mapping[str, int]) -> int:
    return sum(card.power * multipliers[card.rarity] for card in cards)


def split(amount: int, shares: Sequence[tuple[str, int]]) -> dict[str, int]:
    """``amount`` pro rata to ``shares`` (in order), exactly: floors, then one base unit each
    to the largest remainders, the earlier share first on equal remainders."""
    total = sum(share for _, share in shares)
    if amount <= 0 or total <= 0:
        return {}
    floors = {key: amount * share // total for key, share in shares}
    left = amount - sum(floors.values())
    ranked = sorted(range(len(shares)), key=lambda i: (-(amount * shares[i][1] % total), i))
    for i in ranked[:left]:
        floors[shares[i][0]] += 1
    return {key: value for key, value in floors.items() if value > 0}


def _winner(seed: str, entered: Sequence[Side], scores: Mapping[str, int]) -> Side | None:
    if not entered:
        return None
    if len(entered) == 1:
        return entered[0]
    if scores[Side.acquirer.value] == scores[Side.target.value]:
        return tie_winner(seed)
    return max(Side, key=lambda side: scores[side.value])


def outcome(
    seed: str, terms: Terms, entries: Sequence[EntryInput], votes: Sequence[VoteInput]
) -> Outcome:
    power = {e.entry_id: staked_power(e.cards, terms.multipliers) for e in entries}
    staked = {s.value: sum(power[e.entry_id] for e in entries if e.side is s) for s in Side}
    weights = {s.value: sum(v.weight for v in votes if v.side is s) for s in Side}
    all_votes = sum(weights.values())
    deals = {s.value: deal_factor(seed, s) for s in Side}
    scores = {
        s.value: staked[s.value] * deals[s.value]
        + (terms.vote_points * WEIGHT_SCALE * weights[s.value] // all_votes if all_votes else 0)
        for s in Side
    }
    entered = [s for s in Side if any(e.side is s for e in entries)]
    winner = _winner(seed, entered, scores)
    fees = terms.entry_fee * len(entries)
    platform_fee = fees * terms.fee_bps // 10_000
    pool = fees - platform_fee + terms.sponsor if winner is not None else 0
    voters = [(f"vote:{v.user_id}", v.weight) for v in votes if v.side is winner and v.weight]
    voter_pool = pool * terms.voter_pool_bps // 10_000 if voters else 0
    winners = [(e.entry_id, power[e.entry_id]) for e in entries if e.side is winner]
    if not any(share for _, share in winners):  # cards without power: equal shares
        winners = [(key, 1) for key, _ in winners]
    payouts = split(pool - voter_pool, winners) | split(voter_pool, voters)
    return Outcome(
        winner=winner,
        deal_factors=deals,
        staked=staked,
        vote_weights=weights,
        scores=scores,
        tie=len(entered) == 2 and scores["acquirer"] == scores["target"],
        fees=fees,
        platform_fee=platform_fee,
        pool=pool,
        voter_pool=voter_pool,
        payouts=payouts,
    )


# --- refusals --------------------------------------------------------------------------------


def not_found() -> NotFound:
    return NotFound("No such battle.", code="battle_not_found")


def creation_refusal(
    now: datetime,
    enrol_until: datetime,
    vote_until: datetime,
    phase_bounds_s: tuple[int, int],
    acquirer: str,
    target: str,
    max_cards: int,
) -> Unprocessable | None:
    """``phase_bounds_s``: the shortest phase and the longest battle, in seconds."""
    min_phase_s, max_total_s = phase_bounds_s
    if acquirer == target:
        return Unprocessable("A company cannot battle itself.", code="invalid_battle")
    if not 1 <= max_cards <= MAX_CARDS:
        return Unprocessable(f"Between 1 and {MAX_CARDS} cards per user.", code="invalid_battle")
    if (enrol_until - now).total_seconds() < min_phase_s or (
        vote_until - enrol_until
    ).total_seconds() < min_phase_s:
        return Unprocessable(
            f"Enrolment and voting each last at least {min_phase_s} seconds.",
            code="invalid_duration",
        )
    if (vote_until - now).total_seconds() > max_total_s:
        return Unprocessable(
            f"A battle ends within {max_total_s} seconds of its opening.", code="invalid_duration"
        )
    return None


def entry_refusal(
    seen: Phase, card_count: int, distinct: int, max_cards: int, side_entries: int, side_max: int
) -> Conflict | Unprocessable | None:
    if seen is not Phase.enrolment:
        return Conflict("Enrolment in this battle has ended.", code="enrolment_closed")
    if card_count == 0 or card_count != distinct or card_count > max_cards:
        return Unprocessable(
            f"Stake between 1 and {max_cards} different cards.", code="invalid_cards"
        )
    if side_entries >= side_max:
        return Conflict("This side is full.", code="side_full")
    return None


def wrong_company() -> Unprocessable:
    return Unprocessable("Stake cards of your side's company only.", code="wrong_company")


def already_entered() -> Conflict:
    return Conflict("You are already in this battle.", code="already_entered")


def vote_refusal(seen: Phase, cards_held: int) -> Conflict | Forbidden | None:
    if seen is not Phase.voting:
        return Conflict("This battle is not in its voting phase.", code="voting_closed")
    if cards_held <= 0:
        return Forbidden("Only holders of a card of either company vote.", code="not_a_holder")
    return None


def cancel_refusal(state: str) -> Conflict | None:
    if state != BattleState.open.value:
        return Conflict("This battle is over.", code="battle_over")
    return None
