"""audit erasure: personal values in audit entries can be pseudonymized, the chain still verifies

``audit_log.salts`` (per personal field of an entry, a random salt) and ``audit_log.erased``
(per erased field, the salted commitment that stands in for the value in the hash). An entry
with salts hashes ``sha256:<sha256(salt:value)>`` in place of each personal value, so erasure
can replace the value with a pseudonym, drop its salt and keep its commitment: the entry's
hash does not change. The guard triggers now let one kind of UPDATE through: one that leaves
every hashed column (seq, at, actor, action, object_type, prev_hash, hash) as it was and
records erased fields. The chain still finds any other change (a personal value that is not
erased is hashed through its salt).

Revision ID: 0040
Revises: 0035
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0040"
down_revision: str | Sequence[str] | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNCHANGED = (
    "NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.actor = OLD.actor AND NEW.action = OLD.action"
    " AND NEW.object_type = OLD.object_type AND NEW.prev_hash = OLD.prev_hash"
    " AND NEW.hash = OLD.hash AND NEW.erased IS NOT NULL"
)

PG_GUARD = f"""CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            IF {_UNCHANGED} THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
    END
    $$"""
PG_GUARD_BEFORE = """CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
    END
    $$"""

SQLITE_GUARD = f"""CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    WHEN NOT ({_UNCHANGED})
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END"""
SQLITE_GUARD_BEFORE = """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END"""


def upgrade() -> None:
    op.add_column("audit_log", sa.Column("salts", sa.JSON(), nullable=True))
    op.add_column("audit_log", sa.Column("erased", sa.JSON(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_GUARD)
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute(SQLITE_GUARD)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_GUARD_BEFORE)
    else:
        op.execute("DROP TRIGGER audit_log_no_update")
        op.execute(SQLITE_GUARD_BEFORE)
    # Plain ALTER TABLE on both (SQLite 3.35+): a batch copy of the table would lose its guards.
    op.execute("ALTER TABLE audit_log DROP COLUMN erased")
    op.execute("ALTER TABLE audit_log DROP COLUMN salts")
