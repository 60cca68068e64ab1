"""Limit overrides with four eyes: an officer proposes raising one user's 24 h limit for one
activity (withdrawals or purchases) above their KYC level's, with a reason and an expiry; the
proposal waits in the review queue, and only another officer's approval makes it apply. The
proposer, and the user whose limit it raises, may not approve it (403 ``four_eyes``).

An approved override raises the limit to its amount (its USDC-equivalent) until it expires;
the limits check (``limits``) reads it only when the level's own limit would refuse, so a
purchase within the level's limit costs no extra statement.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import service as auth
from ece.compliance import checks_repository, overrides_repository, reviews_repository
from ece.compliance.kyc_rules import Activity
from ece.compliance.models import (
    ComplianceCheck,
    ComplianceReview,
    Decision,
    LimitOverride,
    OverrideStatus,
    ReviewStatus,
    SubjectType,
)
from ece.compliance.reviews import on_review_decided
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.errors import Conflict, NotFound, Unprocessable
from ece.core.money import Asset, format_amount
from ece.core.pagination import PageParams


def _refusal(settings: Settings, amount: int, expires_at: datetime) -> Unprocessable | None:
    now = utcnow()
    if amount <= 0:
        return Unprocessable("amount: more than zero.", code="invalid_amount")
    if expires_at <= now:
        return Unprocessable("expires_at: in the future.", code="invalid_expiry")
    if expires_at > now + timedelta(days=settings.compliance_override_max_days):
        return Unprocessable(
            f"expires_at: at most {settings.compliance_override_max_days} days ahead.",
            code="invalid_expiry",
        )
    return None


async def _open_review(session: AsyncSession, override: LimitOverride) -> ComplianceReview:
    """The check and the review of a proposal: score 0, the reason ``limit_raise``."""
    check = await checks_repository.add(
        session,
        ComplianceCheck(
            subject_type=SubjectType.limit_override.value,
            subject_id=override.id,
            user_id=override.user_id,
            asset=override.currency,
            amount=override.amount,
            score=0,
            reasons=[{"code": "limit_raise", "weight": 0, "detail": override.activity}],
            decision=Decision.review.value,
            at=utcnow(),
        ),
    )
    return await reviews_repository.add(
        session,
        ComplianceReview(
            check_id=check.id,
            subject_type=SubjectType.limit_override.value,
            subject_id=override.id,
            user_id=override.user_id,
            requested_by=override.proposed_by,
            score=0,
            created_at=utcnow(),
        ),
    )


async def propose_override(
    session: AsyncSession,
    settings: Settings,
    officer_id: str,
    user_id: str,
    activity: Activity,
    amount: int,
    currency: Asset,
    reason: str,
    expires_at: datetime,
) -> LimitOverride:
    """Propose raising ``user_id``'s 24 h ``activity`` limit to ``amount`` of ``currency``
    until ``expires_at``; it applies once another officer approves its review. 404
    ``user_not_found``; 422 ``invalid_amount`` / ``invalid_expiry``."""
    refusal = _refusal(settings, amount, expires_at)
    if refusal is not None:
        raise refusal
    user = await auth.user_by_id_or_address(session, user_id)
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    override = await overrides_repository.add(
        session,
        LimitOverride(
            user_id=user.id,
            activity=activity.value,
            amount=amount,
            currency=currency.value,
            reason=reason,
            expires_at=expires_at,
            status=OverrideStatus.pending.value,
            proposed_by=officer_id,
            created_at=utcnow(),
        ),
    )
    override.review_id = (await _open_review(session, override)).id
    await session.flush()
    await audit.record(
        session,
        actor=officer_id,
        action="limit_override.proposed",
        object_type="limit_override",
        object_id=override.id,
        details=_details(override),
    )
    return override


def _details(override: LimitOverride) -> dict[str, object]:
    return {
        "user_id": override.user_id,
        "activity": override.activity,
        "amount": format_amount(override.amount, Asset(override.currency)),
        "currency": override.currency,
        "expires_at": override.expires_at.isoformat(),
        "review_id": override.review_id,
    }


async def override_decided(session: AsyncSession, review: ComplianceReview) -> None:
    """Approved: the override applies (409 ``override_expired`` if its expiry has passed);
    rejected: it never does."""
    override = await overrides_repository.get(session, review.subject_id)
    assert override is not None
    approved = review.status == ReviewStatus.approved
    if approved and override.expires_at <= utcnow():
        raise Conflict("This override has expired: reject it.", code="override_expired")
    status = OverrideStatus.active if approved else OverrideStatus.rejected
    if not await overrides_repository.decide(
        session, override.id, status, review.decided_by, utcnow()
    ):
        raise Conflict("This override is already decided.", code="review_decided")
    decided = await overrides_repository.get(session, override.id)
    assert decided is not None
    await audit.record(
        session,
        actor=review.decided_by or audit.SYSTEM,
        action=f"limit_override.{'approved' if approved else 'rejected'}",
        object_type="limit_override",
        object_id=decided.id,
        details=_details(decided),
    )


on_review_decided(SubjectType.limit_override, override_decided)


async def list_overrides(
    session: AsyncSession, user_id: str | None, status: OverrideStatus | None, params: PageParams
) -> tuple[list[LimitOverride], str | None]:
    """Limit overrides newest first, by user and status."""
    return await overrides_repository.page(session, user_id, status, params)


async def get_override(session: AsyncSession, override_id: str) -> LimitOverride:
    override = await overrides_repository.get(session, override_id)
    if override is None:
        raise NotFound("No such limit override.", code="override_not_found")
    return override


async def override_limits(
    session: AsyncSession, user_id: str, activity: Activity
) -> list[tuple[int, Asset]]:
    """The amounts of the user's approved, unexpired overrides for ``activity``."""
    rows = await overrides_repository.active(session, user_id, activity.value, utcnow())
    return [(amount, Asset(currency)) for amount, currency in rows]
