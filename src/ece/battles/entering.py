"""Joining a side (stake 1-5 cards, hold the entry fee) and voting.

Both lock the battle row first, so entries and votes of one battle apply one after another and
never cross the settlement. An entry checks every card before anything is locked; any refusal
rolls the whole transaction back, so a refused entry locks no card and holds no fee.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth.service import User
from ece.battles import prizes, repository, rules
from ece.battles.creating import locked
from ece.battles.models import Battle, BattleCard, BattleEntry, BattleVote
from ece.battles.rules import Side
from ece.cards import service as cards
from ece.cards.service import CardOwner, LockKind
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import new_id
from ece.core.errors import Forbidden
from ece.core.money import Asset, format_amount
from ece.core.outbox import emit
from ece.settlement import service as settlement


def _company_of(battle: Battle, side: Side) -> str:
    return battle.acquirer_company_id if side is Side.acquirer else battle.target_company_id


async def _checked_cards(
    session: AsyncSession, user: User, company_id: str, card_ids: Sequence[str]
) -> list[cards.Card]:
    """Every card exists, is the user's and of the side's company (403 ``not_card_owner``,
    404 ``card_not_found``, 422 ``wrong_company``); locks are checked when taken."""
    found = []
    for card_id in card_ids:
        card = await cards.current_card(session, card_id)
        if CardOwner.of(card) != CardOwner.user(user.id):
            raise Forbidden("You do not own this card.", code="not_card_owner")
        if card.company_id != company_id:
            raise rules.wrong_company()
        found.append(card)
    return found


async def enter(
    session: AsyncSession,
    settings: Settings,
    user: User,
    battle_id: str,
    side: Side,
    card_ids: Sequence[str],
) -> BattleEntry:
    """Join ``side`` staking ``card_ids`` and paying the entry fee (held until settlement).
    409 ``enrolment_closed``, ``already_entered``, ``side_full``, ``card_locked``,
    ``insufficient_funds``; 403 ``not_card_owner``; 422 ``invalid_cards``, ``wrong_company``."""
    battle = await locked(session, battle_id)
    seen = rules.phase(battle.state, utcnow(), battle.enrol_until, battle.vote_until)
    refusal = rules.entry_refusal(
        seen,
        len(card_ids),
        len(set(card_ids)),
        battle.max_cards_per_user,
        await repository.side_count(session, battle.id, side.value),
        settings.battle_max_entries_per_side,
    )
    if refusal is not None:
        raise refusal
    if await repository.entry_of(session, battle.id, user.id) is not None:
        raise rules.already_entered()
    staked = await _checked_cards(session, user, _company_of(battle, side), card_ids)
    multipliers = rules.parse_multipliers(battle.multipliers)
    entry_id = new_id()
    entry = BattleEntry(
        id=entry_id,
        battle_id=battle.id,
        user_id=user.id,
        side=side.value,
        staked_power=rules.staked_power(
            [rules.StakedCard(c.id, c.rarity, c.power) for c in staked], multipliers
        ),
        fee=battle.entry_fee,
        hold_transfer_id=prizes.hold_id(battle.id, entry_id),
    )
    await repository.add(session, entry)
    await repository.add(
        session,
        *(
            BattleCard(
                battle_id=battle.id, card_id=c.id, entry_id=entry.id, rarity=c.rarity, power=c.power
            )
            for c in staked
        ),
    )
    for card in staked:
        await cards.lock_card(session, card.id, CardOwner.user(user.id), LockKind.battle, battle.id)
    await prizes.hold_fee(session, battle, entry)
    battle.entry_count += 1
    await emit(
        session,
        "battle.entered",
        battle.id,
        user_id=user.id,
        side=side.value,
        card_ids=list(card_ids),
        staked_power=entry.staked_power,
        fee=format_amount(entry.fee, Asset.ECE),
    )
    return entry


async def _weight(session: AsyncSession, settings: Settings, user: User, held: int) -> int:
    old_enough = user.created_at <= utcnow() - timedelta(seconds=settings.battle_voter_min_age_s)
    traded = held > 0 and old_enough and await settlement.has_traded(session, user.id)
    return rules.vote_weight(held, old_enough, traded)


async def vote(
    session: AsyncSession, settings: Settings, user: User, battle_id: str, side: Side
) -> BattleVote:
    """Vote for ``side`` (or change your vote: the latest counts, once). Weight sqrt(cards held
    of the two companies), 0 for a young or untraded account. 409 ``voting_closed``; 403
    ``not_a_holder``."""
    battle = await locked(session, battle_id)
    seen = rules.phase(battle.state, utcnow(), battle.enrol_until, battle.vote_until)
    owned = cards.cards_owned_by(user.id)
    held = await repository.count_owned(
        session, owned, [battle.acquirer_company_id, battle.target_company_id]
    )
    refusal = rules.vote_refusal(seen, held)
    if refusal is not None:
        raise refusal
    weight = await _weight(session, settings, user, held)
    now = utcnow()
    ballot = await repository.vote_of(session, battle.id, user.id)
    if ballot is None:
        ballot = BattleVote(
            battle_id=battle.id,
            user_id=user.id,
            side=side.value,
            weight=weight,
            cards_held=held,
            changes=0,
            updated_at=now,
        )
        await repository.add(session, ballot)
    else:
        ballot.side, ballot.weight, ballot.cards_held = side.value, weight, held
        ballot.changes += 1
        ballot.updated_at = now
        await session.flush()
    await emit(session, "battle.voted", battle.id, side=side.value, weight=weight)
    return ballot
