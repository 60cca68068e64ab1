"""Reading battles: one battle with its sides, entries, staked cards and vote tallies; pages;
the proof (the inputs, the seed once revealed and the outcome recomputed from them); and the
battle history of a card or a company."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from ece.battles import repository, rules
from ece.battles.models import Battle, BattleCard, BattleEntry, BattleVote
from ece.battles.rules import Outcome, Phase
from ece.battles.settling import inputs_of, stored_outcome, terms_of
from ece.cards import service as cards
from ece.core.clock import utcnow
from ece.core.pagination import PageParams


@dataclass(frozen=True, slots=True)
class BattleView:
    battle: Battle
    phase: Phase
    acquirer: cards.Company
    target: cards.Company
    entries: list[BattleEntry]
    staked: list[BattleCard]
    votes: list[BattleVote]

    @property
    def revealed(self) -> bool:
        return self.phase in (Phase.settled, Phase.cancelled)

    @property
    def result(self) -> Outcome | None:
        """What the settlement computed and paid (None before)."""
        return stored_outcome(self.battle.result)

    @property
    def seed(self) -> str | None:
        return self.battle.seed if self.revealed else None


@dataclass(frozen=True, slots=True)
class Proof:
    view: BattleView
    recomputed: Outcome | None  # once the seed is revealed (settled)


@dataclass(frozen=True, slots=True)
class BattleSummary:
    battle: Battle
    phase: Phase


def phase_of(battle: Battle) -> Phase:
    return rules.phase(battle.state, utcnow(), battle.enrol_until, battle.vote_until)


async def get_battle(session: AsyncSession, battle_id: str) -> BattleView:
    """One battle as of now by the server clock. 404 ``battle_not_found``."""
    battle = await repository.battle(session, battle_id)
    if battle is None:
        raise rules.not_found()
    return BattleView(
        battle=battle,
        phase=phase_of(battle),
        acquirer=await cards.company_by_id(session, battle.acquirer_company_id),
        target=await cards.company_by_id(session, battle.target_company_id),
        entries=await repository.entries(session, battle.id),
        staked=await repository.staked_cards(session, battle.id),
        votes=await repository.votes(session, battle.id),
    )


async def proof(session: AsyncSession, battle_id: str) -> Proof:
    """The inputs and, once settled, the seed and the outcome recomputed from them."""
    view = await get_battle(session, battle_id)
    if view.phase is not Phase.settled:
        return Proof(view, None)
    entry_inputs, vote_inputs = inputs_of(view.entries, view.staked, view.votes)
    return Proof(
        view, rules.outcome(view.battle.seed, terms_of(view.battle), entry_inputs, vote_inputs)
    )


async def list_battles(
    session: AsyncSession, status: Phase | None, params: PageParams
) -> tuple[list[BattleSummary], str | None]:
    """Battles newest first, optionally in one phase (by the server clock)."""
    conditions = [] if status is None else [repository.phase_filter(status, utcnow())]
    rows, cursor = await repository.battle_page(session, conditions, params)
    return [BattleSummary(b, phase_of(b)) for b in rows], cursor


async def battles_of_card(
    session: AsyncSession, card_id: str, limit: int = 20
) -> list[BattleSummary]:
    return [
        BattleSummary(b, phase_of(b))
        for b in await repository.battles_of_card(session, card_id, limit)
    ]


async def battles_of_company(
    session: AsyncSession, company_id: str, limit: int = 20
) -> list[BattleSummary]:
    rows = await repository.battles_of_company(session, company_id, limit)
    return [BattleSummary(b, phase_of(b)) for b in rows]
