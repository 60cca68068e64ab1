"""The battle clock on the worker: every second, announce the voting phase of battles whose
enrolment ended, and settle each battle past its voting end once, whoever else runs the job."""

from __future__ import annotations

from ece.battles import service
from ece.controls.service import Scope
from ece.runtime.jobs import job
from ece.runtime.services import Services


@job("battle_settlement", every=1)
async def settle_battles(services: Services) -> int:
    announced = await service.announce_voting(services.db)
    # Paused battles: no prize moves; a battle whose voting ended meanwhile settles after the
    # resume with the votes it had at its end (no vote or entry is taken while paused).
    if await services.pauses.blocking(Scope.battles):
        return announced
    return announced + await service.settle_due(services.db)
