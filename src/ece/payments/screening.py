"""Compliance on withdrawals: every withdrawal is assessed once held (``compliance.assess``);
the decision holds it for review, blocks it, or lets the sender take it. A decided review
comes back here through the handler registered with compliance (compliance never imports
payments): approved, the withdrawal goes back to ``pending`` for the sender; rejected, its
hold is released."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.compliance import service as compliance
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.errors import Conflict
from ece.core.outbox import emit
from ece.payments import assets, repository
from ece.payments.models import Withdrawal, WithdrawalStatus
from ece.payments.sender import release_hold


def _details(withdrawal: Withdrawal, check: compliance.ComplianceCheck) -> dict[str, object]:
    return {
        "check_id": check.id,
        "score": check.score,
        "reasons": [str(reason["code"]) for reason in check.reasons],
        "asset": withdrawal.asset,
        "amount": assets.format_units(withdrawal.amount, withdrawal.asset),
    }


async def _release(session: AsyncSession, withdrawal: Withdrawal) -> None:
    """Void the hold (or unlock the card) and give back its share of the daily limit."""
    await release_hold(session, withdrawal, ok=False)
    await repository.give_back_quota(session, withdrawal)


async def screen_withdrawal(
    session: AsyncSession, settings: Settings, withdrawal: Withdrawal
) -> None:
    """Assess a held ``pending`` withdrawal and act on the decision in the same transaction."""
    assessment = await compliance.assess(
        session,
        settings,
        compliance.Subject(
            type=compliance.SubjectType.withdrawal,
            id=withdrawal.id,
            user_id=withdrawal.user_id,
            asset=withdrawal.asset,
            amount=withdrawal.amount,
            destination=withdrawal.destination,
        ),
    )
    decision = assessment.decision
    if decision is compliance.Decision.allow:
        return
    details = _details(withdrawal, assessment.check)
    if decision is compliance.Decision.review:
        assert assessment.review is not None
        withdrawal.status = WithdrawalStatus.review.value
        action = "withdrawal.held_for_review"
        details["review_id"] = assessment.review.id
    else:
        withdrawal.status = WithdrawalStatus.blocked.value
        withdrawal.failure_reason = "blocked by compliance screening"
        withdrawal.finished_at = utcnow()
        await _release(session, withdrawal)
        action = "withdrawal.blocked"
    await session.flush()
    await audit.record(
        session,
        actor=audit.SYSTEM,
        action=action,
        object_type="withdrawal",
        object_id=withdrawal.id,
        details=details,
    )


async def review_decided(session: AsyncSession, review: compliance.ComplianceReview) -> None:
    """An officer decided a withdrawal's review: approved, it waits for the sender again;
    rejected, its hold is released."""
    approved = review.status == compliance.ReviewStatus.approved
    target = WithdrawalStatus.pending if approved else WithdrawalStatus.rejected
    if not await repository.leave_review(session, review.subject_id, target):
        raise Conflict("The withdrawal is not waiting for review.", code="review_decided")
    withdrawal = await repository.get(session, Withdrawal, review.subject_id, fresh=True)
    assert withdrawal is not None
    if not approved:
        withdrawal.failure_reason = "rejected by compliance review"
        await _release(session, withdrawal)
    await emit(
        session,
        f"withdrawal.{'approved' if approved else 'rejected'}",
        withdrawal.id,
        user_id=withdrawal.user_id,
    )


compliance.on_review_decided(compliance.SubjectType.withdrawal, review_decided)
