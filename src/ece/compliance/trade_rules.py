"""Post-trade risk rules, pure: what makes a settled sale worth a compliance officer's look.

A sale already happened (the card and the money moved), so these rules never hold nor block:
at or above the review threshold the sale waits in the review queue, where a rejection flags
its parties (their withdrawals then wait in review too). Reason codes and weights are in the
README ("Post-trade monitoring"); a deny-listed party scores exactly 100, the rest sum, capped
at 99 like every heuristic score.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from ece.compliance.risk_rules import MAX_HEURISTIC_SCORE, NEW_ACCOUNT_AGE, SANCTIONS_SCORE

PAIR_WINDOW = timedelta(hours=24)
PAIR_TRADES = 3  # sales between the same two users in 24 h (this one included)


class TradeReason(StrEnum):
    sanctions_hit = "sanctions_hit"
    large_trade = "large_trade"
    wash_suspect = "wash_suspect"
    repeated_pair = "repeated_pair"
    new_account = "new_account"
    new_account_large_trade = "new_account_large_trade"


TRADE_WEIGHTS: dict[TradeReason, int] = {
    TradeReason.sanctions_hit: SANCTIONS_SCORE,
    TradeReason.large_trade: 30,
    TradeReason.wash_suspect: 40,
    TradeReason.repeated_pair: 30,
    TradeReason.new_account: 10,
    TradeReason.new_account_large_trade: 30,
}


@dataclass(frozen=True, slots=True)
class TradeFacts:
    """What the rules read about one sale, computed beforehand.

    ``value``: its price in USDC base units (ECE at the configured price); ``large``: the
    large-amount threshold in the same units; ``sanctioned``: which parties (``buyer``,
    ``seller``) are deny-listed; ``pair_trades``: sales between the same two users in the 24 h
    up to this one, this one included (0 for a primary sale); ``wash_suspect``: settlement's
    wash-trade flag; ``accounts_created``: the creation time of each user party.
    """

    now: datetime
    value: int
    large: int
    sanctioned: tuple[str, ...] = ()
    pair_trades: int = 0
    wash_suspect: bool = False
    accounts_created: tuple[datetime, ...] = ()


@dataclass(frozen=True, slots=True)
class TradeRisk:
    score: int
    reasons: tuple[tuple[TradeReason, int, str], ...]

    def as_json(self) -> list[dict[str, object]]:
        return [{"code": c.value, "weight": w, "detail": d} for c, w, d in self.reasons]


def _reason(code: TradeReason, detail: str) -> tuple[TradeReason, int, str]:
    return code, TRADE_WEIGHTS[code], detail


def score_trade(facts: TradeFacts) -> TradeRisk:
    """The score of a settled sale and every reason behind it."""
    if facts.sanctioned:
        hit = _reason(TradeReason.sanctions_hit, "deny-listed: " + ", ".join(facts.sanctioned))
        return TradeRisk(SANCTIONS_SCORE, (hit,))
    found = []
    large = facts.value >= facts.large > 0
    if large:
        found.append(_reason(TradeReason.large_trade, "at or above the large-amount threshold"))
    if facts.wash_suspect:
        found.append(_reason(TradeReason.wash_suspect, "settlement flagged it a wash trade"))
    if facts.pair_trades >= PAIR_TRADES:
        detail = f"{facts.pair_trades} sales between the same two users in 24 h"
        found.append(_reason(TradeReason.repeated_pair, detail))
    young = any(facts.now - created < NEW_ACCOUNT_AGE for created in facts.accounts_created)
    if young:
        found.append(_reason(TradeReason.new_account, "a party's account is younger than 7 days"))
    if young and large:
        found.append(_reason(TradeReason.new_account_large_trade, "a large trade by a new account"))
    total = min(sum(weight for _, weight, _ in found), MAX_HEURISTIC_SCORE)
    return TradeRisk(total, tuple(found))


def needs_review(risk_score: int, review_score: int) -> bool:
    """A sale at or above the review threshold (a sanctions hit included) waits for an
    officer; nothing is held or blocked, the sale stands."""
    return risk_score >= review_score
