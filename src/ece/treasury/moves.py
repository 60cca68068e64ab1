"""The ledger moves of a payout: its payables into the treasury's in-flight account (converting
ECE to USDC through the treasury's exchange accounts, so each asset stays zero-sum), back again
if it does not go out, and out to custody once the chain paid it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ece.cards import service as cards
from ece.core.money import Asset
from ece.ledger import service as ledger
from ece.treasury.models import Payout
from ece.treasury.rules import Leg

TREASURY = "treasury"
IN_FLIGHT = "in_flight"
EXCHANGE = "exchange"
# The ledger's custody mirror (payments' ``CUSTODY_OWNER_ID``; tests pin the two together):
# a confirmed payout has left custody's USDC account on chain.
CUSTODY_OWNER_ID = "solana"


async def in_flight_account(session: AsyncSession) -> int:
    return await ledger.account_for(
        session, ledger.OwnerType.escrow, TREASURY, Asset.USDC, IN_FLIGHT
    )


async def _exchange(session: AsyncSession, asset: Asset) -> int:
    return await ledger.account_for(session, ledger.OwnerType.platform, TREASURY, asset, EXCHANGE)


async def _leg_ops(
    session: AsyncSession, payout: Payout, index: int, leg: Leg, *, back: bool
) -> list[ledger.TransferSpec]:
    """Payable → in flight (USDC), or payable → exchange (ECE) and exchange → in flight (USDC);
    ``back`` swaps every side, with ids of their own."""
    payable = await cards.payable_account(session, payout.company_id, leg.asset, leg.purpose)
    in_flight = await in_flight_account(session)
    tag = "back" if back else "out"
    pairs: list[tuple[str, int, int, Asset, int, ledger.TransferCode]] = []
    if leg.asset is Asset.USDC:
        pairs.append(
            ("usdc", payable, in_flight, Asset.USDC, leg.amount, ledger.TransferCode.payout)
        )
    else:
        code = ledger.TransferCode.conversion
        exchange_in, exchange_usdc = (
            await _exchange(session, leg.asset),
            await _exchange(session, Asset.USDC),
        )
        pairs.append(("sell", payable, exchange_in, leg.asset, leg.amount, code))
        pairs.append(("buy", exchange_usdc, in_flight, Asset.USDC, leg.usdc, code))
    return [
        ledger.TransferSpec(
            id=f"payout:{payout.id}:{index}:{name}:{tag}",
            debit_account_id=credit if back else debit,
            credit_account_id=debit if back else credit,
            asset=asset,
            amount=amount,
            code=code,
            reference=f"payout:{payout.id}",
        )
        for name, debit, credit, asset, amount, code in pairs
    ]


async def drain(session: AsyncSession, payout: Payout) -> None:
    """Move the payout's legs into flight at once: the same value can never be paid twice."""
    ops = []
    for index, raw in enumerate(payout.legs):
        ops += await _leg_ops(session, payout, index, Leg.of(raw), back=False)
    await ledger.create_transfers(session, ops)


async def give_back(session: AsyncSession, payout: Payout) -> None:
    """Return every leg to its payable, exactly as it left (ECE as ECE)."""
    ops = []
    for index, raw in enumerate(payout.legs):
        ops += await _leg_ops(session, payout, index, Leg.of(raw), back=True)
    await ledger.create_transfers(session, ops)


async def paid_out(session: AsyncSession, payout: Payout) -> None:
    """In flight → custody's mirror: the USDC left custody on chain in the payout transaction."""
    custody = await ledger.account_for(
        session, ledger.OwnerType.custody, CUSTODY_OWNER_ID, Asset.USDC
    )
    await ledger.create_transfers(
        session,
        [
            ledger.TransferSpec(
                id=f"payout:{payout.id}:sent",
                debit_account_id=await in_flight_account(session),
                credit_account_id=custody,
                asset=Asset.USDC,
                amount=payout.amount,
                code=ledger.TransferCode.payout,
                reference=f"payout:{payout.id}",
            )
        ],
    )
