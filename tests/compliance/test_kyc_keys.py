"""KYC keys: from settings (production requires them), a development key made by ``ece init``,
and ``ece compliance rotate-key``: re-encrypts every value with the active key, idempotent and
resumable; afterwards the old key can go and every value still opens."""

from __future__ import annotations

import asyncio
import base64
import os
from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr, ValidationError
from solders.keypair import Keypair
from sqlalchemy import text
from typer.testing import CliRunner

from ece.auth import service as auth_service
from ece.auth.models import Role
from ece.cli import app as cli
from ece.compliance import key_rotation
from ece.compliance import service as compliance
from ece.compliance.personal_data import key_file, keyring
from ece.compliance.service import Level
from ece.config import Settings
from ece.core.db import Database
from tests.builders import sign_in
from tests.compliance.support import my_kyc, submit

BORN = date(1990, 1, 2)


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def dev_entry(settings: Settings) -> str:
    """The development key line ``ece init`` wrote (id:base64)."""
    return key_file(settings).read_text().strip()


def test_production_refuses_to_start_without_kyc_keys(tmp_path: os.PathLike[str]) -> None:
    base = {
        "env": "production",
        "data_dir": tmp_path,
        "domain": "ece.example",
        "secret_key": "k" * 48,
        "solana_rpc_url": "http://127.0.0.1:8899",
        "ece_mint": "So11111111111111111111111111111111111111112",
        "usdc_mint": "So11111111111111111111111111111111111111112",
        "metrics_token": "m" * 32,
    }
    with pytest.raises(ValidationError, match="ECE_KYC_KEYS must be set in production"):
        Settings(**base)  # type: ignore[arg-type]
    secret = new_key()
    assert Settings(**base, kyc_keys=f"p1:{secret}").kyc_key_entries()["p1"]  # type: ignore[arg-type]
    for bad in (f"p1{secret}", "p1:c2hvcnQ=", f"p 1:{secret}", f"p1:{secret},p1:{secret}"):
        with pytest.raises(ValidationError) as refused:
            Settings(**base, kyc_keys=bad)  # type: ignore[arg-type]
        assert "ECE_KYC_KEYS" in str(refused.value)
        assert secret[:12] not in str(refused.value)
    with pytest.raises(ValidationError, match="ECE_KYC_ACTIVE_KEY"):
        Settings(**base, kyc_keys=f"p1:{secret}", kyc_active_key="p2")  # type: ignore[arg-type]
    assert secret[:12] not in repr(Settings(**base, kyc_keys=f"p1:{secret}"))  # type: ignore[arg-type]


def test_init_makes_a_private_development_key(settings: Settings) -> None:
    path = key_file(settings)
    assert path.stat().st_mode & 0o077 == 0
    ring = keyring(settings)
    assert ring.active.startswith("dev-") and len(ring.keys[ring.active]) == 32
    assert compliance.create_development_key(settings) == []  # never replaced
    assert "ids=" in repr(ring) and base64.b64encode(ring.keys[ring.active]).decode() not in repr(
        ring
    )


async def _key_columns(db: Database) -> set[str]:
    async with db.unit_of_work(write=False) as session:
        rows = await session.execute(
            text(
                "SELECT full_name_key, country_key, date_of_birth_key, document_number_key "
                "FROM kyc_records"
            )
        )
        return {k for row in rows.all() for k in row if k}


async def test_rotate_key_re_encrypts_then_the_old_key_can_go(
    client: httpx.AsyncClient, app: FastAPI, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    users = [await sign_in(client) for _ in range(3)]
    for n, user in enumerate(users):
        assert (await submit(client, user, "full" if n else "basic")).status_code == 202
    db: Database = app.state.services.db
    old_id = keyring(settings).active
    assert await _key_columns(db) == {old_id}
    fresh = new_key()
    settings.kyc_keys = SecretStr(f"{dev_entry(settings)},new:{fresh}")
    settings.kyc_active_key = "new"

    calls = 0
    real_seal = key_rotation.seal_record

    def crash_on_the_second(*args: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise RuntimeError("stopped half way")
        real_seal(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(key_rotation, "seal_record", crash_on_the_second)
    with pytest.raises(RuntimeError, match="half way"):
        await compliance.rotate_keys(db, settings, batch=1)
    monkeypatch.undo()
    assert await _key_columns(db) == {old_id, "new"}  # the first batch stayed done

    resumed = await compliance.rotate_keys(db, settings, batch=1)
    assert resumed.records == 2 and resumed.key_ids == ["new"]
    assert (await compliance.rotate_keys(db, settings)).records == 0  # idempotent
    settings.kyc_keys = SecretStr(f"new:{fresh}")  # the old key is gone
    settings.kyc_active_key = None
    for user in users:
        assert (await my_kyc(client, user))["personal_data"]["full_name"] == "J*** D***"


def test_rotate_key_command(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    address = str(Keypair().pubkey())

    async def seed() -> None:
        db = Database(settings.resolved_database_url)
        try:
            async with db.unit_of_work() as session:
                await auth_service.grant_role(session, address, Role.compliance)
                user = await auth_service.user_by_address(session, address)
                assert user is not None
                await compliance.submit_kyc(
                    session, settings, user.id, Level.basic, "Ann Example", "FR", BORN, None
                )
        finally:
            await db.dispose()

    asyncio.run(seed())
    monkeypatch.setenv("ECE_ENV", "test")
    monkeypatch.setenv("ECE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ECE_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("ECE_KYC_KEYS", f"{dev_entry(settings)},k2:{new_key()}")
    monkeypatch.setenv("ECE_KYC_ACTIVE_KEY", "k2")
    first = CliRunner().invoke(cli, ["compliance", "rotate-key"])
    assert first.exit_code == 0, first.output
    assert "Re-encrypted 1 KYC records with key k2; keys in use: k2" in first.output
    again = CliRunner().invoke(cli, ["compliance", "rotate-key"])
    assert "Re-encrypted 0 KYC records" in again.output
    monkeypatch.setenv("ECE_KYC_KEYS", f"k3:{new_key()}")
    monkeypatch.delenv("ECE_KYC_ACTIVE_KEY")
    lost = CliRunner().invoke(cli, ["compliance", "rotate-key"])
    assert lost.exit_code == 1 and "'k2', which is not configured" in lost.output
