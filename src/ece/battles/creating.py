"""Opening and cancelling a battle (admins). A battle opens in enrolment at once, with its
seed drawn and only its commitment ``sha256(seed)`` published; cancelling releases every
entry fee hold and unlocks every staked card, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth.service import User
from ece.battles import prizes, repository, rules
from ece.battles.models import Battle
from ece.battles.rules import BattleState
from ece.cards import service as cards
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit


@dataclass(frozen=True, slots=True)
class NewBattle:
    title: str
    acquirer_company_id: str
    target_company_id: str
    entry_fee: int
    sponsor: int
    enrol_until: datetime
    vote_until: datetime
    max_cards_per_user: int


async def locked(session: AsyncSession, battle_id: str) -> Battle:
    battle = await repository.locked_battle(session, battle_id)
    if battle is None:
        raise rules.not_found()
    return battle


async def create_battle(
    session: AsyncSession, settings: Settings, admin: User, new: NewBattle
) -> Battle:
    """Open a battle between two companies. 404 ``company_not_found``; 422 ``invalid_battle``
    (the same company twice, cards per user not 1-5), ``invalid_duration`` (a phase shorter
    than ``ECE_BATTLE_MIN_PHASE_S``, a battle longer than ``ECE_BATTLE_MAX_DURATION_S``)."""
    acquirer = await cards.get_company(session, new.acquirer_company_id)
    target = await cards.get_company(session, new.target_company_id)
    refusal = rules.creation_refusal(
        utcnow(),
        new.enrol_until,
        new.vote_until,
        (settings.battle_min_phase_s, settings.battle_max_duration_s),
        acquirer.id,
        target.id,
        new.max_cards_per_user,
    )
    if refusal is not None:
        raise refusal
    seed = rules.new_seed()
    battle = Battle(
        title=new.title,
        acquirer_company_id=acquirer.id,
        target_company_id=target.id,
        entry_fee=new.entry_fee,
        sponsor=new.sponsor,
        max_cards_per_user=new.max_cards_per_user,
        enrol_until=new.enrol_until,
        vote_until=new.vote_until,
        fee_bps=settings.battle_fee_bps,
        voter_pool_bps=settings.battle_voter_pool_bps,
        vote_points=settings.battle_vote_points,
        multipliers=settings.battle_rarity_multipliers,
        seed=seed,
        seed_commitment=rules.commitment_of(seed),
        state=BattleState.open.value,
        voting_announced=False,
        entry_count=0,
        created_by=admin.id,
    )
    await repository.add(session, battle)
    await emit(
        session,
        "battle.opened",
        battle.id,
        title=battle.title,
        acquirer_company_id=acquirer.id,
        target_company_id=target.id,
        entry_fee=format_amount(battle.entry_fee, Asset.ECE),
        sponsor=format_amount(battle.sponsor, Asset.ECE),
        seed_commitment=battle.seed_commitment,
        enrol_until=battle.enrol_until.isoformat(),
        vote_until=battle.vote_until.isoformat(),
    )
    await audit.record(
        session,
        actor=admin.id,
        action="battle.created",
        object_type="battle",
        object_id=battle.id,
        details={"title": battle.title, "seed_commitment": battle.seed_commitment},
    )
    return battle


async def cancel_battle(session: AsyncSession, admin: User, battle_id: str) -> Battle:
    """Cancel an open battle: every fee hold released, every card unlocked, the seed shown.
    409 ``battle_over``."""
    battle = await locked(session, battle_id)
    refusal = rules.cancel_refusal(battle.state)
    if refusal is not None:
        raise refusal
    if not await repository.close(session, battle.id, BattleState.cancelled, utcnow()):
        raise rules.cancel_refusal(BattleState.settled.value) or rules.not_found()
    entries = await repository.entries(session, battle.id)
    await prizes.refund(session, entries)
    for card in await repository.staked_cards(session, battle.id):
        await cards.unlock_card(session, card.card_id, cards.LockKind.battle, battle.id)
    await emit(session, "battle.cancelled", battle.id, entries=len(entries))
    await audit.record(
        session,
        actor=admin.id,
        action="battle.cancelled",
        object_type="battle",
        object_id=battle.id,
        details={"entries": len(entries)},
    )
    await session.refresh(battle)
    return battle
