"""The ledger moves of a battle, all ECE: an entry fee is a hold (user → the battle's escrow,
pending); the settlement posts every hold, pays the platform fee, takes the sponsor's top-up
from the treasury and pays every prize out of the escrow, in one linked group, so the escrow
ends at zero; a cancel releases every hold."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from ece.battles.models import Battle, BattleEntry
from ece.battles.rules import Outcome
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.ledger.service import (
    Operation,
    OwnerType,
    PostPending,
    TransferCode,
    TransferSpec,
    VoidPending,
)
from ece.settlement import service as settlement

ESCROW = "battle"
TREASURY = "treasury"
SPONSORSHIP = "battle_sponsor"


def hold_id(battle_id: str, entry_id: str) -> str:
    return f"battle:{battle_id}:entry:{entry_id}"


async def escrow_account(session: AsyncSession, battle_id: str) -> int:
    return await ledger.account_for(session, OwnerType.escrow, battle_id, Asset.ECE, ESCROW)


async def hold_fee(session: AsyncSession, battle: Battle, entry: BattleEntry) -> None:
    """Hold the entry fee from the user's ECE (409 ``insufficient_funds``)."""
    spec = TransferSpec(
        entry.hold_transfer_id,
        await ledger.user_account(session, entry.user_id, Asset.ECE),
        await escrow_account(session, battle.id),
        Asset.ECE,
        entry.fee,
        TransferCode.hold,
        f"battle:{battle.id}",
        pending=True,
    )
    await ledger.create_transfers(session, [spec], new_ids=True)


async def refund(session: AsyncSession, entries: Sequence[BattleEntry]) -> None:
    """Release every entry's fee hold, in one batch."""
    ops = [VoidPending(f"{e.hold_transfer_id}:refund", e.hold_transfer_id) for e in entries]
    await ledger.create_transfers(session, ops)


async def _payout_specs(
    session: AsyncSession,
    battle: Battle,
    escrow: int,
    payees: Mapping[str, str],
    payouts: Mapping[str, int],
) -> list[Operation]:
    return [
        TransferSpec(
            f"battle:{battle.id}:payout:{key}",
            escrow,
            await ledger.user_account(session, payees[key], Asset.ECE),
            Asset.ECE,
            amount,
            TransferCode.reward,
            f"battle:{battle.id}",
        )
        for key, amount in sorted(payouts.items())
    ]


async def pay(
    session: AsyncSession,
    battle: Battle,
    entries: Sequence[BattleEntry],
    result: Outcome,
    payees: Mapping[str, str],
) -> None:
    """Post every fee hold, then the platform fee, the sponsor's top-up and every prize, in
    one linked ledger group (all of it or none). ``payees``: payout key → user id."""
    escrow = await escrow_account(session, battle.id)
    ops: list[Operation] = [
        PostPending(f"{e.hold_transfer_id}:post", e.hold_transfer_id) for e in entries
    ]
    reference = f"battle:{battle.id}"
    if result.platform_fee > 0:
        fees = await settlement.fee_account(session, Asset.ECE, battle.id)
        ops.append(
            TransferSpec(
                f"battle:{battle.id}:fee",
                escrow,
                fees,
                Asset.ECE,
                result.platform_fee,
                TransferCode.fee,
                reference,
            )
        )
    if result.pool > 0 and battle.sponsor > 0:
        treasury = await ledger.account_for(
            session, OwnerType.platform, TREASURY, Asset.ECE, SPONSORSHIP
        )
        ops.append(
            TransferSpec(
                f"battle:{battle.id}:sponsor",
                treasury,
                escrow,
                Asset.ECE,
                battle.sponsor,
                TransferCode.reward,
                reference,
            )
        )
    ops += await _payout_specs(session, battle, escrow, payees, result.payouts)
    await ledger.create_transfers(session, ops)
