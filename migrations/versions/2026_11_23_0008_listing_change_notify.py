"""listing change notifications (PostgreSQL)

A transaction that changes what a public listing page shows sends ``NOTIFY ece_listings`` when
it commits, whichever process made it; each web worker's page cache listens (``ece.core.pagecache``).
Statement-level triggers: one notification per statement at most, and PostgreSQL folds the
identical ones of a transaction into one. SQLite has no cross-process notification, so the cache
is off there and this migration does nothing.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 13:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNEL = "ece_listings"

# table -> the events that change a listing page (cards, companies and users only through
# the columns a page shows or filters on)
TRIGGERS = {
    "listings": "INSERT OR UPDATE OR DELETE OR TRUNCATE",
    "cards": "UPDATE OF name OR DELETE OR TRUNCATE",
    "companies": "INSERT OR UPDATE OF id, ticker OR DELETE OR TRUNCATE",
    "users": "UPDATE OF address OR DELETE OR TRUNCATE",
}


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"""
        CREATE FUNCTION ece_notify_listings() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('{CHANNEL}', '');
            RETURN NULL;
        END $$
        """
    )
    for table, events in TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {table}_notify_listings AFTER {events} ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION ece_notify_listings()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TRIGGERS:
        op.execute(f"DROP TRIGGER {table}_notify_listings ON {table}")
    op.execute("DROP FUNCTION ece_notify_listings()")
