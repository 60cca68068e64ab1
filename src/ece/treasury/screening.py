"""The compliance gate of every payout: the one place a payout is screened.

``screening → review? → awaiting_signatures | rejected``. A payout address that is not a
wallet, or is the platform's own, is refused here; a company without ``verified`` KYB is not
paid (its amount goes back to the payables, paid by a later batch once compliance verifies
it); the rest is assessed by compliance (deny list, risk score, stored check with subject type
``payout``), whose review queue decides a payout that scores at or above the review threshold.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from solders.pubkey import Pubkey
from sqlalchemy.ext.asyncio import AsyncSession

from ece.compliance import service as compliance
from ece.config import Settings
from ece.treasury.models import Payout
from ece.treasury.rules import Decision


@dataclass(frozen=True, slots=True)
class Screening:
    decision: Decision
    score: int
    reasons: list[str] = field(default_factory=list)


async def _assess(
    session: AsyncSession, settings: Settings, payout: Payout, requested_by: str
) -> Screening:
    subject = compliance.Subject(
        type=compliance.SubjectType.payout,
        id=payout.id,
        company_id=payout.company_id,
        asset=payout.currency,
        amount=payout.amount,
        destination=payout.destination,
        requested_by=requested_by,
    )
    assessment = await compliance.assess(session, settings, subject)
    reasons = [str(reason["code"]) for reason in assessment.check.reasons]
    return Screening(Decision(assessment.decision.value), assessment.check.score, reasons)


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
    session: AsyncSession,
    settings: Settings,
    payout: Payout,
    platform_addresses: frozenset[str],
    requested_by: str,
) -> Screening:
    """Allow, send to review, or block one payout (blocked: its amount goes back)."""
    refusal = _destination_refusal(payout.destination, platform_addresses)
    if refusal is not None:
        return Screening(Decision.block, 100, [refusal])
    kyb = await compliance.kyb_status(session, payout.company_id)
    if kyb is not compliance.KybStatus.verified:
        return Screening(Decision.block, 100, [f"kyb_{kyb.value}"])
    return await _assess(session, settings, payout, requested_by)
