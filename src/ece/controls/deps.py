"""The pause guard as a route dependency, and the process's pause cache for a route."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from ece.controls.service import PauseCache, Scope
from ece.runtime.deps import services_of


async def get_pauses(request: Request) -> PauseCache:
    return services_of(request).pauses


Pauses = Annotated[PauseCache, Depends(get_pauses)]


def open_for(*scopes: Scope) -> Any:
    """``dependencies=[open_for(Scope.trading)]``: 503 ``paused`` before the route authenticates,
    claims an ``Idempotency-Key`` or holds anything, while one of ``scopes`` (or ``all``) is
    paused. Route dependencies run before the endpoint's own, so the refusal changes nothing."""

    async def while_open(request: Request) -> None:
        await services_of(request).pauses.refuse_if_paused(*scopes)

    return Depends(while_open)


TRADING_OPEN = open_for(Scope.trading)
AUCTIONS_OPEN = open_for(Scope.trading, Scope.auctions)
DEPOSITS_OPEN = open_for(Scope.deposits)
WITHDRAWALS_OPEN = open_for(Scope.withdrawals)
