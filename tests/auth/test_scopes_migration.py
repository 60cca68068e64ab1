"""Migration 0011: keys made before scopes existed keep read and trade, never withdraw."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from ece.core.migrate import alembic_config, upgrade

pytestmark = pytest.mark.db  # migrates a database of its own


def test_existing_keys_get_read_and_trade_and_sessions_none(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0010")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "INSERT INTO users (id, address, created_at) "
                "VALUES ('u1', 'addr', '2026-01-01 00:00:00')"
            )
        )
        for kind in ("api_key", "session"):
            conn.execute(
                sa.text(
                    "INSERT INTO credentials (id, user_id, kind, token_hash, prefix, expires_at,"
                    " created_at) VALUES (:kind, 'u1', :kind, :kind, 'p',"
                    " '2027-01-01 00:00:00', '2026-01-01 00:00:00')"
                ),
                {"kind": kind},
            )
    upgrade(url, "0011")
    with engine.connect() as conn:
        rows = dict(conn.execute(sa.text("SELECT kind, scopes FROM credentials")).all())
    assert rows == {"api_key": "read,trade", "session": None}
    command.downgrade(alembic_config(url), "0010")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("credentials")}
    assert "scopes" not in columns
