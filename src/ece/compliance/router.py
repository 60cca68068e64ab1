"""HTTP for compliance: the staff console's screening, risk and reviews (the ``compliance`` and
``admin`` roles), users' own KYC, and the officers' KYC queue and KYB status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status

from ece.auth.deps import ComplianceOfficer, CurrentUser, Idempotent, api_key_access
from ece.compliance import service
from ece.compliance.schemas import (
    CheckOut,
    CheckPage,
    DenylistIn,
    DenylistOut,
    DenylistPage,
    FlagOut,
    FlagPage,
    KybIn,
    KybOut,
    KybPage,
    KycDecisionIn,
    KycIn,
    KycOut,
    KycPage,
    OverrideIn,
    OverrideOut,
    OverridePage,
    ReviewDecisionIn,
    ReviewOut,
    ReviewPage,
)
from ece.core.errors import problem_responses
from ece.core.money import Asset
from ece.core.pagination import PageParams, page_params
from ece.runtime.deps import Session, SettingsDep
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)

Pagination = Annotated[PageParams, Depends(page_params)]
STAFF = problem_responses(401, 403)

# --- screening, risk and reviews ---------------------------------------------------------------


@router.post(
    "/compliance/denylist",
    tags=["compliance"],
    status_code=201,
    response_model=DenylistOut,
    responses=problem_responses(401, 403, 422),
)
async def add_to_denylist(
    body: DenylistIn, officer: ComplianceOfficer, session: Session
) -> DenylistOut:
    """Deny-list an address: no withdrawal goes to it, no deposit from it is credited, its
    wallet cannot sign in. Listing it again changes nothing."""
    entry = await service.add_to_denylist(session, body.address, body.reason, officer.id)
    return DenylistOut.of(entry)


@router.delete(
    "/compliance/denylist/{address}",
    tags=["compliance"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def remove_from_denylist(
    address: str, officer: ComplianceOfficer, session: Session
) -> Response:
    await service.remove_from_denylist(session, address, officer.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/compliance/denylist", tags=["compliance"], response_model=DenylistPage, responses=STAFF
)
async def list_denylist(
    _officer: ComplianceOfficer, session: Session, params: Pagination
) -> DenylistPage:
    items, cursor = await service.list_denylist(session, params)
    return DenylistPage(items=[DenylistOut.of(e) for e in items], next_cursor=cursor)


@router.get(
    "/compliance/checks",
    tags=["compliance"],
    response_model=CheckPage,
    responses=problem_responses(401, 403, 422),
)
async def list_checks(
    _officer: ComplianceOfficer,
    session: Session,
    params: Pagination,
    subject_type: service.SubjectType | None = None,
    min_score: Annotated[int | None, Query(ge=0, le=100)] = None,
) -> CheckPage:
    """Every check, newest first: the score 0 to 100, its reasons and the decision."""
    items, cursor = await service.list_checks(session, subject_type, min_score, params)
    return CheckPage(items=[CheckOut.of(c) for c in items], next_cursor=cursor)


@router.get(
    "/compliance/reviews",
    tags=["compliance"],
    response_model=ReviewPage,
    responses=problem_responses(401, 403, 422),
)
async def list_reviews(
    _officer: ComplianceOfficer,
    session: Session,
    params: Pagination,
    review_status: Annotated[service.ReviewStatus | None, Query(alias="status")] = None,
) -> ReviewPage:
    """The review queue, newest first, each with its score and reasons."""
    items, cursor = await service.list_reviews(session, review_status, params)
    return ReviewPage(items=[ReviewOut.of(r, c) for r, c in items], next_cursor=cursor)


@router.post(
    "/compliance/reviews/{review_id}/decision",
    tags=["compliance"],
    response_model=ReviewOut,
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def decide_review(
    review_id: str,
    body: ReviewDecisionIn,
    officer: ComplianceOfficer,
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


# --- post-trade monitoring flags and limit overrides ---


@router.get("/compliance/flags", tags=["compliance"], response_model=FlagPage, responses=STAFF)
async def list_flags(_officer: ComplianceOfficer, session: Session, params: Pagination) -> FlagPage:
    """Users flagged after a rejected trade review, newest first: their withdrawals wait in
    review until the flag is lifted."""
    items, cursor = await service.list_flags(session, params)
    return FlagPage(items=[FlagOut.of(flag) for flag in items], next_cursor=cursor)


@router.delete(
    "/compliance/flags/{user_id}",
    tags=["compliance"],
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404),
)
async def unflag_user(user_id: str, officer: ComplianceOfficer, session: Session) -> Response:
    """Lift a user's flag (never one's own: 403 ``four_eyes``)."""
    await service.unflag_user(session, user_id, officer.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/compliance/limit-overrides",
    tags=["compliance"],
    status_code=201,
    response_model=OverrideOut,
    responses=problem_responses(401, 403, 404, 422),
)
async def propose_override(
    body: OverrideIn,
    officer: ComplianceOfficer,
    _idempotency: Idempotent,
    session: Session,
    settings: SettingsDep,
) -> OverrideOut:
    """Propose raising a user's 24 h withdrawal or purchase limit (``status: pending``). It
    applies only once another officer approves its review (``review_id``); neither the
    proposer nor the user may approve it. Accepts ``Idempotency-Key``."""
    override = await service.propose_override(
        session,
        settings,
        officer.id,
        body.user_id,
        body.activity,
        body.base_units,
        Asset(body.currency),
        body.reason,
        body.expires_at,
    )
    return OverrideOut.of(override)


@router.get(
    "/compliance/limit-overrides",
    tags=["compliance"],
    response_model=OverridePage,
    responses=problem_responses(401, 403, 422),
)
async def list_overrides(
    _officer: ComplianceOfficer,
    session: Session,
    params: Pagination,
    user_id: Annotated[str | None, Query(max_length=64)] = None,
    override_status: Annotated[service.OverrideStatus | None, Query(alias="status")] = None,
) -> OverridePage:
    """Limit overrides newest first, by user and status."""
    items, cursor = await service.list_overrides(session, user_id, override_status, params)
    return OverridePage(items=[OverrideOut.of(o) for o in items], next_cursor=cursor)


@router.get(
    "/compliance/limit-overrides/{override_id}",
    tags=["compliance"],
    response_model=OverrideOut,
    responses=problem_responses(401, 403, 404),
)
async def get_override(
    override_id: str, _officer: ComplianceOfficer, session: Session
) -> OverrideOut:
    return OverrideOut.of(await service.get_override(session, override_id))


# --- KYC and KYB ---


@router.post(
    "/users/me/kyc",
    tags=["compliance"],
    response_model=KycOut,
    status_code=202,
    responses=problem_responses(401, 403, 409, 422, 503),
    openapi_extra=api_key_access("session"),  # identity data: from a signed-in session only
)
async def submit_my_kyc(
    body: KycIn, user: CurrentUser, session: Session, settings: SettingsDep
) -> KycOut:
    """Submit KYC for a level (``basic``, or ``full`` with a document number); it waits for a
    compliance officer (``status: pending``). Personal data is stored encrypted."""
    view = await service.submit_kyc(
        session,
        settings,
        user.id,
        body.level,
        body.full_name,
        body.country,
        body.date_of_birth,
        body.document_number,
    )
    return KycOut.of(view)


@router.get(
    "/users/me/kyc",
    tags=["compliance"],
    response_model=KycOut,
    responses=problem_responses(401, 403, 500, 503),
    openapi_extra=api_key_access("session"),
)
async def get_my_kyc(user: CurrentUser, session: Session, settings: SettingsDep) -> KycOut:
    """Your KYC level, the status of your latest submission, and its data, masked."""
    return KycOut.of(await service.my_kyc(session, settings, user.id))


@router.get(
    "/compliance/kyc",
    tags=["compliance"],
    response_model=KycPage,
    responses=problem_responses(401, 403, 422, 503),
)
async def kyc_queue(
    _officer: ComplianceOfficer,
    session: Session,
    settings: SettingsDep,
    params: Pagination,
    status: Annotated[service.KycStatus | None, Query(description="e.g. pending")] = None,
) -> KycPage:
    """KYC records, oldest submission first, personal data masked (compliance, admin)."""
    views, cursor = await service.kyc_queue(session, settings, status, params)
    return KycPage(items=[KycOut.of(v) for v in views], next_cursor=cursor)


@router.post(
    "/compliance/kyc/{user_id}/decision",
    tags=["compliance"],
    response_model=KycOut,
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def decide_kyc(
    user_id: str,
    body: KycDecisionIn,
    officer: ComplianceOfficer,
    session: Session,
    settings: SettingsDep,
) -> KycOut:
    """Verify or reject a pending KYC submission; never your own (403 ``four_eyes``)."""
    view = await service.decide_kyc(
        session, settings, officer.id, user_id, body.decision, body.note
    )
    return KycOut.of(view)


@router.put(
    "/compliance/companies/{company_id}/kyb",
    tags=["compliance"],
    response_model=KybOut,
    responses=problem_responses(401, 403, 404, 422),
)
async def set_kyb(
    company_id: str, body: KybIn, officer: ComplianceOfficer, session: Session
) -> KybOut:
    """Set a company's KYB status (by id or ticker): unverified, verified or rejected."""
    view = await service.set_kyb(session, officer.id, company_id, body.status, body.note)
    return KybOut.of(view)


@router.get(
    "/compliance/companies",
    tags=["compliance"],
    response_model=KybPage,
    responses=problem_responses(401, 403, 422),
)
async def companies_kyb(
    _officer: ComplianceOfficer,
    session: Session,
    params: Pagination,
    q: Annotated[str | None, Query(max_length=100, description="Part of name or ticker")] = None,
) -> KybPage:
    """Companies by ticker with their KYB status (compliance, admin)."""
    views, cursor = await service.companies_with_kyb(session, params, q)
    return KybPage(items=[KybOut.of(v) for v in views], next_cursor=cursor)


# --- end KYC and KYB ---
