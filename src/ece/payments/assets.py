"""Where each payment asset lives: on chain (its mint, token program and custody account), and
on the ledger (custody's mirror account, and the account of what no one has claimed yet)."""

from __future__ import annotations

from dataclasses import dataclass

from solders.pubkey import Pubkey
from sqlalchemy.ext.asyncio import AsyncSession

from ece.chain.platform import Platform
from ece.chain.protocol import AccountNotFound, Chain
from ece.chain.tokens import spl
from ece.core.money import Asset, format_amount
from ece.ledger import service as ledger

# The ledger's custody account per asset mirrors what the custody wallet holds on chain.
CUSTODY_OWNER_ID = "solana"
# The ledger's platform account holding coins that arrived with no one to credit yet.
UNCLAIMED_OWNER_ID = "unclaimed"


@dataclass(frozen=True, slots=True)
class OnChainAsset:
    mint: Pubkey
    decimals: int
    token_program: Pubkey
    custody_account: Pubkey

    def token_account(self, owner: Pubkey) -> Pubkey:
        return spl.get_associated_token_address(owner, self.mint, self.token_program)


def coin(platform: Platform, asset: Asset) -> OnChainAsset:
    return OnChainAsset(
        mint=platform.mint(asset),
        decimals=asset.decimals,
        token_program=spl.TOKEN_PROGRAM_ID,
        custody_account=platform.custody_token_account(asset),
    )


def card(platform: Platform, mint: Pubkey) -> OnChainAsset:
    """Cards are supply-1, 0-decimal Token-2022 mints."""
    return OnChainAsset(
        mint=mint,
        decimals=0,
        token_program=spl.TOKEN_2022_PROGRAM_ID,
        custody_account=spl.get_associated_token_address(
            platform.custody_owner, mint, spl.TOKEN_2022_PROGRAM_ID
        ),
    )


def format_units(amount: int, asset: str) -> str:
    """A stored amount as the API shows it (a card is always "1")."""
    return str(amount) if asset not in Asset.__members__ else format_amount(amount, Asset(asset))


async def account_balance(chain: Chain, account: Pubkey) -> int:
    """A token account's balance; 0 when it does not exist (yet)."""
    try:
        return (await chain.get_token_account_balance(account)).amount
    except AccountNotFound:
        return 0


async def custody_account(session: AsyncSession, asset: Asset) -> int:
    """The ledger account mirroring what custody holds of ``asset``."""
    return await ledger.account_for(session, ledger.OwnerType.custody, CUSTODY_OWNER_ID, asset)


async def unclaimed_account(session: AsyncSession, asset: Asset) -> int:
    """The platform account holding coins that arrived with no one to credit yet."""
    return await ledger.account_for(session, ledger.OwnerType.platform, UNCLAIMED_OWNER_ID, asset)
