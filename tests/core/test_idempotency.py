"""Idempotency-Key on a value-moving POST: replay, mismatch, concurrent duplicate."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import APIRouter, FastAPI
from pydantic import BaseModel
from sqlalchemy import func, select, update

from ece.auth.deps import CurrentUser, Idempotent, IdempotentInWork
from ece.core.errors import Conflict
from ece.core.outbox import OutboxEvent, emit
from ece.runtime.deps import Session
from ece.runtime.routing import UnitOfWorkRoute
from tests.builders import sign_in


class Order(BaseModel):
    amount: str


class Gate:
    """Lets a test hold a request inside its endpoint, after its key is claimed."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()
        self.release = asyncio.Event()
        self.enabled = False


@pytest.fixture
def gate(app: FastAPI) -> Gate:
    gate = Gate()
    router = APIRouter(route_class=UnitOfWorkRoute)

    @router.post("/test/orders", status_code=201)
    async def place(
        body: Order, user: CurrentUser, session: Session, _: Idempotent
    ) -> dict[str, str]:
        if gate.enabled:
            gate.entered.set()
            await gate.release.wait()
        if body.amount == "fail":
            raise Conflict("refused", code="refused")
        await emit(session, "test.order", user.id, amount=body.amount)
        await session.flush()
        count = await session.scalar(select(func.count()).select_from(OutboxEvent))
        return {"amount": body.amount, "orders": str(count)}

    app.include_router(router)
    return gate


async def _orders(app: FastAPI) -> int:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(OutboxEvent)) or 0)


async def test_replay_returns_the_same_answer_once_executed(
    client: httpx.AsyncClient, app: FastAPI, gate: Gate
) -> None:
    user = await sign_in(client)
    headers = {**user.headers, "Idempotency-Key": "order-1"}
    first = await client.post("/test/orders", json={"amount": "5"}, headers=headers)
    assert first.status_code == 201
    again = await client.post("/test/orders", json={"amount": "5"}, headers=headers)
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert await _orders(app) == 1
    # Without a key each request runs.
    await client.post("/test/orders", json={"amount": "5"}, headers=user.headers)
    assert await _orders(app) == 2


async def test_same_key_different_body_is_422(
    client: httpx.AsyncClient, app: FastAPI, gate: Gate
) -> None:
    user = await sign_in(client)
    headers = {**user.headers, "Idempotency-Key": "k"}
    assert (
        await client.post("/test/orders", json={"amount": "5"}, headers=headers)
    ).status_code == 201
    other = await client.post("/test/orders", json={"amount": "6"}, headers=headers)
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert await _orders(app) == 1


async def test_keys_are_scoped_per_user(
    client: httpx.AsyncClient, app: FastAPI, gate: Gate
) -> None:
    alice, bob = await sign_in(client), await sign_in(client)
    for user in (alice, bob):
        response = await client.post(
            "/test/orders",
            json={"amount": "5"},
            headers={**user.headers, "Idempotency-Key": "same"},
        )
        assert response.status_code == 201
        assert "idempotent-replayed" not in response.headers
    assert await _orders(app) == 2


async def test_concurrent_duplicate_gets_409_while_first_runs(
    client: httpx.AsyncClient, app: FastAPI, gate: Gate
) -> None:
    user = await sign_in(client)
    headers = {**user.headers, "Idempotency-Key": "slow"}
    gate.enabled = True
    first = asyncio.create_task(client.post("/test/orders", json={"amount": "7"}, headers=headers))
    await asyncio.wait_for(gate.entered.wait(), timeout=10)
    gate.enabled = False
    duplicate = await client.post("/test/orders", json={"amount": "7"}, headers=headers)
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "idempotency_key_in_use"
    gate.release.set()
    done = await first
    assert done.status_code == 201
    replay = await client.post("/test/orders", json={"amount": "7"}, headers=headers)
    assert replay.json() == done.json()
    assert await _orders(app) == 1


async def test_failed_request_releases_the_key(
    client: httpx.AsyncClient, app: FastAPI, gate: Gate
) -> None:
    user = await sign_in(client)
    headers = {**user.headers, "Idempotency-Key": "retry-me"}
    refused = await client.post("/test/orders", json={"amount": "fail"}, headers=headers)
    assert refused.status_code == 409
    assert await _orders(app) == 0
    # The failure changed nothing, so the same key may carry a corrected request.
    fixed = await client.post("/test/orders", json={"amount": "3"}, headers=headers)
    assert fixed.status_code == 201
    assert await _orders(app) == 1


