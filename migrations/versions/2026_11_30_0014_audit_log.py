"""audit log

The append-only, hash-chained audit log (``audit_log``) and the head of its chain
(``audit_head``, one row). Triggers refuse UPDATE and DELETE on ``audit_log`` (and TRUNCATE on
PostgreSQL): an entry, once written, stays as written; ``ece audit verify`` finds any change
made around the triggers.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

PG_GUARD = (
    """CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
    END
    $$""",
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()""",
    """CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()""",
)

SQLITE_GUARD = (
    """CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'audit_log is append-only: DELETE refused'); END""",
)


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", BIG_ID, autoincrement=False, nullable=False),
        sa.Column("at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("object_type", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.String(length=128), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_actor_seq", "audit_log", ["actor", "seq"])
    op.create_index("ix_audit_log_action_seq", "audit_log", ["action", "seq"])
    op.create_index("ix_audit_log_object_seq", "audit_log", ["object_type", "object_id", "seq"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", BIG_ID, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(head, [{"id": 1, "seq": 0, "hash": GENESIS}])
    guards = PG_GUARD if op.get_bind().dialect.name == "postgresql" else SQLITE_GUARD
    for statement in guards:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table("audit_head")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_index("ix_audit_log_object_seq", table_name="audit_log")
    op.drop_index("ix_audit_log_action_seq", table_name="audit_log")
    op.drop_index("ix_audit_log_actor_seq", table_name="audit_log")
    op.drop_table("audit_log")
