"""Plain builders for ledger tests."""

from __future__ import annotations

import itertools

from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.money import Asset
from ece.ledger import service
from ece.ledger.models import OwnerType, TransferCode
from ece.ledger.service import AccountBalance, TransferSpec

_serial = itertools.count()


def new_transfer_id(prefix: str = "t") -> str:
    return f"{prefix}-{next(_serial)}"


async def custody(session: AsyncSession, asset: Asset = Asset.USDC) -> int:
    return await service.account_for(session, OwnerType.custody, "solana", asset)


async def funded_user(
    session: AsyncSession, user_id: str, amount: int, asset: Asset = Asset.USDC
) -> int:
    """A user's main account holding ``amount``, deposited from custody."""
    account = await service.user_account(session, user_id, asset)
    if amount:
        await service.create_transfers(
            session,
            [
                TransferSpec(
                    new_transfer_id("deposit"),
                    await custody(session, asset),
                    account,
                    asset,
                    amount,
                    TransferCode.deposit,
                )
            ],
        )
    return account


def pay(
    debit: int,
    credit: int,
    amount: int,
    *,
    id: str | None = None,
    pending: bool = False,
    asset: Asset = Asset.USDC,
) -> TransferSpec:
    return TransferSpec(
        id or new_transfer_id(),
        debit,
        credit,
        asset,
        amount,
        TransferCode.hold if pending else TransferCode.trade,
        pending=pending,
    )


async def balances(session: AsyncSession, *accounts: int) -> list[AccountBalance]:
    return [await service.balance(session, a) for a in accounts]
