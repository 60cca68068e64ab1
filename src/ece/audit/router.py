"""HTTP for the audit log: search it, verify its chain, export it as CSV (admin, compliance)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse
from pydantic import AwareDatetime

from ece.audit import service
from ece.audit.schemas import (
    CSV_COLUMNS,
    AuditEntryOut,
    AuditPage,
    AuditVerifyOut,
    csv_row,
)
from ece.auth.deps import ComplianceOfficer
from ece.core.csvcells import csv_line
from ece.core.db import Database
from ece.core.errors import problem_responses
from ece.core.pagination import PageParams, page_params
from ece.runtime.deps import Db, Session
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", tags=["audit"], route_class=UnitOfWorkRoute)

Name = Annotated[str | None, Query(max_length=128)]


async def audit_filters(
    actor: Annotated[str | None, Query(max_length=64, description="User id, `system`…")] = None,
    action: Annotated[str | None, Query(max_length=64, description="e.g. `user.roles_set`")] = None,
    object_type: Annotated[str | None, Query(max_length=32)] = None,
    object_id: Name = None,
    since: Annotated[AwareDatetime | None, Query(alias="from", description="Inclusive")] = None,
    until: Annotated[AwareDatetime | None, Query(alias="to", description="Exclusive")] = None,
) -> service.AuditFilters:
    return service.AuditFilters(actor, action, object_type, object_id, since, until)


Filters = Annotated[service.AuditFilters, Depends(audit_filters)]


@router.get("/audit", response_model=AuditPage, responses=problem_responses(401, 403, 422))
async def list_audit(
    _reader: ComplianceOfficer,
    session: Session,
    filters: Filters,
    params: Annotated[PageParams, Depends(page_params)],
) -> AuditPage:
    """Audit entries matching every filter given, newest first (keyset cursor on ``seq``)."""
    entries, cursor = await service.list_entries(session, filters, params)
    return AuditPage(items=[AuditEntryOut.of(e) for e in entries], next_cursor=cursor)


@router.get(
    "/audit/verify",
    response_model=AuditVerifyOut,
    response_model_exclude_none=True,
    responses=problem_responses(401, 403),
)
async def verify_audit(_reader: ComplianceOfficer, session: Session) -> AuditVerifyOut:
    """Recompute every entry's hash from the stored rows: ``ok``, how many entries, the head,
    and ``first_bad_seq`` (the first entry that does not match) when not ok."""
    return AuditVerifyOut.of(await service.verify(session))


@router.get(
    "/audit.csv",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/csv": {}}, "description": "The entries as CSV"},
        **problem_responses(401, 403, 422),
    },
)
async def export_audit(_reader: ComplianceOfficer, db: Db, filters: Filters) -> StreamingResponse:
    """The entries matching the filters as CSV, newest first, streamed (no page limit)."""
    return StreamingResponse(
        _csv(db, filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit.csv"'},
    )


async def _csv(db: Database, filters: service.AuditFilters) -> AsyncIterator[str]:
    # Its own read session: the route's session closes when the endpoint returns, before the
    # body streams.
    yield csv_line(CSV_COLUMNS)
    async with db.unit_of_work(write=False) as session:
        async for entry in service.every_entry(session, filters):
            yield csv_row(entry)
