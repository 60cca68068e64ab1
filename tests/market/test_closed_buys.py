"""A drop's losers answered before routing (``ece.market.middleware``): once a listing is known
closed, a signed-in buyer with an unused key hears 409 from the ASGI layer after one read, and
every request the full path would answer otherwise is left to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from ece.auth.service import Role
from ece.market import closed
from ece.market import middleware as closed_buys
from ece.market.middleware import ClosedListingBuys
from tests.builders import SignedInUser, api_client, grant, served, sign_in
from tests.market.support import (
    buyer,
    fresh_listing,
    list_card,
    open_market,
    quick_card,
    usdc,
    user_balance,
)


async def _sold(app: FastAPI, client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    """The buy URL of a listing sold to a first buyer (key ``won``) and known closed (a loser
    taught the process), and the winner's headers."""
    listing = await fresh_listing(client, app, "10")
    winner = await buyer(client, app, "100")
    headers = {**winner.headers, "Idempotency-Key": "won"}
    url = f"/api/v1/listings/{listing['id']}/buy"
    assert (await client.post(url, headers=headers)).status_code == 201
    teacher = await buyer(client, app, "100")
    assert (await client.post(url, headers=teacher.headers)).status_code == 409
    assert closed.known(listing["id"])
    return url, headers


class _Route:
    """Stands for everything behind the layer: records each request that reached it."""

    def __init__(self) -> None:
        self.reached = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.reached += 1
        await Response(status_code=204)(scope, receive, send)


async def _through_layer(
    app: FastAPI, url: str, headers: dict[str, str], **body: Any
) -> tuple[httpx.Response, bool]:
    """The layer's answer to one POST, and whether it left the request to the route."""
    route = _Route()
    layer = ClosedListingBuys(route, services=app.state.services)
    transport = httpx.ASGITransport(app=layer)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        response = await c.post(url, headers=headers, **body)
    return response, route.reached == 1


@contextmanager
def _statements(app: FastAPI) -> Iterator[list[str]]:
    """Every statement sent, by the app's pool or by the layer's own read connection."""
    db = app.state.services.db
    engines = {db.engine.sync_engine, closed_buys.session_check(db).engine}
    if not db.is_sqlite:  # the layer reads on the app's pool: count it once
        engines = {db.engine.sync_engine}
    seen: list[str] = []

    def record(conn: object, cursor: object, statement: str, *args: object) -> None:
        seen.append(" ".join(statement.split()))

    for engine in engines:
        event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", record)


async def test_a_loser_is_answered_before_routing_from_one_read_and_buys_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    url, _ = await _sold(app, client)
    late = await buyer(client, app, "100")
    with _statements(app) as statements:
        refused, routed = await _through_layer(
            app, url, {**late.headers, "Idempotency-Key": "fresh"}, json={}
        )
    assert not routed
    assert (refused.status_code, refused.json()["code"]) == (409, "listing_unavailable")
    assert refused.headers["content-type"] == "application/problem+json"
    # One read (the pause cache's own periodic read of ``pauses`` may fall in the window).
    reads = [s for s in statements if s.upper() != "BEGIN" and "FROM pauses" not in s]
    assert len(reads) == 1 and reads[0].startswith("SELECT credentials."), statements
    # Through the whole app, with a price limit in the body: the same answer, nothing bought.
    again = await client.post(
        url, headers={**late.headers, "Idempotency-Key": "other"}, json={"max_price": "50"}
    )
    assert (again.status_code, again.json()["code"]) == (409, "listing_unavailable")
    assert (await user_balance(app, late.user["id"])).available == usdc("100")


async def _revoked(client: httpx.AsyncClient, app: FastAPI) -> dict[str, str]:
    user = await buyer(client, app, "100")
    assert (await client.post("/api/v1/auth/logout", headers=user.headers)).status_code == 204
    return user.headers


async def _api_key(client: httpx.AsyncClient, app: FastAPI) -> dict[str, str]:
    user = await buyer(client, app, "100")
    await grant(app, user.address, Role.developer)
    created = await client.post(
        "/api/v1/users/me/api-keys",
        json={"name": "bot", "scopes": ["trade"]},
        headers=user.headers,
    )
    assert created.status_code == 201, created.text
    return {"Authorization": f"Bearer {created.json()['key']}"}


