"""HTTP for compliance (staff: the ``compliance`` and ``admin`` roles)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from ece.auth.deps import Idempotent, require_role
from ece.auth.service import Role, User
from ece.compliance import service
from ece.compliance.schemas import (
    CheckOut,
    CheckPage,
    DenylistIn,
    DenylistOut,
    DenylistPage,
    ReviewDecisionIn,
    ReviewOut,
    ReviewPage,
)
from ece.core.errors import problem_responses
from ece.core.pagination import PageParams, page_params
from ece.runtime.deps import Session
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1/compliance", route_class=UnitOfWorkRoute)

Pagination = Annotated[PageParams, Depends(page_params)]
Officer = Annotated[User, Depends(require_role(Role.compliance, Role.admin))]
STAFF = problem_responses(401, 403)

# --- screening, risk and reviews ---------------------------------------------------------------


@router.post(
    "/denylist",
    tags=["compliance"],
    status_code=201,
    response_model=DenylistOut,
    responses=problem_responses(401, 403, 422),
)
async def add_to_denylist(body: DenylistIn, officer: Officer, session: Session) -> DenylistOut:
    """Deny-list an address: no withdrawal goes to it, no deposit from it is credited, its
    wallet cannot sign in. Listing it again changes nothing."""
    entry = await service.add_to_denylist(session, body.address, body.reason, officer.id)
    return DenylistOut.of(entry)


@router.delete(
    "/denylist/{address}",
    tags=["compliance"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def remove_from_denylist(address: str, officer: Officer, session: Session) -> Response:
    await service.remove_from_denylist(session, address, officer.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/denylist", tags=["compliance"], response_model=DenylistPage, responses=STAFF)
async def list_denylist(_officer: Officer, session: Session, params: Pagination) -> DenylistPage:
    items, cursor = await service.list_denylist(session, params)
    return DenylistPage(items=[DenylistOut.of(e) for e in items], next_cursor=cursor)


@router.get(
    "/checks",
    tags=["compliance"],
    response_model=CheckPage,
    responses=problem_responses(401, 403, 422),
)
async def list_checks(
    _officer: Officer,
    session: Session,
    params: Pagination,
    subject_type: service.SubjectType | None = None,
    min_score: Annotated[int | None, Query(ge=0, le=100)] = None,
) -> CheckPage:
    """Every check, newest first: the score 0 to 100, its reasons and the decision."""
    items, cursor = await service.list_checks(session, subject_type, min_score, params)
    return CheckPage(items=[CheckOut.of(c) for c in items], next_cursor=cursor)


@router.get(
    "/reviews",
    tags=["compliance"],
    response_model=ReviewPage,
    responses=problem_responses(401, 403, 422),
)
async def list_reviews(
    _officer: Officer,
    session: Session,
    params: Pagination,
    review_status: Annotated[service.ReviewStatus | None, Query(alias="status")] = None,
) -> ReviewPage:
    """The review queue, newest first, each with its score and reasons."""
    items, cursor = await service.list_reviews(session, review_status, params)
    return ReviewPage(items=[ReviewOut.of(r, c) for r, c in items], next_cursor=cursor)


@router.post(
    "/reviews/{review_id}/decision",
    tags=["compliance"],
    response_model=ReviewOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide_review(
    review_id: str,
    body: ReviewDecisionIn,
    officer: Officer,
    _idempotency: Idempotent,
    session: Session,
) -> ReviewOut:
    """Approve (the withdrawal is sent) or reject (its hold is released), once. Whoever
    requested the action cannot approve it (403 ``four_eyes``); deciding again is 409. Accepts
    ``Idempotency-Key``: a retried request gets the first answer again."""
    review = await service.decide_review(
        session, review_id, officer.id, approve=body.decision == "approve", note=body.note
    )
    return ReviewOut.of(review)
