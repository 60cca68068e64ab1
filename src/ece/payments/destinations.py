"""Where a withdrawal may go: a wallet someone can spend from, never a program, a sysvar, an
off-curve address, a token account or mint, or custody itself."""

from __future__ import annotations

from solders.pubkey import Pubkey

from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.chain.tokens import spl
from ece.chain.wallets import SYSVAR_OWNER, can_be_wallet
from ece.core.errors import Unprocessable
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
    if destination in platform.custody_addresses():
        raise Unprocessable(
            "destination: that is the platform's own custody.", code="invalid_destination"
        )
    return destination


async def _refuse_unspendable(chain: Chain, destination: Pubkey) -> None:
    """Refuse a destination whose tokens no one could ever spend: a program, a sysvar, an
    off-curve address (a PDA: only its program could sign, and it would not), a token account
    or a mint (422 ``invalid_destination``)."""
    if not can_be_wallet(destination):
        raise Unprocessable(
            "destination: that is a program, sysvar or program-derived address, not a wallet.",
            code="invalid_destination",
        )
    account = await chain.get_account_info(destination)
    if account is None:
        return
    if account.executable or account.owner == SYSVAR_OWNER:
        raise Unprocessable(
            "destination: that is a program or sysvar, not a wallet.", code="invalid_destination"
        )
    if account.owner in spl.TOKEN_PROGRAMS:
        raise Unprocessable(
            "destination: give the wallet address, not a token account or mint.",
            code="invalid_destination",
        )
