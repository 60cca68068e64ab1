"""Where a withdrawal may go: a wallet someone can spend from, never a program, a sysvar, an
off-curve address, a token account or mint, or custody itself (the rules are in ``rules``)."""

from __future__ import annotations

from solders.pubkey import Pubkey

from ece.chain.platform import Platform
from ece.chain.protocol import Chain
from ece.payments import rules


async def wallet(chain: Chain, platform: Platform, text: str) -> Pubkey:
    """``text`` as a wallet address, or 422 ``invalid_destination``."""
    destination = rules.parse_destination(text, platform.custody_addresses())
    rules.refuse_off_curve(destination)
    rules.refuse_unspendable(await chain.get_account_info(destination))
    return destination
