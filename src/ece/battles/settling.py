"""The battle clock: announcing the voting phase, and the settlement at the end of voting.

The settlement locks the battle row (``SKIP LOCKED`` on PostgreSQL, so workers take different
battles) and closes it with a conditional UPDATE, so a battle settles exactly once however many
workers run; the seed is revealed, the outcome computed by ``rules.outcome`` from the frozen
inputs, the prizes paid in one linked ledger group (``prizes.pay``) and every card unlocked.
"""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from ece.battles import prizes, repository, rules
from ece.battles.models import Battle, BattleCard, BattleEntry, BattleVote
from ece.battles.rules import BattleState, EntryInput, Outcome, Side, StakedCard, Terms, VoteInput
from ece.cards import service as cards
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import DomainError
from ece.core.money import Asset, format_amount
from ece.core.outbox import NewEvent, emit, emit_all

log = structlog.get_logger("ece.battles")


def terms_of(battle: Battle) -> Terms:
    return Terms(
        entry_fee=battle.entry_fee,
        sponsor=battle.sponsor,
        fee_bps=battle.fee_bps,
        voter_pool_bps=battle.voter_pool_bps,
        vote_points=battle.vote_points,
        multipliers=rules.parse_multipliers(battle.multipliers),
    )


def inputs_of(
    entries: list[BattleEntry], staked: list[BattleCard], votes: list[BattleVote]
) -> tuple[list[EntryInput], list[VoteInput]]:
    by_entry: dict[str, list[StakedCard]] = {}
    for card in staked:
        by_entry.setdefault(card.entry_id, []).append(
            StakedCard(card.card_id, card.rarity, card.power)
        )
    return (
        [EntryInput(e.id, e.user_id, Side(e.side), tuple(by_entry.get(e.id, ()))) for e in entries],
        [VoteInput(v.user_id, Side(v.side), v.weight) for v in votes],
    )


def stored_result(result: Outcome) -> dict[str, Any]:
    return {
        "formula": rules.FORMULA,
        "winner": None if result.winner is None else result.winner.value,
        "tie": result.tie,
        "deal_factors": result.deal_factors,
        "staked": result.staked,
        "vote_weights": result.vote_weights,
        "scores": result.scores,
        "fees": result.fees,
        "platform_fee": result.platform_fee,
        "pool": result.pool,
        "voter_pool": result.voter_pool,
        "payouts": result.payouts,
    }


def stored_outcome(data: dict[str, Any] | None) -> Outcome | None:
    """The settlement's outcome as ``stored_result`` wrote it (None before)."""
    if data is None:
        return None
    winner = data["winner"]
    return Outcome(
        winner=None if winner is None else Side(winner),
        deal_factors=dict(data["deal_factors"]),
        staked=dict(data["staked"]),
        vote_weights=dict(data["vote_weights"]),
        scores=dict(data["scores"]),
        tie=bool(data["tie"]),
        fees=int(data["fees"]),
        platform_fee=int(data["platform_fee"]),
        pool=int(data["pool"]),
        voter_pool=int(data["voter_pool"]),
        payouts={k: int(v) for k, v in data["payouts"].items()},
    )


async def announce_voting(db: Database) -> int:
    """Emit ``battle.voting`` once for every battle whose enrolment ended."""
    async with db.unit_of_work() as session:
        marked = await repository.announce_voting(session, utcnow())
        for battle_id in marked:
            battle = await repository.battle(session, battle_id)
            assert battle is not None
            await emit(
                session,
                "battle.voting",
                battle_id,
                vote_until=battle.vote_until.isoformat(),
                entries=battle.entry_count,
            )
    return len(marked)


async def settle(session: AsyncSession, battle: Battle) -> Outcome | None:
    """Settle a battle past its voting end (the caller holds its row lock); None when another
    settlement closed it first."""
    entries = await repository.entries(session, battle.id)
    staked = await repository.staked_cards(session, battle.id)
    votes = await repository.votes(session, battle.id)
    entry_inputs, vote_inputs = inputs_of(entries, staked, votes)
    result = rules.outcome(battle.seed, terms_of(battle), entry_inputs, vote_inputs)
    winner = None if result.winner is None else result.winner.value
    if not await repository.close(
        session,
        battle.id,
        BattleState.settled,
        utcnow(),
        winner=winner,
        result=stored_result(result),
    ):
        return None
    payees = {e.id: e.user_id for e in entries} | {f"vote:{v.user_id}": v.user_id for v in votes}
    await prizes.pay(session, battle, entries, result, payees)
    for entry in entries:
        await repository.set_payout(session, entry.id, result.payouts.get(entry.id, 0))
    for card in staked:
        await cards.unlock_card(session, card.card_id, cards.LockKind.battle, battle.id)
    await _announce(session, battle, entries, votes, result, payees)
    return result


async def _announce(
    session: AsyncSession,
    battle: Battle,
    entries: list[BattleEntry],
    votes: list[BattleVote],
    result: Outcome,
    payees: dict[str, str],
) -> None:
    def shown(amount: int) -> str:
        return format_amount(amount, Asset.ECE)

    paid = [{"user_id": payees[k], "amount": shown(v)} for k, v in sorted(result.payouts.items())]
    events: list[NewEvent] = [
        (
            "battle.settled",
            battle.id,
            {
                "winner": None if result.winner is None else result.winner.value,
                "scores": {k: str(v) for k, v in result.scores.items()},
                "seed": battle.seed,
                "payouts": paid,
            },
        )
    ]
    # Every participant and voter hears the result, with what they were paid.
    people = {e.user_id: result.payouts.get(e.id, 0) for e in entries}
    for v in votes:
        people[v.user_id] = people.get(v.user_id, 0) + result.payouts.get(f"vote:{v.user_id}", 0)
    for user_id, amount in sorted(people.items()):
        events.append(
            (
                "battle.result",
                battle.id,
                {
                    "user_id": user_id,
                    "battle_id": battle.id,
                    "winner": None if result.winner is None else result.winner.value,
                    "payout": shown(amount),
                    "asset": Asset.ECE.value,
                },
            )
        )
    await emit_all(session, events)


async def settle_due(db: Database) -> int:
    """Settle every battle past its voting end, one per transaction. Several workers may run
    this at once: each claims a different row and the close is conditional. A battle whose
    settlement is refused is logged and left for the next run."""
    done = 0
    refused: set[str] = set()
    while True:
        claimed: str | None = None
        try:
            async with db.unit_of_work() as session:
                battle = await repository.next_due(session, utcnow(), skip=refused)
                if battle is None:
                    return done
                claimed = battle.id
                if await settle(session, battle) is not None:
                    done += 1
        except DomainError as exc:
            assert claimed is not None
            refused.add(claimed)
            log.error("battle_settlement_refused", battle_id=claimed, code=exc.instance_code)
