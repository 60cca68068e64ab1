"""`POST /rpc` on the app: batches are capped, every call is rate limited, airdrops are for
development only, and bad JSON is a JSON-RPC parse error, never a 500."""

from __future__ import annotations

import functools
import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from solders.keypair import Keypair

from ece.chain.embedded.jsonrpc import handle_jsonrpc
from ece.chain.embedded.rpc_errors import INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR
from ece.config import Settings
from tests.builders import api_client, served


def _call(method: str, *params: Any, request_id: int = 1) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": request_id, "method": method, "params": list(params)}


def _airdrops(address: str, count: int) -> list[dict[str, Any]]:
    return [_call("requestAirdrop", address, 10**9, request_id=i) for i in range(count)]


async def _balance(client: httpx.AsyncClient, address: str) -> int:
    answer = (await client.post("/rpc", json=_call("getBalance", address))).json()
    return int(answer["result"]["value"])


async def test_a_batch_over_the_cap_is_refused_whole(client: httpx.AsyncClient) -> None:
    address = str(Keypair().pubkey())
    refused = await client.post("/rpc", json=_airdrops(address, 101))
    assert refused.status_code == 200
    assert refused.json()["error"]["code"] == INVALID_REQUEST
    assert "at most 100" in refused.json()["error"]["message"]
    assert await _balance(client, address) == 0  # none of its calls ran

    accepted = await client.post("/rpc", json=_airdrops(address, 100))
    assert len(accepted.json()) == 100
    assert await _balance(client, address) == 100 * 10**9


async def test_every_call_of_a_batch_counts_against_the_rate_limit(settings: Settings) -> None:
    limited = settings.model_copy(update={"rate_limit_rpc": "10/minute", "rpc_max_batch": 8})
    address = str(Keypair().pubkey())
    async with served(limited) as app, api_client(app) as client:
        first = await client.post("/rpc", json=_airdrops(address, 8))
        assert first.status_code == 200 and len(first.json()) == 8
        over = await client.post("/rpc", json=_airdrops(address, 3))
        assert over.status_code == 429
        assert over.json()["code"] == "rate_limited"
        assert int(over.headers["retry-after"]) >= 1
        # What still fits passes, one call at a time, then nothing.
        assert (await client.post("/rpc", json=_call("getSlot"))).status_code == 200
        assert (await client.post("/rpc", json=_call("getSlot"))).status_code == 200
        assert (await client.post("/rpc", json=_call("getSlot"))).status_code == 429
    # The refused batch airdropped nothing: 8 airdrops only.
    async with served(settings) as app, api_client(app) as client:
        assert await _balance(client, address) == 8 * 10**9


@pytest.mark.parametrize(
    "body",
    [
        b'{"jsonrpc": "2.0", "id": 1, "method": "getSlot", "params": [' + b"1" * 5000 + b"]}",
        b"\xff\xfe",
        b"",
    ],
    ids=["huge-number", "not-utf8", "empty"],
)
async def test_bad_json_is_a_parse_error(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post("/rpc", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 200
    assert response.json()["error"]["code"] == PARSE_ERROR


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        json.dumps(
            _call("getBalance", functools.reduce(lambda n, _: [n], range(500), "x"))
        ).encode(),
    ],
    ids=["deep-arrays", "deep-objects", "deep-params"],
)
async def test_deep_json_is_refused_at_the_edge_before_any_call_runs(
    client: httpx.AsyncClient, body: bytes
) -> None:
    # The request guard (every route, /rpc included) refuses nesting past 64 levels unparsed.
    response = await client.post("/rpc", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "json_too_deep"


async def test_airdrops_are_refused_outside_development(app: FastAPI) -> None:
    address = str(Keypair().pubkey())
    answer = await handle_jsonrpc(
        app.state.services.chain, _call("requestAirdrop", address, 10**9), allow_airdrop=False
    )
    assert answer["error"]["code"] == METHOD_NOT_FOUND
    balance = await handle_jsonrpc(app.state.services.chain, _call("getBalance", address))
    assert balance["result"]["value"] == 0


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", None]
)
async def test_rpc_takes_json_only_so_no_page_can_post_to_it_without_a_preflight(
    client: httpx.AsyncClient, content_type: str | None
) -> None:
    address = str(Keypair().pubkey())
    headers = {"Content-Type": content_type} if content_type else {}
    body = json.dumps(_call("requestAirdrop", address, 10**9)).encode()
    response = await client.post("/rpc", content=body, headers=headers)
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert await _balance(client, address) == 0


async def test_a_lone_surrogate_in_a_call_id_is_refused_before_any_call_runs(
    client: httpx.AsyncClient,
) -> None:
    address = str(Keypair().pubkey())
    airdrop = json.dumps(_call("requestAirdrop", address, 10**9))
    body = f'[{airdrop}, {{"jsonrpc": "2.0", "id": "\\udfff", "method": "getSlot"}}]'
    response = await client.post("/rpc", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"
    assert await _balance(client, address) == 0


def _preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,solana-client",
    }


async def test_a_dapp_on_another_origin_may_call_rpc(client: httpx.AsyncClient) -> None:
    # Development and test: any origin (ECE_RPC_CORS_ORIGINS unset).
    preflight = await client.options("/rpc", headers=_preflight("https://dapp.example"))
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "solana-client" in preflight.headers["access-control-allow-headers"].lower()
    answer = await client.post(
        "/rpc", json=_call("getSlot"), headers={"Origin": "https://dapp.example"}
    )
    assert answer.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in answer.headers
    # The API keeps its own policy (no ECE_CORS_ORIGINS here: no CORS at all).
    api = await client.options("/api/v1/listings", headers=_preflight("https://dapp.example"))
    assert "access-control-allow-origin" not in api.headers


async def test_rpc_cors_follows_its_setting(settings: Settings) -> None:
    only = settings.model_copy(
        update={
            "rpc_cors_origins": ["https://wallet.example"],
            "cors_origins": ["https://app.example"],
        }
    )
    async with served(only) as app, api_client(app) as client:
        allowed = await client.options("/rpc", headers=_preflight("https://wallet.example"))
        assert allowed.headers["access-control-allow-origin"] == "https://wallet.example"
        refused = await client.options("/rpc", headers=_preflight("https://app.example"))
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers
        # The API's origins are not the RPC's, and the other way round.
        api = await client.options("/api/v1/listings", headers=_preflight("https://app.example"))
        assert api.headers["access-control-allow-origin"] == "https://app.example"
        api_other = await client.options(
            "/api/v1/listings", headers=_preflight("https://wallet.example")
        )
        assert "access-control-allow-origin" not in api_other.headers


def test_rpc_cors_is_closed_in_production_unless_set() -> None:
    assert Settings(env="test").rpc_cors_allowed == ["*"]
    assert Settings(
        env="test", rpc_cors_origins="https://a.example, https://b.example"
    ).rpc_cors_allowed == [
        "https://a.example",
        "https://b.example",
    ]
    production = Settings.model_construct(env=Settings(env="test").env.__class__("production"))
    assert production.rpc_cors_allowed == []
