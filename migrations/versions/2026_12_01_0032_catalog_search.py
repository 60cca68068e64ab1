"""catalog search: suggestions for search-as-you-type

``search_suggestions`` holds the words a collector types towards: company names, tickers and
distinct card names (one row each, ``label_lc`` lower-cased), kept by the cards service on
mint and company changes. Trigram lookups on it: PostgreSQL ``pg_trgm`` GIN index on
``label_lc``; SQLite an FTS5 ``trigram`` table over the same rows kept by triggers. Filled from
the cards and companies already there.

Revision ID: 0032
Revises: 0033
Create Date: 2026-12-01 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The catalog's sort indexes: exactly the expressions of ece.cards.catalog_repository.SORTS.
_EPOCH = {
    "postgresql": "'1970-01-01 00:00:00+00'::timestamptz",
    "sqlite": "'1970-01-01 00:00:00.000000'",
}
_SORT_INDEXES = (
    ("ix_cards_sort_power", "power DESC, id"),
    ("ix_cards_sort_price_asc", "coalesce(list_price, 9223372036854775807), id"),
    ("ix_cards_sort_price_desc", "coalesce(list_price, -1) DESC, id"),
    ("ix_cards_sort_last_sale", "coalesce(last_sale_at, {epoch}) DESC, id"),
)
_OLD_INDEXES = {
    "ix_cards_power_id": ["power", "id"],
    "ix_cards_list_price": ["list_price"],
    "ix_cards_last_sale_at": ["last_sale_at"],
    "ix_cards_created_at": ["created_at"],
    "ix_cards_rarity": ["rarity"],
}


def upgrade() -> None:
    epoch = _EPOCH[op.get_bind().dialect.name]
    with op.batch_alter_table("cards", schema=None) as batch_op:
        for name in _OLD_INDEXES:
            batch_op.drop_index(name)
        batch_op.create_index("ix_cards_created_at_id", ["created_at", "id"], unique=False)
    for name, columns in _SORT_INDEXES:
        op.execute(f"CREATE INDEX {name} ON cards ({columns.format(epoch=epoch)})")
    op.create_table(
        "search_suggestions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("label_lc", sa.String(length=100), nullable=False),
        sa.Column("ref", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_suggestions")),
        sa.UniqueConstraint("kind", "ref", name=op.f("uq_search_suggestions_kind_ref")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_search_suggestions_trgm ON search_suggestions"
            " USING gin (label_lc gin_trgm_ops)"
        )
    else:
        op.execute(
            "CREATE VIRTUAL TABLE search_suggest_fts USING fts5(label_lc,"
            " content='search_suggestions', content_rowid='id', tokenize='trigram')"
        )
        op.execute(
            "CREATE TRIGGER search_suggestions_ai AFTER INSERT ON search_suggestions BEGIN"
            " INSERT INTO search_suggest_fts (rowid, label_lc) VALUES (new.id, new.label_lc);"
            " END"
        )
        op.execute(
            "CREATE TRIGGER search_suggestions_ad AFTER DELETE ON search_suggestions BEGIN"
            " INSERT INTO search_suggest_fts (search_suggest_fts, rowid, label_lc)"
            " VALUES ('delete', old.id, old.label_lc); END"
        )
        op.execute(
            "CREATE TRIGGER search_suggestions_au AFTER UPDATE ON search_suggestions BEGIN"
            " INSERT INTO search_suggest_fts (search_suggest_fts, rowid, label_lc)"
            " VALUES ('delete', old.id, old.label_lc);"
            " INSERT INTO search_suggest_fts (rowid, label_lc) VALUES (new.id, new.label_lc);"
            " END"
        )
    op.execute(
        "INSERT INTO search_suggestions (kind, label, label_lc, ref)"
        " SELECT 'company', name, lower(name), id FROM companies"
    )
    op.execute(
        "INSERT INTO search_suggestions (kind, label, label_lc, ref)"
        " SELECT 'ticker', ticker, lower(ticker), id FROM companies"
    )
    op.execute(
        "INSERT INTO search_suggestions (kind, label, label_lc, ref)"
        " SELECT DISTINCT 'card', name, lower(name), name FROM cards"
    )


def downgrade() -> None:
    for name, _ in _SORT_INDEXES:
        op.execute(f"DROP INDEX {name}")
    with op.batch_alter_table("cards", schema=None) as batch_op:
        batch_op.drop_index("ix_cards_created_at_id")
        for name, columns in _OLD_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_search_suggestions_trgm")
    else:
        for suffix in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER search_suggestions_{suffix}")
        op.execute("DROP TABLE search_suggest_fts")
    op.drop_table("search_suggestions")
