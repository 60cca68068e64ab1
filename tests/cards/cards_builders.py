"""Plain builders for card tests: companies and real mints through the API, and a served app."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI
from solders.keypair import Keypair

from tests.builders import SignedInUser

STATS = {"power": 50, "valuation": 40, "growth": 30, "innovation": 20, "influence": 10}


def company_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Acme Rockets",
        "ticker": "ACME",
        "sector": "Aerospace",
        "country": "US",
        "website": "https://acme.example.com",
        "description": "Rockets for everyone.",
        "royalty_bps": 250,
        "payout_address": str(Keypair().pubkey()),
        "color": "#1f6feb",
    }
    body.update(overrides)
    return body


async def make_company(
    client: httpx.AsyncClient, admin: SignedInUser, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/companies", json=company_body(**overrides), headers=admin.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def card_body(company_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "company_id": company_id,
        "name": "Acme Founders",
        "rarity": "rare",
        "attributes": dict(STATS),
    }
    body.update(overrides)
    return body


async def mint(
    client: httpx.AsyncClient, admin: SignedInUser, company_id: str, **overrides: Any
) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/cards", json=card_body(company_id, **overrides), headers=admin.headers
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@contextmanager
def serve_over_http(app: FastAPI) -> Iterator[str]:
    """The real app over HTTP on a free port (lifespan off: the test already started it).

    Only routes that need no database are safe to call (``/rpc``, ``/ipfs``): the app's engine
    belongs to the test's event loop, not the server thread's.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = _Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    assert server.ready.wait(10), "server did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
