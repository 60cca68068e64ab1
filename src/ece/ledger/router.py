"""HTTP for the caller's balances and ledger entries, and the admins' ledger check."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from ece.auth.deps import AdminUser, CurrentUser
from ece.core.errors import problem_responses
from ece.core.money import Asset
from ece.core.pagination import PageParams, page_params
from ece.ledger import checks, service
from ece.ledger.schemas import BalanceOut, BalancesOut, EntryOut, EntryPage, LedgerCheckOut
from ece.runtime.deps import Session, SettingsDep
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", route_class=UnitOfWorkRoute)


@router.get(
    "/users/me/balances",
    tags=["ledger"],
    response_model=BalancesOut,
    responses=problem_responses(401),
)
async def my_balances(user: CurrentUser, session: Session) -> BalancesOut:
    """Your balance in every asset: available, held by open holds, and their total."""
    balances = await service.user_balances(session, user.id)
    return BalancesOut(balances=[BalanceOut.of(b) for b in balances])


@router.get(
    "/users/me/ledger",
    tags=["ledger"],
    response_model=EntryPage,
    responses=problem_responses(401, 422),
)
async def my_ledger(
    user: CurrentUser,
    session: Session,
    params: Annotated[PageParams, Depends(page_params)],
    asset: Annotated[Asset | None, Query(description="Only this asset")] = None,
) -> EntryPage:
    """Your ledger entries, newest first."""
    entries, cursor = await service.list_entries(session, user.id, asset, params)
    return EntryPage(items=[EntryOut.of(e) for e in entries], next_cursor=cursor)


@router.get(
    "/admin/ledger/check",
    tags=["admin"],
    response_model=LedgerCheckOut,
    responses=problem_responses(401, 403, 422),
)
async def admin_ledger_check(
    _admin: AdminUser,
    session: Session,
    settings: SettingsDep,
    max_pending_age_seconds: Annotated[
        int | None,
        Query(
            ge=0,
            le=10 * 365 * 86400,
            description="Holds older than this count as stale (default: the longest offer or "
            "trade-offer lifetime plus a day)",
        ),
    ] = None,
) -> LedgerCheckOut:
    """Per asset: accounts sum to zero, no guarded account below zero, balances match their
    transfers, no stale holds. ``ok`` is false when any check fails."""
    age = (
        checks.stale_hold_age(settings)
        if max_pending_age_seconds is None
        else timedelta(seconds=max_pending_age_seconds)
    )
    result = await checks.check(
        session, max_pending_age=age, longer=checks.longer_hold_ages(settings)
    )
    return LedgerCheckOut.of(result)
