"""The compliance gate of every payout: the one place a payout is screened.

``screening → review? → awaiting_signatures | rejected``.

PLACEHOLDER until the compliance package lands on main: it will answer through
``ece.compliance.service.kyb_status(session, company_id)`` (a company without ``verified`` KYB
waits for review) and ``ece.compliance.service.assess(...)`` (deny list, risk score, decision,
recording a ComplianceCheck with subject_type "payout"). Until then the gate refuses what can be
decided here (a payout address that is not a wallet, or is the platform's own) and allows the
rest. Replace ``_kyb_status`` and ``_assess`` with those calls; nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from solders.pubkey import Pubkey
from sqlalchemy.ext.asyncio import AsyncSession

from ece.treasury.models import Payout
from ece.treasury.rules import Decision


@dataclass(frozen=True, slots=True)
class Screening:
    decision: Decision
    score: int
    reasons: list[str] = field(default_factory=list)


async def _kyb_status(session: AsyncSession, company_id: str) -> str:
    # PLACEHOLDER: compliance.service.kyb_status(session, company_id) once it exists.
    return "verified"


async def _assess(session: AsyncSession, payout: Payout) -> Screening:
    # PLACEHOLDER: compliance.service.assess(...) (deny list + risk score) once it exists.
    return Screening(Decision.allow, 0)


def _destination_refusal(destination: str, platform_addresses: frozenset[str]) -> str | None:
    try:
        wallet = Pubkey.from_string(destination)
    except ValueError:
        return "destination_invalid"
    if not wallet.is_on_curve():
        return "destination_not_a_wallet"
    if destination in platform_addresses:
        return "destination_is_platform"
    return None


async def screen(
    session: AsyncSession, payout: Payout, platform_addresses: frozenset[str]
) -> Screening:
    """Allow, send to review, or block one payout (blocked: its amount goes back)."""
    refusal = _destination_refusal(payout.destination, platform_addresses)
    if refusal is not None:
        return Screening(Decision.block, 100, [refusal])
    kyb = await _kyb_status(session, payout.company_id)
    if kyb == "rejected":
        return Screening(Decision.block, 100, ["kyb_rejected"])
    if kyb != "verified":
        return Screening(Decision.review, 70, ["kyb_unverified"])
    return await _assess(session, payout)
