"""The treasury of a configuration: its multisig's members and threshold, custody and the USDC
mint. On the embedded chain the multisig is created the first time it is needed; on a real
cluster it is made beforehand and given by address (checked against the settings)."""

from __future__ import annotations

from solders.pubkey import Pubkey

from ece.chain.platform import Platform
from ece.config import Settings
from ece.core.errors import Conflict
from ece.core.money import Asset
from ece.treasury.multisig import Treasury


def treasury_of(settings: Settings, platform: Platform) -> Treasury:
    """Raises ``Conflict`` ``treasury_not_configured`` without M ≤ N ≤ 11 signers (nothing can
    be paid until the multisig is configured)."""
    try:
        signers = tuple(Pubkey.from_string(s) for s in settings.treasury_signers)
    except ValueError:
        raise _unconfigured("ECE_TREASURY_SIGNERS holds an address that is not one.") from None
    if not signers or len(set(signers)) != len(signers) or len(signers) > 11:
        raise _unconfigured("ECE_TREASURY_SIGNERS needs 1 to 11 distinct wallets.")
    if settings.treasury_threshold > len(signers):
        raise _unconfigured("ECE_TREASURY_THRESHOLD is more than there are signers.")
    given = (settings.treasury_multisig, settings.treasury_usdc_account)
    if any(given) and not all(given):
        raise _unconfigured("ECE_TREASURY_MULTISIG and ECE_TREASURY_USDC_ACCOUNT go together.")
    try:
        multisig, usdc_account = (Pubkey.from_string(a) if a else None for a in given)
    except ValueError:
        raise _unconfigured("ECE_TREASURY_MULTISIG or _USDC_ACCOUNT is not an address.") from None
    return Treasury(
        custody=platform.custody,
        usdc_mint=platform.mint(Asset.USDC),
        signers=signers,
        threshold=settings.treasury_threshold,
        given_multisig=multisig,
        given_usdc_account=usdc_account,
    )


def _unconfigured(detail: str) -> Conflict:
    return Conflict(detail, code="treasury_not_configured")
