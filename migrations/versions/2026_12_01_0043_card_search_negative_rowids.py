"""card search: negative rowids for cards without an id-ordered one (SQLite)

A card whose id is not 32 hex digits, or whose first 15 hex digits another card holds, had an
ordinary FTS5 rowid (the largest plus one); it now has a negative one, so the rowids from 0 up
are exactly the id-ordered ones (migration 0039) and the others are a rowid range of their own.
A word search matching many cards then walks a sort's index and checks each card through its
id's rowid, and looks up only the negative range by card id (``ece.cards.search_repository``).
PostgreSQL: nothing to do.

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-01 12:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0043"
down_revision: str | Sequence[str] | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DIGITS = 15
_HEX = "0123456789abcdef"


def _own_rowid(column: str) -> str:
    digits = " + ".join(
        f"((instr('{_HEX}', substr({column}, {i + 1}, 1)) - 1) << {4 * (_DIGITS - 1 - i)})"
        for i in range(_DIGITS)
    )
    return (
        f"CASE WHEN length({column}) = 32 AND {column} NOT GLOB '*[^0-9a-f]*' THEN ({digits}) END"
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TEMP TABLE card_search_moved AS SELECT rowid AS old, card_id, body"  # noqa: S608
        f" FROM card_search WHERE rowid >= 0 AND rowid IS NOT ({_own_rowid('card_id')})"
    )
    op.execute("DELETE FROM card_search WHERE rowid IN (SELECT old FROM card_search_moved)")
    op.execute(
        "INSERT INTO card_search (rowid, card_id, body)"
        " SELECT coalesce((SELECT min(rowid) FROM card_search WHERE rowid < 0), 0)"
        " - row_number() OVER (ORDER BY old), card_id, body FROM card_search_moved"
    )
    op.execute("DROP TABLE card_search_moved")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(
        "CREATE TEMP TABLE card_search_moved AS SELECT card_id, body FROM card_search"
        " WHERE rowid < 0"
    )
    op.execute("DELETE FROM card_search WHERE rowid < 0")
    op.execute(
        "INSERT INTO card_search (card_id, body) SELECT card_id, body FROM card_search_moved"
    )
    op.execute("DROP TABLE card_search_moved")
