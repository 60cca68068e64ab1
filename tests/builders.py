"""Plain builders for test data (no fixture magic)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from solders.keypair import Keypair
from sqlalchemy import event

from ece.app import create_app, shutdown, startup
from ece.auth import service as auth_service
from ece.auth.models import Role
from ece.chain.embedded.litesvm import LiteSvmChain
from ece.chain.platform import Platform, bootstrap_embedded, create_keypair, key_file_names
from ece.chain.sealing import KeySealing
from ece.config import Settings
from ece.core import dbmetrics
from ece.core.db import Database
from ece.platform_init import init_platform
from tests.chain.chain_builders import serve_chain


@asynccontextmanager
async def served(settings: Settings) -> AsyncIterator[FastAPI]:
    """The real app on ``settings``, started and shut down as a server does (no workers)."""
    application = create_app(settings, run_workers=False)
    await startup(application)
    try:
        yield application
    finally:
        await shutdown(application)


@dataclass
class Cluster:
    """A stand-in for a real Solana cluster: an embedded chain served over HTTP."""

    settings: Settings  # the app configured against it, `ece init` done
    chain: LiteSvmChain
    platform: Platform  # with the keys ops hold (mint keys included)
    url: str


@asynccontextmanager
async def cluster_platform(blank: Settings, **changes: Any) -> AsyncIterator[Cluster]:
    """A real-cluster configuration on ``blank`` (uninitialized settings): ops created the
    mints on the cluster; ``ece init`` created the app's keys and pinned them."""
    keys = blank.data_dir / "cluster-keys"
    # Sealed as `ece init` seals them, under the secret the app will run with.
    sealing = KeySealing(changes.get("secret_key", blank.secret_key))
    for name in key_file_names(embedded=True):
        create_keypair(keys / name, sealing)
    chain = LiteSvmChain(blank.data_dir / "cluster")
    platform = Platform.load(keys, sealing)
    await bootstrap_embedded(chain, platform, keys, sealing)
    try:
        with serve_chain(chain) as served:
            remote = blank.model_copy(
                update={
                    "solana_rpc_url": served.url,
                    "solana_cluster": "devnet",
                    "ece_mint": str(platform.mints["ECE"]),  # type: ignore[index]
                    "usdc_mint": str(platform.mints["USDC"]),  # type: ignore[index]
                    "keys_dir": keys,
                    **changes,
                }
            )
            await init_platform(remote)
            yield Cluster(remote, chain, platform, served.url)
    finally:
        await chain.close()


@asynccontextmanager
async def api_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        yield c


@dataclass
class SignedInUser:
    keypair: Keypair
    token: str
    user: dict[str, Any]

    @property
    def address(self) -> str:
        return str(self.keypair.pubkey())

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def sign(keypair: Keypair, message: str) -> str:
    return str(keypair.sign_message(message.encode("utf-8")))


async def sign_in(client: httpx.AsyncClient, keypair: Keypair | None = None) -> SignedInUser:
    """The real Sign-In With Solana flow through the API."""
    keypair = keypair or Keypair()
    challenge = await client.post("/api/v1/auth/challenge", json={"address": str(keypair.pubkey())})
    assert challenge.status_code == 200, challenge.text
    message = challenge.json()["message"]
    login = await client.post(
        "/api/v1/auth/login", json={"message": message, "signature": sign(keypair, message)}
    )
    assert login.status_code == 200, login.text
    body = login.json()
    client.cookies.clear()  # tests authenticate with the bearer token unless they say otherwise
    return SignedInUser(keypair=keypair, token=body["access_token"], user=body["user"])


async def grant(app: FastAPI, address: str, *roles: Role) -> None:
    async with app.state.services.db.unit_of_work() as session:
        for role in roles:
            await auth_service.grant_role(session, address, role)


async def make_admin(client: httpx.AsyncClient, app: FastAPI) -> SignedInUser:
    keypair = Keypair()
    await grant(app, str(keypair.pubkey()), Role.admin)
    return await sign_in(client, keypair)


@contextmanager
def recorded_statements(db: Database, *, driver: bool = True) -> Iterator[list[str]]:
    """The SQL statements ``db`` sends while the block runs, in order (for statement budgets):
    through SQLAlchemy and, with ``driver``, those a hot path ran on the driver's connection
    itself (``dbmetrics.driver_statements``: a SQLite buy's settlement, in one hop)."""
    statements: list[str] = []

    def seen(conn: object, cursor: object, statement: str, *args: object) -> None:
        statements.append(statement)

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    listener = statements.append
    if driver:
        dbmetrics.DRIVER_STATEMENT_LISTENERS.append(listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", seen)
        if driver:
            dbmetrics.DRIVER_STATEMENT_LISTENERS.remove(listener)


@contextmanager
def recorded_commits(db: Database) -> Iterator[list[str]]:
    """One entry per transaction ``db`` commits while the block runs (a driver's COMMIT is not a
    cursor statement, so ``recorded_statements`` cannot see it)."""
    commits: list[str] = []

    def committed(conn: object) -> None:
        commits.append("COMMIT")

    engine = db.engine.sync_engine
    event.listen(engine, "commit", committed)
    try:
        yield commits
    finally:
        event.remove(engine, "commit", committed)


def named(value: Any, names: dict[str, str]) -> Any:
    """``value`` with every id of a test's world replaced by its role (also inside references),
    so rows written by two paths in two worlds compare equal."""
    if isinstance(value, str):
        for key, role in names.items():
            value = value.replace(key, role)
        return value
    if isinstance(value, dict):
        return {k: named(v, names) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [named(v, names) for v in value]
    return value


def row_of(obj: Any, *skip: str) -> dict[str, Any]:
    """An ORM object's columns as a dict, less ``skip``."""
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in skip}
