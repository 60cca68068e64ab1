"""``ece db anonymized-dump``: a masked copy keeps every row and balance, and no personal field."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any
from uuid import uuid4

import asyncpg  # type: ignore[import-untyped]
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from ece.audit import service as audit
from ece.config import Settings
from ece.core.db import Database, libpq_url
from ece.ledger import service as ledger
from ece.privacy.dump import _libpq_env, anonymized_copy, anonymized_pg_dump
from tests.compliance.support import deny, officer
from tests.market.support import ledger_ok
from tests.privacy.test_export_erase import EMAIL, NAME, _traded

PG_BIN = Path("/usr/lib/postgresql/15/bin")


async def test_the_copy_keeps_rows_and_sums_and_masks_every_personal_field(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    url = settings.resolved_database_url
    if not url.startswith("sqlite"):
        pytest.skip("the anonymized dump copies the embedded SQLite database")
    seller, alice = await _traded(client, app)
    await deny(client, await officer(client, app), alice.address)  # an audit entry naming her
    assert await ledger_ok(app)
    database = Path(url.split("///", 1)[1])
    output = tmp_path / "masked.db"

    changed = await anonymized_copy(database, output)

    assert changed > 0
    with pytest.raises(FileExistsError):
        await anonymized_copy(database, output)  # never overwrites
    live, masked = sqlite3.connect(database), sqlite3.connect(output)
    try:
        tables = [r[0] for r in live.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        kept = ("users", "ledger_accounts", "ledger_transfers", "sales", "audit_log", "cards")
        for table in kept:
            count = f"SELECT count(*) FROM {table}"
            assert live.execute(count).fetchone() == masked.execute(count).fetchone(), table
        sums = "SELECT asset, sum(credits_posted - debits_posted) FROM ledger_accounts GROUP BY 1"
        assert sorted(live.execute(sums)) == sorted(masked.execute(sums))
        assert all(total == 0 for _, total in masked.execute(sums))
        # The live database still holds the real values; the copy holds none of them.
        secrets = (seller.address, alice.address, NAME, EMAIL)
        found = []
        for table in tables:
            for row in masked.execute(f"SELECT * FROM {table}"):
                found += [(table, v) for v in row if isinstance(v, str) and v in secrets]
        assert found == []
        row = live.execute("SELECT email FROM users WHERE id = ?", (seller.user["id"],))
        assert row.fetchone() == (EMAIL,)
        # Her audit entry and deny-list row name her by the same pseudonym as her user row.
        anon = f"anon:{alice.user['id']}"
        assert masked.execute("SELECT address FROM compliance_denylist").fetchall() == [(anon,)]
        where = "object_type = 'address'"
        assert masked.execute(f"SELECT object_id FROM audit_log WHERE {where}").fetchall() == [
            (anon,)
        ]
    finally:
        live.close()
        masked.close()
    copy = Database(f"sqlite+aiosqlite:///{output}")
    try:
        async with copy.unit_of_work(write=False) as session:
            assert (await audit.verify(session)).ok  # the copy's chain still verifies
    finally:
        await copy.dispose()


async def _pg(url: str, statement: str) -> list[Any]:
    conn = await asyncpg.connect(libpq_url(url))
    try:
        return list(await conn.fetch(statement))
    finally:
        await conn.close()


async def _counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    return {t: (await _pg(url, f"SELECT count(*) FROM {t}"))[0][0] for t in tables}


async def test_a_postgresql_dump_restores_balanced_and_holds_no_personal_field(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    url = settings.resolved_database_url
    if url.startswith("sqlite"):
        pytest.skip("the PostgreSQL dump runs in the PostgreSQL + Redis pass")
    seller, alice = await _traded(client, app)
    await deny(client, await officer(client, app), alice.address)  # an audit entry naming her
    output = tmp_path / "masked.sql"

    changed = await anonymized_pg_dump(url, output, PG_BIN if PG_BIN.exists() else None)

    assert changed > 0
    dump = output.read_text()
    assert "COPY public.ledger_transfers" in dump and "COPY public.audit_log" in dump
    for secret in (seller.address, alice.address, NAME, EMAIL):
        assert secret not in dump
    assert f"anon:{alice.user['id']}" in dump  # her deny-list row and audit entry, one name
    with pytest.raises(FileExistsError):
        await anonymized_pg_dump(url, output)
    # The scratch database is gone; the live one still holds the real values.
    assert await _pg(url, "SELECT datname FROM pg_database WHERE datname LIKE 'ece_masked_%'") == []
    assert (await _pg(url, "SELECT email FROM users WHERE email IS NOT NULL"))[0][0] == EMAIL

    restored = make_url(url).set(database=f"ece_restored_{uuid4().hex[:10]}")
    await _pg(url, f'CREATE DATABASE "{restored.database}"')
    try:
        _, env = _libpq_env(url)
        psql = str(PG_BIN / "psql") if PG_BIN.exists() else "psql"
        loaded = subprocess.run(
            [psql, "-q", "-v", "ON_ERROR_STOP=1", "-d", str(restored.database), "-f", str(output)],
            env=env,
            capture_output=True,
            check=False,
        )
        assert loaded.returncode == 0, loaded.stderr.decode()
        copy_url = restored.render_as_string(hide_password=False)
        kept = ("users", "ledger_accounts", "ledger_transfers", "sales", "audit_log", "cards")
        assert await _counts(copy_url, kept) == await _counts(url, kept)
        db = Database(copy_url)
        try:
            assert (await ledger.run_check(db)).ok
            async with db.unit_of_work(write=False) as session:
                assert (await audit.verify(session)).ok
        finally:
            await db.dispose()
    finally:
        await _pg(url, f'DROP DATABASE IF EXISTS "{restored.database}" WITH (FORCE)')
