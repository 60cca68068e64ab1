"""Rate limits: 429 with Retry-After, RateLimit headers, nothing changed by a limited call."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from ece.auth.models import SigninNonce


async def _nonces(app: FastAPI) -> int:
    async with app.state.db.unit_of_work(write=False) as session:
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
