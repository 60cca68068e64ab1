"""card search rowids in id order (SQLite)

Each row of the FTS5 table ``card_search`` gets a rowid that sorts as its card's id does: the
id's first 15 hex digits as an integer (cards sharing those, or with an id that is not 32 hex
digits, get ordinary rowids). A slice of the id space is then a rowid range the FTS5 index reads
by itself, so catalog facets sample a large word-search match set without reading all of it
(``ece.cards.facets``). The table is filled again from ``cards``. PostgreSQL: nothing to do
(its search is an expression index on ``cards``).

Revision ID: 0039
Revises: 0034
Create Date: 2026-12-01 09:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0039"
down_revision: str | Sequence[str] | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DIGITS = 15
_HEX = "0123456789abcdef"


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    digits = " + ".join(
        f"((instr('{_HEX}', substr(id, {i + 1}, 1)) - 1) << {4 * (_DIGITS - 1 - i)})"
        for i in range(_DIGITS)
    )
    hex_id = "length(id) = 32 AND id NOT GLOB '*[^0-9a-f]*'"
    shared = f"count(*) OVER (PARTITION BY substr(id, 1, {_DIGITS})) > 1"
    op.execute("DELETE FROM card_search")
    op.execute(
        "INSERT INTO card_search (rowid, card_id, body) SELECT CASE WHEN"  # noqa: S608
        f" {hex_id} AND NOT {shared} THEN ({digits}) END, id, search_text FROM cards"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DELETE FROM card_search")
    op.execute("INSERT INTO card_search (card_id, body) SELECT id, search_text FROM cards")
