"""HTTP for emergency controls: pause and resume (admins), the public status."""

from __future__ import annotations

from fastapi import APIRouter

from ece.auth.deps import AdminUser
from ece.controls import service
from ece.controls.deps import Pauses
from ece.controls.schemas import PauseIn, PauseOut, ResumeIn, ResumeOut, StatusOut
from ece.core.errors import problem_responses
from ece.runtime.deps import Session
from ece.runtime.routing import UnitOfWorkRoute

router = APIRouter(prefix="/api/v1", tags=["controls"], route_class=UnitOfWorkRoute)


@router.post("/admin/pause", response_model=PauseOut, responses=problem_responses(401, 403, 422))
async def pause(body: PauseIn, admin: AdminUser, session: Session, pauses: Pauses) -> PauseOut:
    """Pause a scope at once, on every web process and worker within a second. Pausing a
    paused scope gives it the new reason. Audited."""
    return PauseOut.of(await service.pause(session, pauses, admin.id, body.scope, body.reason))


@router.post(
    "/admin/resume", response_model=ResumeOut, responses=problem_responses(401, 403, 409, 422)
)
async def resume(body: ResumeIn, admin: AdminUser, session: Session, pauses: Pauses) -> ResumeOut:
    """Lift a pause; 409 ``not_paused`` when the scope is not paused. Audited."""
    lifted = await service.resume(session, pauses, admin.id, body.scope)
    return ResumeOut(scope=lifted.scope, paused_since=lifted.at)


@router.get("/status", response_model=StatusOut)
async def platform_status(pauses: Pauses) -> StatusOut:
    """What is paused, why and since when (public)."""
    views = await service.pauses(pauses)
    return StatusOut(paused=bool(views), pauses=[PauseOut.of(v) for v in views])
