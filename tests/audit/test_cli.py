"""``ece audit verify`` offline against the configured database, and ``ece admin`` audited."""

from __future__ import annotations

import asyncio
import json

import pytest
from solders.keypair import Keypair
from typer.testing import CliRunner

from ece.audit import service as audit
from ece.cli import app
from ece.config import Settings
from ece.core.db import Database
from tests.audit.support import change_around_guards

runner = CliRunner()


def use(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ECE_ENV", "test")
    monkeypatch.setenv("ECE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ECE_DATABASE_URL", settings.resolved_database_url)
    return settings


async def _tamper(settings: Settings, seq: int) -> None:
    db = Database(settings.resolved_database_url)
    try:
        await change_around_guards(
            db, "UPDATE audit_log SET actor = 'someone-else' WHERE seq = :s", {"s": seq}
        )
    finally:
        await db.dispose()


async def _entries(settings: Settings) -> list[tuple[str, str]]:
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work(write=False) as session:
            found = [e async for e in audit.every_entry(session, audit.AuditFilters())]
        return [(e.actor, e.action) for e in reversed(found)]
    finally:
        await db.dispose()


def verify() -> tuple[int, dict[str, object]]:
    result = runner.invoke(app, ["audit", "verify"])
    return result.exit_code, json.loads(result.output)


def test_an_empty_log_verifies(blank_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    use(blank_settings, monkeypatch)
    assert verify() == (0, {"ok": True, "entries": 0, "head": "0" * 64})


def test_verify_exits_1_naming_the_changed_entry(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    use(settings, monkeypatch)
    address = str(Keypair().pubkey())
    for command in (["grant", address, "compliance"], ["revoke", address, "compliance"]):
        assert runner.invoke(app, ["admin", *command]).exit_code == 0
    assert asyncio.run(_entries(settings)) == [
        (audit.OPERATOR, "platform.initialized"),
        (audit.OPERATOR, "user.roles_changed"),
        (audit.OPERATOR, "user.roles_changed"),
    ]
    code, report = verify()
    assert code == 0 and report["ok"] is True and report["entries"] == 3
    assert "first_bad_seq" not in report
    asyncio.run(_tamper(settings, 2))
    code, report = verify()
    assert code == 1
    assert report["ok"] is False and report["first_bad_seq"] == 2 and report["entries"] == 3