async def _cookie(client: httpx.AsyncClient, app: FastAPI) -> dict[str, str]:
    user = await buyer(client, app, "100")
    return {"Cookie": f"ece_session={user.token}; ece_csrf=x", "X-CSRF-Token": "x"}


async def _signed_in(client: httpx.AsyncClient, app: FastAPI) -> dict[str, str]:
    return (await buyer(client, app, "100")).headers


# Each case: who calls, with what key and body; the layer must leave every one to the route.
LEFT_TO_THE_ROUTE = {
    "no-credential": (None, {}, {}),
    "unknown-token": ("junk", {}, {}),
    "revoked-session": ("revoked", {}, {}),
    "api-key": ("api_key", {}, {}),
    "cookie-session": ("cookie", {}, {}),
    "winner-replay": ("winner", {}, {}),
    "empty-key": ("signed_in", {"Idempotency-Key": ""}, {}),
    "overlong-key": ("signed_in", {"Idempotency-Key": "k" * 256}, {}),
    "bad-price": ("signed_in", {}, {"json": {"max_price": "ten"}}),
    "unknown-field": ("signed_in", {}, {"json": {"price": "1"}}),
    "not-json": ("signed_in", {"Content-Type": "text/plain"}, {"content": b"{}"}),
}


@pytest.mark.parametrize("case", sorted(LEFT_TO_THE_ROUTE))
async def test_what_the_full_path_answers_otherwise_reaches_the_route(
    app: FastAPI, client: httpx.AsyncClient, case: str
) -> None:
    url, winner = await _sold(app, client)
    who, extra, body = LEFT_TO_THE_ROUTE[case]
    makers = {"revoked": _revoked, "api_key": _api_key, "cookie": _cookie}
    makers["signed_in"] = _signed_in
    headers: dict[str, str] = {}
    if who == "junk":
        headers = {"Authorization": "Bearer junk"}
    elif who == "winner":
        headers = winner
    elif who is not None:
        headers = await makers[who](client, app)
    _, routed = await _through_layer(app, url, {**headers, **extra}, **body)
    assert routed


async def test_a_listing_not_known_closed_reaches_the_route(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    listing = await fresh_listing(client, app, "10")
    someone = await buyer(client, app, "100")
    url = f"/api/v1/listings/{listing['id']}/buy"
    _, routed = await _through_layer(app, url, someone.headers)
    assert routed


async def test_revoked_replayed_and_reused_keys_keep_the_full_paths_answers(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    url, winner = await _sold(app, client)
    revoked = await client.post(url, headers=await _revoked(client, app))
    assert (revoked.status_code, revoked.json()["code"]) == (401, "invalid_token")
    replay = await client.post(url, headers=winner)
    assert replay.status_code == 201 and replay.headers.get("Idempotent-Replayed") == "true"

    # A key this buyer already used, for another request that succeeded: 422, not a 409.
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    other = await list_card(client, seller, card_id, "10")
    user = await buyer(client, app, "100")
    keyed = {**user.headers, "Idempotency-Key": "mine"}
    bought = await client.post(f"/api/v1/listings/{other['id']}/buy", headers=keyed)
    assert bought.status_code == 201
    reused = await client.post(url, headers=keyed)
    assert (reused.status_code, reused.json()["code"]) == (422, "idempotency_key_reused")
    assert (await user_balance(app, user.user["id"])).available == usdc("90")


async def test_the_order_limit_still_applies_to_answers_from_memory(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    url, _ = await _sold(app, client)
    late: SignedInUser = await buyer(client, app, "100")
    strict = app.state.services.settings.model_copy(update={"rate_limit_orders": "2/minute"})
    async with served(strict) as limited, api_client(limited) as limited_client:
        answers = [
            (await limited_client.post(url, headers=late.headers)).status_code for _ in range(3)
        ]
    assert answers == [409, 409, 429]
