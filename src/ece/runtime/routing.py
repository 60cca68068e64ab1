"""The request's unit of work, owned by the route (not the endpoint).

Every API router uses ``UnitOfWorkRoute``: the endpoint gets one session (the ``Session``
dependency of ``ece.runtime.deps``); the route commits it when the endpoint succeeds, rolls it
back on any error, and stores or releases the idempotency claim accordingly.

An endpoint may carry a cheap refusal (attribute ``FAST_REFUSAL``, a ``FastRefusal``): a
one-transaction route tries it before its unit of work and, on SQLite, before the writer gate
and again once a request waited its turn there, so requests the process already knows to be
refused (a buy of a listing sold a moment ago) never queue for the single writer. Requests of
the same ``turn`` (a buy's listing) take the full path one at a time in each process, on both
backends: the buyers behind a drop's winner wait on it in memory, not on the database's row
lock, a pool connection or the writer, and are refused from memory once it commits.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, Protocol

from fastapi import Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.errors import DomainError, render_domain_error
from ece.core.idempotency import (
    REPLAYED_HEADER,
    IdempotencyClaim,
    IdempotentReplay,
    complete,
    release,
)
from ece.runtime.deps import ONE_TRANSACTION, SAFE_METHODS, get_session, services_of

FAST_REFUSAL = "ece_fast_refusal"


class FastRefusal(Protocol):
    def applies(self, request: Request) -> bool:
        """Whether the refusal may apply (no I/O: a look at the process's memory)."""
        ...

    async def answer(self, request: Request) -> Response | None:
        """The refusal, from reads only, or None to leave the request to the full path."""
        ...

    def turn(self, request: Request) -> str | None:
        """What the request's outcome hangs on (a buy's listing): requests with the same turn
        take the full path one at a time in this process, so the ones behind a winner are
        refused from memory once it commits (None: no turn)."""
        ...


class Turns:
    """Requests of the same key, one at a time (a lock per key, kept while it has users)."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def take(self, key: str | None) -> AsyncIterator[None]:
        if key is None:
            yield
            return
        lock, users = self._held.get(key) or (asyncio.Lock(), 0)
        self._held[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._held[key]
            if users == 1:
                del self._held[key]
            else:
                self._held[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._held)


_turns = Turns()


def turns() -> Turns:
    """This process's turns (tests look at what it keeps)."""
    return _turns


def rendered_json(body: bytes, sub: Response) -> Response:
    """A JSON body the endpoint rendered itself, with the headers its dependencies set on the
    request's ``Response`` (FastAPI adds them only to responses it renders)."""
    response = Response(body, media_type="application/json")
    response.headers.update({k: v for k, v in sub.headers.items() if k != "content-length"})
    return response


class UnitOfWorkRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint = super().get_route_handler()

        async def handler(request: Request) -> Response:
            try:
                response = await endpoint(request)
            except IdempotentReplay as replay:
                await _close(request, commit=False)
                return Response(
                    replay.body,
                    status_code=replay.status,
                    media_type=replay.content_type,
                    headers={REPLAYED_HEADER: "true"},
                )
            except DomainError as exc:
                await _close(request, commit=False)
                await _release(request)
                return render_domain_error(exc, request.url.path)
            except BaseException:
                await _close(request, commit=False)
                await _release(request)
                raise
            if response.status_code >= 400:
                await _close(request, commit=False)
                await _release(request)
                return response
            claim: IdempotencyClaim | None = getattr(request.state, "idempotency", None)
            try:
                if claim is not None:
                    await complete(
                        get_session(request),
                        claim,
                        response.status_code,
                        bytes(response.body),
                        response.headers.get("content-type", "application/json"),
                    )
                await _close(request, commit=True)
            except BaseException:
                await _close(request, commit=False)
                await _release(request)
                raise
            return response

        if not _one_transaction(self.dependant):
            return handler
        fast: FastRefusal | None = getattr(self.endpoint, FAST_REFUSAL, None)

        async def gated(request: Request) -> Response:
            if request.method in SAFE_METHODS or fast is None:
                return await _through_gate(request, handler, fast)
            if not fast.applies(request):
                async with _turns.take(fast.turn(request)):
                    if not fast.applies(request):
                        return await _through_gate(request, handler, fast)
                # Refusable now: learnt while this request waited its turn.
            answer = await fast.answer(request)
            return answer if answer is not None else await _through_gate(request, handler, None)

        return gated


async def _through_gate(
    request: Request,
    handler: Callable[[Request], Coroutine[Any, Any, Response]],
    fast: FastRefusal | None,
) -> Response:
    """The full path, behind SQLite's writer gate for writes; a request refusable once it got
    the gate (learnt while it waited) is answered by ``fast`` without the writer."""
    gate = services_of(request).db.writer_gate
    if request.method in SAFE_METHODS or gate is None:
        return await handler(request)
    async with gate:
        if fast is None or not fast.applies(request):
            return await handler(request)
    answer = await fast.answer(request)
    if answer is not None:
        return answer
    async with gate:
        return await handler(request)


def _one_transaction(dependant: Dependant) -> bool:
    """Whether a dependency of the route says it does all its work in one transaction: only
    such a route takes SQLite's writer gate (one that waits on something else between its
    transactions, a chain call or a committed claim's endpoint, must not hold up the others)."""
    return any(
        getattr(d.call, ONE_TRANSACTION, False) or _one_transaction(d)
        for d in dependant.dependencies
    )


async def _close(request: Request, *, commit: bool) -> None:
    session: AsyncSession | None = getattr(request.state, "session", None)
    if session is None:
        return
    request.state.session = None
    try:
        if commit:
            await session.commit()
        else:
            await session.rollback()
    finally:
        await session.close()


async def _release(request: Request) -> None:
    claim: IdempotencyClaim | None = getattr(request.state, "idempotency", None)
    if claim is not None:
        request.state.idempotency = None
        await release(services_of(request).db, claim)
