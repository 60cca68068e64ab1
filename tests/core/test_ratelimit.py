"""Rate limits: 429 with Retry-After, RateLimit headers, nothing changed by a limited call."""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from starlette.requests import Request

from ece.auth.models import SigninNonce
from ece.config import Settings
from tests.builders import api_client, served, sign_in


async def _nonces(app: FastAPI) -> int:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return int(await session.scalar(select(func.count()).select_from(SigninNonce)) or 0)


async def test_sign_in_challenges_are_limited(client: httpx.AsyncClient, app: FastAPI) -> None:
    address = "11111111111111111111111111111112"
    for i in range(30):
        ok = await client.post("/api/v1/auth/challenge", json={"address": address})
        assert ok.status_code == 200, (i, ok.text)
        assert ok.headers["ratelimit-limit"] == "30"
        assert ok.headers["ratelimit-remaining"] == str(29 - i)
    limited = await client.post("/api/v1/auth/challenge", json={"address": address})
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert limited.json()["code"] == "rate_limited"
    assert int(limited.headers["retry-after"]) >= 1
    assert await _nonces(app) == 30  # the limited request created no nonce


# --- who a caller is (issue 14 finding 5) ---------------------------------------------------

ADDRESS = "11111111111111111111111111111112"


async def _challenges(client: httpx.AsyncClient, requests: list[dict[str, Any]]) -> list[int]:
    statuses = []
    for extra in requests:
        response = await client.post("/api/v1/auth/challenge", json={"address": ADDRESS}, **extra)
        statuses.append(response.status_code)
    return statuses


async def test_junk_bearer_tokens_do_not_buy_a_fresh_budget(client: httpx.AsyncClient) -> None:
    junk = [
        {"headers": {"Authorization": f"Bearer {secrets.token_urlsafe(32)}"}} for _ in range(60)
    ]
    statuses = await _challenges(client, junk)
    assert statuses.count(200) == 30
    assert statuses.count(429) == 30


async def test_random_session_cookies_do_not_buy_a_fresh_budget(app: FastAPI) -> None:
    statuses = []
    for _ in range(60):
        # A fresh client per request, so the cookie jar never mixes two cookies.
        async with api_client(app) as client:
            client.cookies.set("ece_session", "ece_s_" + secrets.token_urlsafe(32))
            statuses += await _challenges(client, [{}])
    assert statuses.count(200) == 30
    assert statuses.count(429) == 30


async def test_forwarded_for_from_an_untrusted_peer_is_ignored(
    client: httpx.AsyncClient,
) -> None:
    spoofed = [
        {"headers": {"X-Forwarded-For": f"203.0.113.{i % 250}, 198.51.100.{i % 250}"}}
        for i in range(60)
    ]
    statuses = await _challenges(client, spoofed)
    assert statuses.count(200) == 30
    assert statuses.count(429) == 30


async def test_signed_in_callers_are_limited_per_user_not_per_address(
    client: httpx.AsyncClient,
) -> None:
    user = await sign_in(client)  # two of the address's 30 auth requests
    statuses = await _challenges(client, [{} for _ in range(30)])
    assert statuses.count(429) == 2  # the anonymous budget of this address is spent
    # The same address with a verified credential has its own budget (the user's).
    assert await _challenges(client, [{"headers": user.headers}]) == [200]
    # A forged token from that address does not: it counts as the address.
    forged = {"headers": {"Authorization": "Bearer " + user.token[:-4] + "AAAA"}}
    assert await _challenges(client, [forged]) == [429]


@pytest.fixture
async def behind_proxy(settings: Settings) -> AsyncIterator[FastAPI]:
    # The test transport's peer is 127.0.0.1: here it plays our load balancer.
    proxied = settings.model_copy(update={"trusted_proxies": ["127.0.0.0/8", "10.0.0.0/8"]})
    async with served(proxied) as application:
        yield application


async def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(
    behind_proxy: FastAPI,
) -> None:
    async with api_client(behind_proxy) as client:
        # The client forges the left part; our proxies (10.x, then the peer) append the rest.
        rotating = [
            {"headers": {"X-Forwarded-For": f"198.51.100.{i}, 203.0.113.7, 10.1.2.3"}}
            for i in range(40)
        ]
        statuses = await _challenges(client, rotating)
        assert statuses.count(200) == 30
        assert statuses.count(429) == 10
        # Another real client behind the same proxy has its own budget.
        other = {"headers": {"X-Forwarded-For": "203.0.113.8, 10.1.2.3"}}
        assert await _challenges(client, [other]) == [200]
        # Junk in the header is never trusted as an address.
        junk = {"headers": {"X-Forwarded-For": "not-an-ip, 203.0.113.7"}}
        assert await _challenges(client, [junk]) == [429]


def test_client_address_rules() -> None:
    from ece.core.ratelimit import client_address

    proxies = [ipaddress.ip_network("10.0.0.0/8")]

    def address(peer: str, forwarded: str | None) -> str:
        headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
        request = Request({"type": "http", "headers": headers, "client": (peer, 1)})
        return client_address(request, proxies)

    assert address("192.0.2.1", "203.0.113.7") == "192.0.2.1"  # untrusted peer: header ignored
    assert address("10.0.0.1", "203.0.113.7") == "203.0.113.7"
    assert address("10.0.0.1", "1.1.1.1, 203.0.113.7, 10.0.0.2") == "203.0.113.7"
    assert address("10.0.0.1", "10.0.0.3, 10.0.0.2") == "10.0.0.3"  # all ours: the left-most
    assert address("10.0.0.1", None) == "10.0.0.1"
    assert address("10.0.0.1", "garbage") == "10.0.0.1"
    # IPv6 callers are one bucket per /64 (they own the whole prefix).
    assert address("2001:db8::1", None) == address("2001:db8::ffff", None) == "2001:db8::/64"
    assert address("::ffff:192.0.2.1", None) == "192.0.2.1"
