"""The battles domain's public face: routers, the web pages, the worker and other domains
import this module (and ``schemas``) only.

The use cases live in ``creating`` (open, cancel), ``entering`` (join a side, vote),
``settling`` (the phase clock and the settlement) and ``reads``; every decision, the outcome
formula included, in ``rules``; the ledger moves in ``prizes``; every SQL statement in
``repository``.
"""

from __future__ import annotations

from ece.battles.creating import NewBattle, cancel_battle, create_battle
from ece.battles.entering import enter, vote
from ece.battles.reads import (
    BattleSummary,
    BattleView,
    Proof,
    battles_of_card,
    battles_of_company,
    get_battle,
    list_battles,
    proof,
)
from ece.battles.rules import FORMULA, Outcome, Phase, Side, commitment_of
from ece.battles.settling import announce_voting, settle_due

__all__ = [
    "FORMULA",
    "BattleSummary",
    "BattleView",
    "NewBattle",
    "Outcome",
    "Phase",
    "Proof",
    "Side",
    "announce_voting",
    "battles_of_card",
    "battles_of_company",
    "cancel_battle",
    "commitment_of",
    "create_battle",
    "enter",
    "get_battle",
    "list_battles",
    "proof",
    "settle_due",
    "vote",
]
