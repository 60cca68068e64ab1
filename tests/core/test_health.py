from __future__ import annotations

import httpx
from pydantic import SecretStr

from ece.config import Settings
from tests.builders import api_client, served


async def test_healthz_and_readyz_report_ok(client: httpx.AsyncClient) -> None:
    alive = await client.get("/healthz")
    assert alive.status_code == 200
    assert alive.json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["database"] == "ok"


async def test_request_id_is_echoed_and_generated(client: httpx.AsyncClient) -> None:
    echoed = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["x-request-id"] == "abc-123"
    generated = await client.get("/healthz", headers={"X-Request-ID": "bad id with spaces"})
    assert generated.headers["x-request-id"] != "bad id with spaces"
    assert len(generated.headers["x-request-id"]) == 32


async def test_metrics_count_requests_by_route_template(client: httpx.AsyncClient) -> None:
    await client.get("/healthz")
    body = (await client.get("/metrics")).text
    assert 'ece_http_requests_total{method="GET",route="/healthz",status="200"}' in body
    assert "ece_http_request_duration_seconds_bucket" in body


async def test_security_headers_present(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


async def test_unknown_route_is_a_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "not_found"


async def test_metrics_need_the_token_when_one_is_set(settings: Settings) -> None:
    token = "t" * 32
    guarded = settings.model_copy(update={"metrics_token": SecretStr(token)})
    async with served(guarded) as app, api_client(app) as client:
        anonymous = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer " + "x" * 32})
        session_like = await client.get("/metrics", headers={"Authorization": f"Bearer {token}x"})
        allowed = await client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    for refused in (anonymous, wrong, session_like):
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "metrics_token_required"
        assert token not in refused.text
        assert "ece_http_requests_total" not in refused.text
    assert allowed.status_code == 200
    assert "ece_http_requests_total" in allowed.text
