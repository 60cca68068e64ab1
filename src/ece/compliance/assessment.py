"""Assess one subject: compute its facts from the checks table (and the deny list), score it
with ``risk_rules``, store the check, and open a review when the score asks for one.

The caller acts on the decision in the same transaction: a withdrawal waits in ``review`` with
its hold, or is ``blocked`` and its hold released; a payout (treasury) does the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from ece.auth import service as auth
from ece.compliance import (
    checks_repository,
    monitoring_repository,
    reviews_repository,
    risk_rules,
    screening,
)
from ece.compliance.models import ComplianceCheck, ComplianceReview, Decision, SubjectType
from ece.compliance.risk_rules import Facts
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.money import Asset, parse_amount
from ece.core.pagination import PageParams

# Value leaving the platform: their history is what a withdrawal or payout is compared with.
OUTGOING = frozenset({SubjectType.withdrawal.value, SubjectType.payout.value})
# Trades are checked after settlement by ``monitoring`` (its own rules); assessed here they
# are only scored and recorded, never held, reviewed nor blocked.
MONITORED = frozenset({SubjectType.trade.value})


@dataclass(frozen=True, slots=True)
class Subject:
    """What is assessed. ``user_id`` or ``company_id`` owns it; ``requested_by`` (default the
    user) may never approve its review; ``amount`` is in base units of ``asset``."""

    type: SubjectType
    id: str
    user_id: str | None = None
    company_id: str | None = None
    asset: str | None = None
    amount: int = 0
    destination: str | None = None
    requested_by: str | None = None


@dataclass(frozen=True, slots=True)
class Assessment:
    check: ComplianceCheck
    review: ComplianceReview | None

    @property
    def decision(self) -> Decision:
        return Decision(self.check.decision)


def _large_amount(settings: Settings, asset: str | None) -> int | None:
    if asset != Asset.USDC.value:
        return None  # no USDC price for other assets here: the median rules cover them
    return parse_amount(settings.compliance_large_amount_usdc, Asset.USDC, allow_zero=True)


async def facts(session: AsyncSession, settings: Settings, subject: Subject) -> Facts:
    """Everything the rules read about ``subject``, from compliance's own tables and the
    owner's account age."""
    now = utcnow()
    owner = {"user_id": subject.user_id, "company_id": subject.company_id}
    user = await auth.find_user(session, subject.user_id) if subject.user_id else None
    sanctioned = await screening.denied(
        session,
        {"destination": subject.destination, "account": user.address if user else None},
    )
    types = OUTGOING if subject.type.value in OUTGOING else frozenset({subject.type.value})
    history = await checks_repository.history(
        session, **owner, subject_types=types, since=now - risk_rules.MEDIAN_WINDOW
    )
    first_seen = None
    if subject.destination is not None:
        first_seen = await checks_repository.destination_first_seen(
            session, **owner, destination=subject.destination
        )
    return Facts(
        now=now,
        amount=subject.amount,
        sanctioned=sanctioned,
        past_amounts=risk_rules.past_amounts(history, subject.asset),
        destination=subject.destination,
        destination_first_seen=first_seen,
        last_hour=risk_rules.velocity(history, subject.asset, now - timedelta(hours=1)),
        last_day=risk_rules.velocity(history, subject.asset, now - timedelta(hours=24)),
        account_created_at=user.created_at if user else None,
        large_amount=_large_amount(settings, subject.asset),
        flagged=subject.type.value in OUTGOING
        and subject.user_id is not None
        and await monitoring_repository.flagged(session, subject.user_id),
    )


async def assess(session: AsyncSession, settings: Settings, subject: Subject) -> Assessment:
    """Score ``subject``, store its check, and open its review when the decision is
    ``review``. The caller holds or releases the subject's value by the decision."""
    known = await facts(session, settings, subject)
    risk = risk_rules.score(known)
    decision = risk_rules.decide(
        risk.score, settings.compliance_review_score, flagged=known.flagged
    )
    if subject.type.value in MONITORED:
        decision = Decision.allow
    check = await checks_repository.add(
        session,
        ComplianceCheck(
            subject_type=subject.type.value,
            subject_id=subject.id,
            user_id=subject.user_id,
            company_id=subject.company_id,
            asset=subject.asset,
            amount=subject.amount,
            destination=subject.destination,
            score=risk.score,
            reasons=risk_rules.as_json(risk.reasons),
            decision=decision.value,
            at=utcnow(),
        ),
    )
    review = None
    if decision is Decision.review:
        review = await reviews_repository.add(
            session,
            ComplianceReview(
                check_id=check.id,
                subject_type=subject.type.value,
                subject_id=subject.id,
                user_id=subject.user_id,
                requested_by=subject.requested_by or subject.user_id,
                score=risk.score,
                created_at=utcnow(),
            ),
        )
    return Assessment(check, review)


async def list_checks(
    session: AsyncSession,
    subject_type: SubjectType | None,
    min_score: int | None,
    params: PageParams,
) -> tuple[list[ComplianceCheck], str | None]:
    """Checks newest first, by subject type and minimum score."""
    kind = subject_type.value if subject_type is not None else None
    return await checks_repository.page(session, kind, min_score, params)
