"""HTTP for compliance: users' own KYC, and the officers' KYC queue and KYB status."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ece.auth.deps import CurrentUser, api_key_access, require_role
from ece.auth.service import Role, User
from ece.compliance import service
from ece.compliance.schemas import KybIn, KybOut, KybPage, KycDecisionIn, KycIn, KycOut, KycPage
from ece.core.errors import problem_responses
from ece.core.pagination import PageParams, page_params
from ece.runtime.deps import Session, SettingsDep
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)

Officer = Annotated[User, Depends(require_role(Role.compliance, Role.admin))]

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
    _officer: Officer,
    session: Session,
    settings: SettingsDep,
    params: Annotated[PageParams, Depends(page_params)],
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
    user_id: str, body: KycDecisionIn, officer: Officer, session: Session, settings: SettingsDep
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
async def set_kyb(company_id: str, body: KybIn, officer: Officer, session: Session) -> KybOut:
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
    _officer: Officer,
    session: Session,
    params: Annotated[PageParams, Depends(page_params)],
    q: Annotated[str | None, Query(max_length=100, description="Part of name or ticker")] = None,
) -> KybPage:
    """Companies by ticker with their KYB status (compliance, admin)."""
    views, cursor = await service.companies_with_kyb(session, params, q)
    return KybPage(items=[KybOut.of(v) for v in views], next_cursor=cursor)


# --- end KYC and KYB ---
