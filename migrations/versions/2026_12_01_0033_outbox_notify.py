"""outbox commit notifications (PostgreSQL)

A transaction that writes outbox events sends ``NOTIFY ece_outbox`` when it commits, whichever
process made it; the outbox relay listens (``ece.core.outbox.Doorbell``) and runs at once
instead of on its next tick. A statement-level trigger: one notification per insert statement
at most, and PostgreSQL folds the identical ones of a transaction into one. SQLite has no
cross-process notification (a relay there is rung by its own process's commits), so this
migration does nothing there.

Revision ID: 0033
Revises: 0030
Create Date: 2026-12-01 03:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0033"
down_revision: str | Sequence[str] | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "ece_outbox"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION ece_notify_outbox() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION ece_notify_outbox()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER outbox_events_notify ON outbox_events")
    op.execute("DROP FUNCTION ece_notify_outbox()")
