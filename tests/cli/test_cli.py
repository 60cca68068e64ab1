"""The ``ece`` command line against a real data dir."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator

import pytest
import uvicorn
from pydantic import SecretStr
from solders.keypair import Keypair
from sqlalchemy import func, select
from typer.testing import CliRunner

from ece.auth.models import User
from ece.cli import app
from ece.config import Environment, Settings
from ece.core.db import Database
from ece.demo import DemoRefused, load_demo_if_empty
from ece.ledger.models import LedgerAccount
from tests.builders import cluster_platform

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ECE_ENV", "test")
    monkeypatch.setenv("ECE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ECE_DATABASE_URL", settings.resolved_database_url)
    return settings


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "serve", "worker", "db", "admin", "ledger", "audit", "chain", "demo"):
        assert command in result.output


def test_db_upgrade_is_idempotent(env: Settings) -> None:
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "up to date" in result.output


def test_admin_grant_and_revoke(env: Settings) -> None:
    address = str(Keypair().pubkey())
    granted = runner.invoke(app, ["admin", "grant", address, "compliance"])
    assert granted.exit_code == 0, granted.output
    assert "compliance" in granted.output
    revoked = runner.invoke(app, ["admin", "revoke", address, "compliance"])
    assert revoked.exit_code == 0, revoked.output
    assert "compliance" not in revoked.output.split(":", 1)[1]
    bad_role = runner.invoke(app, ["admin", "grant", address, "emperor"])
    assert bad_role.exit_code != 0
    bad_address = runner.invoke(app, ["admin", "grant", "0OIl", "admin"])
    assert bad_address.exit_code == 1
    assert "error" in bad_address.output


async def _corrupt(settings: Settings) -> None:
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work() as session:
            session.add(
                LedgerAccount(
                    owner_type="platform",
                    owner_id="test",
                    asset="USDC",
                    purpose="corrupted",
                    debits_must_not_exceed_credits=False,
                    credits_posted=5,
                )
            )
    finally:
        await db.dispose()


def test_ledger_check_passes_then_catches_a_broken_sum(env: Settings) -> None:
    ok = runner.invoke(app, ["ledger", "check"])
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["ok"] is True
    asyncio.run(_corrupt(env))
    broken = runner.invoke(app, ["ledger", "check"])
    assert broken.exit_code == 1
    report = json.loads(broken.output)
    assert report["ok"] is False
    usdc = next(a for a in report["assets"] if a["asset"] == "USDC")
    assert usdc["ok"] is False


def test_serve_refuses_several_workers_on_the_embedded_chain(env: Settings) -> None:
    result = runner.invoke(app, ["serve", "--workers", "2"])
    assert result.exit_code == 2
    assert "embedded chain" in result.output


def _free_port_pair() -> int:
    """A port whose next one is free too."""
    for _ in range(50):
        with socket.socket() as first:
            first.bind(("127.0.0.1", 0))
            port = first.getsockname()[1]
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                except OSError:
                    continue
                return port
    raise AssertionError("no free pair of ports")


def _capture_server(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    started: dict[str, object] = {}

    def run(server: uvicorn.Server, sockets: list[socket.socket] | None = None) -> None:
        assert sockets is not None
        started["proxy_headers"] = server.config.proxy_headers
        started["ports"] = [sock.getsockname()[1] for sock in sockets]
        for sock in sockets:
            sock.close()

    monkeypatch.setattr("uvicorn.Server.run", run)
    return started


def test_serve_leaves_forwarded_headers_to_the_app(
    env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # uvicorn's own proxy headers would trust any local peer's X-Forwarded-For and hand the
    # rate limiter a spoofed client address; ECE_TRUSTED_PROXIES decides instead.
    started = _capture_server(monkeypatch)
    port = _free_port_pair()
    result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert started["proxy_headers"] is False
    # The embedded chain's RPC PubSub is also where web3.js looks for it: the port + 1.
    assert started["ports"] == [port, port + 1]
    assert f"ws://127.0.0.1:{port + 1}/rpc" in result.output


def test_serve_without_the_next_port_still_serves(
    env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = _capture_server(monkeypatch)
    port = _free_port_pair()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port + 1))
        taken.listen()
        result = runner.invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert started["ports"] == [port]
    assert f"port {port + 1} not served" in result.output


@pytest.fixture
async def production_env(
    blank_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Settings]:
    """A valid, initialized production platform on a (stand-in) real cluster."""
    async with cluster_platform(
        blank_settings,
        env=Environment.production,
        solana_cluster="mainnet-beta",  # production refuses devnet
        secret_key="s" * 48,
        domain="ece.example",
        metrics_token=SecretStr("m" * 32),
        kyc_keys=SecretStr("prod-1:" + "cXFx" * 10 + "cXE="),
    ) as cluster:
        production = cluster.settings
        for name, value in {
            "ENV": "production",
            "SECRET_KEY": "s" * 48,
            "DOMAIN": "ece.example",
            "METRICS_TOKEN": "m" * 32,
            "KYC_KEYS": "prod-1:" + "cXFx" * 10 + "cXE=",
            "DATA_DIR": str(production.data_dir),
            "DATABASE_URL": production.resolved_database_url,
            "KEYS_DIR": str(production.resolved_keys_dir),
            "SOLANA_RPC_URL": str(production.solana_rpc_url),
            "SOLANA_CLUSTER": production.solana_cluster,
            "ECE_MINT": str(production.ece_mint),
            "USDC_MINT": str(production.usdc_mint),
        }.items():
            monkeypatch.setenv(f"ECE_{name}", value)
        monkeypatch.setattr("uvicorn.run", _no_server)
        yield production


def _no_server(*args: object, **kwargs: object) -> None:
    raise AssertionError("the server was started")


async def _users(settings: Settings) -> int:
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work(write=False) as session:
            return int(await session.scalar(select(func.count()).select_from(User)) or 0)
    finally:
        await db.dispose()


@pytest.mark.parametrize("command", [["demo"], ["serve", "--demo"]])
async def test_production_refuses_demo_data(production_env: Settings, command: list[str]) -> None:
    result = await asyncio.to_thread(runner.invoke, app, command)
    assert result.exit_code == 2, result.output
    assert "refused in production" in result.output
    assert await _users(production_env) == 0
    assert not (production_env.resolved_keys_dir / "demo").exists()


async def test_demo_loader_refuses_production(settings: Settings) -> None:
    production = settings.model_copy(update={"env": Environment.production})
    with pytest.raises(DemoRefused):
        await load_demo_if_empty(production)
    assert await _users(settings) == 0


def test_chain_faucet_refuses_custody(env: Settings) -> None:
    """Minted into custody by the platform's authority, tokens no one is owed would sit there."""
    init = runner.invoke(app, ["init"])
    assert init.exit_code == 0, init.output
    custody = json.loads((env.resolved_keys_dir / "custody.json").read_text())["public_key"]
    refused = runner.invoke(app, ["chain", "faucet", str(custody), "USDC", "5"])
    assert refused.exit_code == 2, refused.output
    assert "custody" in refused.output
    fine = runner.invoke(app, ["chain", "faucet", str(Keypair().pubkey()), "USDC", "5"])
    assert fine.exit_code == 0, fine.output


def test_db_anonymized_dump_writes_a_new_file_and_refuses_an_existing_one(
    env: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """SQLite writes a masked database file, PostgreSQL a masked SQL dump; both print the
    output's path last and never overwrite."""
    output = tmp_path_factory.mktemp("dump") / "masked"
    made = runner.invoke(app, ["db", "anonymized-dump", str(output)])
    assert made.exit_code == 0, made.output
    assert made.output.strip().splitlines()[-1] == str(output)
    head = output.read_bytes()[:16]
    if env.resolved_database_url.startswith("sqlite"):
        assert head == b"SQLite format 3\x00"
    else:
        assert b"PostgreSQL" in output.read_bytes()[:400] or head.startswith(b"--")
    again = runner.invoke(app, ["db", "anonymized-dump", str(output)])
    assert again.exit_code == 2 and "exists" in again.output
