"""Where a withdrawal may go: a wallet someone can spend from, never a program, a sysvar, an
off-curve address, a token account or mint, or custody itself."""

from __future__ import annotations

from solders.pubkey import Pubkey

from ece.chain import spl
from ece.chain.base import Chain
from ece.chain.platform import Platform
from ece.core.errors import Unprocessable
from ece.core.money import Asset
from ece.payments.solana_pay import InvalidAddress, parse_address


async def wallet(chain: Chain, platform: Platform, text: str) -> Pubkey:
    """``text`` as a wallet address, or 422 ``invalid_destination``."""
    destination = _parse(platform, text)
    await _refuse_unspendable(chain, destination)
    return destination


def _parse(platform: Platform, text: str) -> Pubkey:
    try:
        destination = parse_address(text)
    except InvalidAddress as exc:
        raise Unprocessable(f"destination: {exc}.", code="invalid_destination") from exc
    own = {platform.custody_owner, *(platform.custody_token_account(a) for a in Asset)}
    if destination in own:
        raise Unprocessable(
            "destination: that is the platform's own custody.", code="invalid_destination"
        )
    return destination


# Programs and sysvars: tokens sent to their associated accounts can never be spent.
_NOT_WALLETS = frozenset(
    Pubkey.from_string(address)
    for address in (
        "11111111111111111111111111111111",  # System
        "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA",  # SPL Token
        "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb",  # Token-2022
        "ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL",  # Associated Token Account
        "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr",  # Memo v2
        "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo",  # Memo v1
        "ComputeBudget111111111111111111111111111111",
        "AddressLookupTab1e1111111111111111111111111",
        "Stake11111111111111111111111111111111111111",
        "Vote111111111111111111111111111111111111111",
        "Config1111111111111111111111111111111111111",
        "Ed25519SigVerify111111111111111111111111111",
        "KeccakSecp256k11111111111111111111111111111",
        "BPFLoader1111111111111111111111111111111111",
        "BPFLoader2111111111111111111111111111111111",
        "BPFLoaderUpgradeab1e11111111111111111111111",
        "LoaderV411111111111111111111111111111111111",
        "NativeLoader1111111111111111111111111111111",
        "Sysvar1111111111111111111111111111111111111",
        "SysvarC1ock11111111111111111111111111111111",
        "SysvarRent111111111111111111111111111111111",
        "SysvarEpochSchedu1e111111111111111111111111",
        "SysvarFees111111111111111111111111111111111",
        "SysvarRecentB1ockHashes11111111111111111111",
        "SysvarS1otHashes111111111111111111111111111",
        "SysvarS1otHistory11111111111111111111111111",
        "SysvarStakeHistory1111111111111111111111111",
        "Sysvar1nstructions1111111111111111111111111",
        "SysvarEpochRewards1111111111111111111111111",
        "SysvarLastRestartS1ot1111111111111111111111",
        "Feature111111111111111111111111111111111111",  # the feature-gate program
        "1nc1nerator11111111111111111111111111111111",  # the incinerator: burned, by design
        # Wrapped SOL's native mints: a mint, not a wallet, even where the chain lacks it.
        "So11111111111111111111111111111111111111112",
        "9pan9bMn5HatX4EJdBwg9VgCa7Uz5HL8N1m5D3NdXejP",
    )
)
_SYSVAR_OWNER = Pubkey.from_string("Sysvar1111111111111111111111111111111111111")


async def _refuse_unspendable(chain: Chain, destination: Pubkey) -> None:
    """Refuse a destination whose tokens no one could ever spend: a program, a sysvar, an
    off-curve address (a PDA: only its program could sign, and it would not), a token account
    or a mint (422 ``invalid_destination``)."""
    if destination in _NOT_WALLETS or not destination.is_on_curve():
        raise Unprocessable(
            "destination: that is a program, sysvar or program-derived address, not a wallet.",
            code="invalid_destination",
        )
    account = await chain.get_account_info(destination)
    if account is None:
        return
    if account.executable or account.owner == _SYSVAR_OWNER:
        raise Unprocessable(
            "destination: that is a program or sysvar, not a wallet.", code="invalid_destination"
        )
    if account.owner in spl.TOKEN_PROGRAMS:
        raise Unprocessable(
            "destination: give the wallet address, not a token account or mint.",
            code="invalid_destination",
        )
