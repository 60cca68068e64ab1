"""``ece db anonymized-dump``: a masked copy keeps every row and balance, and no personal field."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from ece.config import Settings
from ece.privacy.dump import anonymized_copy
from tests.market.support import ledger_ok
from tests.privacy.test_export_erase import EMAIL, NAME, _traded


async def test_the_copy_keeps_rows_and_sums_and_masks_every_personal_field(
    app: FastAPI, client: httpx.AsyncClient, settings: Settings, tmp_path: Path
) -> None:
    url = settings.resolved_database_url
    if not url.startswith("sqlite"):
        pytest.skip("the anonymized dump copies the embedded SQLite database")
    seller, alice = await _traded(client, app)
    assert await ledger_ok(app)
    database = Path(url.split("///", 1)[1])
    output = tmp_path / "masked.db"

    changed = anonymized_copy(database, output)

    assert changed > 0
    with pytest.raises(FileExistsError):
        anonymized_copy(database, output)  # never overwrites
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
            if table == "audit_log":
                continue
            for row in masked.execute(f"SELECT * FROM {table}"):
                found += [(table, v) for v in row if isinstance(v, str) and v in secrets]
        assert found == []
        row = live.execute("SELECT email FROM users WHERE id = ?", (seller.user["id"],))
        assert row.fetchone() == (EMAIL,)
    finally:
        live.close()
        masked.close()
