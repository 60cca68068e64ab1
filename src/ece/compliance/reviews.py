"""The four-eyes review queue: actions whose score reached the review threshold wait here, their
value still held, until a compliance officer other than the requester decides.

Compliance sits below the domains whose actions it reviews (payments imports compliance, never
the reverse), so each of those domains registers what a decision does to its subject with
``on_review_decided``; ``decide_review`` closes the review and runs that handler in the same
transaction: the review and its subject change together or not at all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.compliance import checks_repository, overrides_repository, reviews_repository
from ece.compliance.models import ComplianceCheck, ComplianceReview, ReviewStatus, SubjectType
from ece.core.clock import utcnow
from ece.core.errors import Conflict, Forbidden, NotFound, ServiceUnavailable
from ece.core.pagination import PageParams

ReviewHandler = Callable[[AsyncSession, ComplianceReview], Awaitable[None]]
"""What a decided review does to its subject (``review.status`` says approved or rejected)."""

_handlers: dict[str, ReviewHandler] = {}


def on_review_decided(subject_type: SubjectType, handler: ReviewHandler) -> None:
    """Register what a decision on a ``subject_type`` review does (one handler per type)."""
    _handlers[subject_type.value] = handler


async def list_reviews(
    session: AsyncSession, status: ReviewStatus | None, params: PageParams
) -> tuple[list[tuple[ComplianceReview, ComplianceCheck | None]], str | None]:
    """Reviews newest first, each with the check (score and reasons) that opened it."""
    reviews, cursor = await reviews_repository.page(session, status, params)
    checks = await checks_repository.by_ids(session, {review.check_id for review in reviews})
    return [(review, checks.get(review.check_id)) for review in reviews], cursor


async def get_review(session: AsyncSession, review_id: str) -> ComplianceReview:
    review = await reviews_repository.get(session, review_id)
    if review is None:
        raise NotFound("No such review.", code="review_not_found")
    return review


def _refuse(review: ComplianceReview, officer_id: str, approve: bool) -> ReviewHandler:
    if review.status != ReviewStatus.open:
        raise Conflict("This review is already decided.", code="review_decided")
    if approve and officer_id in {review.requested_by, review.user_id}:
        raise Forbidden(
            "Four eyes: whoever requested an action cannot approve it.", code="four_eyes"
        )
    handler = _handlers.get(review.subject_type)
    if handler is None:
        raise ServiceUnavailable(
            f"No handler for {review.subject_type} reviews.", code="review_handler_missing"
        )
    return handler


async def _raised_their_limit(
    session: AsyncSession, review: ComplianceReview, officer_id: str
) -> bool:
    """Whether the officer proposed or approved an active limit override of the review's user
    (a raise's own review is judged by its proposer alone)."""
    if review.user_id is None or review.subject_type == SubjectType.limit_override:
        return False
    return await overrides_repository.raised_by(session, review.user_id, officer_id)


async def decide_review(
    session: AsyncSession, review_id: str, officer_id: str, *, approve: bool, note: str | None
) -> ComplianceReview:
    """Approve (the action goes ahead) or reject (its value is released) an open review, once.

    404 ``review_not_found``; 403 ``four_eyes`` when the officer requested the action (or
    raised the limit of the user whose action it is: proposed or approved an active override); 409
    ``review_decided`` when it was decided before (or by another officer at the same moment).
    """
    review = await get_review(session, review_id)
    handler = _refuse(review, officer_id, approve)
    if approve and await _raised_their_limit(session, review, officer_id):
        raise Forbidden(
            "Four eyes: an officer who raised this user's limit cannot approve their actions.",
            code="four_eyes",
        )
    status = ReviewStatus.approved if approve else ReviewStatus.rejected
    if not await reviews_repository.decide(session, review_id, status, officer_id, note, utcnow()):
        raise Conflict("This review is already decided.", code="review_decided")
    decided = await reviews_repository.get(session, review_id, fresh=True)
    assert decided is not None
    await handler(session, decided)
    await audit.record(
        session,
        actor=officer_id,
        action=f"review.{status.value}",
        object_type="review",
        object_id=decided.id,
        details={
            "subject_type": decided.subject_type,
            "subject_id": decided.subject_id,
            "score": decided.score,
            "check_id": decided.check_id,
        },
    )
    return decided