async def test_overlong_key_is_rejected(
    client: httpx.AsyncClient, app: FastAPI, gate: Gate
) -> None:
    user = await sign_in(client)
    response = await client.post(
        "/test/orders", json={"amount": "1"}, headers={**user.headers, "Idempotency-Key": "x" * 256}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert await _orders(app) == 0


async def test_an_expired_key_runs_again_and_a_dead_attempt_is_taken_over(
    client: httpx.AsyncClient, app: FastAPI, gate: Gate
) -> None:
    from ece.core.idempotency import IdempotencyRecord

    user = await sign_in(client)
    headers = {**user.headers, "Idempotency-Key": "order-old"}
    assert (await client.post("/test/orders", json={"amount": "5"}, headers=headers)).is_success
    past = datetime.now(UTC) - timedelta(seconds=1)
    async with app.state.services.db.unit_of_work() as session:
        await session.execute(update(IdempotencyRecord).values(expires_at=past))
    # Past its TTL the key is free: the request runs again (a second order), not replayed.
    again = await client.post("/test/orders", json={"amount": "5"}, headers=headers)
    assert again.status_code == 201
    assert "idempotent-replayed" not in again.headers
    assert await _orders(app) == 2
    # An attempt that died holding the key (no answer stored, lock past) is taken over.
    async with app.state.services.db.unit_of_work() as session:
        await session.execute(
            update(IdempotencyRecord).values(
                state="running", response_status=None, response_body=None, locked_until=past
            )
        )
    taken = await client.post("/test/orders", json={"amount": "5"}, headers=headers)
    assert taken.status_code == 201
    assert await _orders(app) == 3
    replay = await client.post("/test/orders", json={"amount": "5"}, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true"
    assert await _orders(app) == 3


# --- the claim inside the work's own transaction (a buy, a bid) --------------------------------


@pytest.fixture
def in_work_gate(app: FastAPI) -> Gate:
    gate = Gate()
    router = APIRouter(route_class=UnitOfWorkRoute)

    @router.post("/test/in-work-orders", status_code=201)
    async def place(
        body: Order, user: CurrentUser, session: Session, _: IdempotentInWork
    ) -> dict[str, str]:
        await emit(session, "test.order", user.id, amount=body.amount)
        await session.flush()
        if gate.enabled:
            gate.entered.set()
            await gate.release.wait()
        if body.amount == "fail":
            raise Conflict("refused", code="refused")
        return {"amount": body.amount}

    app.include_router(router)
    return gate


async def _held_first_and_duplicate(
    client: httpx.AsyncClient, gate: Gate, first_body: dict[str, str], second_body: dict[str, str]
) -> tuple[httpx.Response, httpx.Response]:
    """The first request held inside its endpoint (its key claimed, uncommitted) while a
    duplicate with the same key arrives; then the first is let go."""
    alice = await sign_in(client)
    headers = {**alice.headers, "Idempotency-Key": "in-work"}
    gate.enabled = True
    first = asyncio.create_task(
        client.post("/test/in-work-orders", json=first_body, headers=headers)
    )
    await asyncio.wait_for(gate.entered.wait(), 30)
    gate.enabled = False
    second = asyncio.create_task(
        client.post("/test/in-work-orders", json=second_body, headers=headers)
    )
    await asyncio.sleep(0.2)  # the duplicate reaches its claim and waits on the first
    assert not second.done()
    gate.release.set()
    return await first, await second


async def test_an_in_work_duplicate_waits_then_replays_the_stored_answer(
    app: FastAPI, client: httpx.AsyncClient, in_work_gate: Gate
) -> None:
    before = await _orders(app)
    first, second = await _held_first_and_duplicate(
        client, in_work_gate, {"amount": "5"}, {"amount": "5"}
    )
    assert first.status_code == second.status_code == 201, (first.text, second.text)
    assert second.headers.get("Idempotent-Replayed") == "true"
    assert first.json() == second.json() == {"amount": "5"}
    assert await _orders(app) == before + 1


async def test_an_in_work_duplicate_with_another_body_waits_then_gets_422(
    app: FastAPI, client: httpx.AsyncClient, in_work_gate: Gate
) -> None:
    before = await _orders(app)
    first, second = await _held_first_and_duplicate(
        client, in_work_gate, {"amount": "5"}, {"amount": "6"}
    )
    assert first.status_code == 201, first.text
    assert (second.status_code, second.json()["code"]) == (422, "idempotency_key_reused")
    assert await _orders(app) == before + 1


async def test_an_in_work_duplicate_runs_itself_when_the_first_is_refused(
    app: FastAPI, client: httpx.AsyncClient, in_work_gate: Gate
) -> None:
    """The refusal rolls the first claim back with its work: the waiting duplicate claims the
    key afresh and does the work once."""
    before = await _orders(app)
    first, second = await _held_first_and_duplicate(
        client, in_work_gate, {"amount": "fail"}, {"amount": "fail"}
    )
    assert (first.status_code, first.json()["code"]) == (409, "refused")
    assert (second.status_code, second.json()["code"]) == (409, "refused")
    assert second.headers.get("Idempotent-Replayed") is None
    assert await _orders(app) == before
