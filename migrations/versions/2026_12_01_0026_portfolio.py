"""portfolio

A card-for-card swap's value hint on the card history (``card_events.value_hint`` and
``value_asset``: the card's market value at the swap, its receiver's cost basis), indexes to read
one user's history, and the collector tools' tables: ``watchlist_items`` (a company or a card a
user follows), ``price_alerts`` (a floor condition that fires once per crossing) and
``collector_profiles`` (preferences, the public showcase, hiding the collection).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-01 03:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): card_events' append-only triggers stay in place, so
    # the hint's shape (positive, with its asset) is checked by the cards service.
    op.add_column("card_events", sa.Column("value_hint", sa.BigInteger(), nullable=True))
    op.add_column("card_events", sa.Column("value_asset", sa.String(length=8), nullable=True))
    op.create_index("ix_card_events_to_user_id_id", "card_events", ["to_user_id", "id"])
    op.create_index("ix_card_events_from_user_id_id", "card_events", ["from_user_id", "id"])

    op.create_table(
        "watchlist_items",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.String(length=32), nullable=True),
        sa.Column("card_id", sa.String(length=32), nullable=True),
        sa.Column("target", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(company_id IS NULL) <> (card_id IS NULL)",
            name=op.f("ck_watchlist_items_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_watchlist_items_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_watchlist_items_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_watchlist_items_card_id_cards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_items")),
        sa.UniqueConstraint("user_id", "target", name=op.f("uq_watchlist_items_user_id")),
    )
    op.create_index(
        op.f("ix_watchlist_items_created_at"), "watchlist_items", ["created_at"], unique=False
    )

    op.create_table(
        "price_alerts",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("company_id", sa.String(length=32), nullable=True),
        sa.Column("card_id", sa.String(length=32), nullable=True),
        sa.Column("condition", sa.String(length=16), nullable=False),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=False),
        sa.Column("armed", sa.Boolean(), nullable=False),
        sa.Column("fired_count", sa.Integer(), nullable=False),
        sa.Column("last_fired_at", ece.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(company_id IS NULL) <> (card_id IS NULL)", name=op.f("ck_price_alerts_one_target")
        ),
        sa.CheckConstraint("price > 0", name=op.f("ck_price_alerts_price_positive")),
        sa.CheckConstraint(
            "condition IN ('floor_below', 'floor_above', 'listed_below')",
            name=op.f("ck_price_alerts_condition"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_price_alerts_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f("fk_price_alerts_company_id_companies")
        ),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_price_alerts_card_id_cards")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_alerts")),
    )
    op.create_index(
        op.f("ix_price_alerts_created_at"), "price_alerts", ["created_at"], unique=False
    )
    op.create_index("ix_price_alerts_user_id", "price_alerts", ["user_id"], unique=False)

    op.create_table(
        "collector_profiles",
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("display_currency", sa.String(length=8), nullable=False),
        sa.Column("theme", sa.String(length=8), nullable=False),
        sa.Column("hide_collection", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("showcase", sa.JSON(), nullable=False),
        sa.Column("updated_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "theme IN ('system', 'light', 'dark')", name=op.f("ck_collector_profiles_theme")
        ),
        sa.CheckConstraint(
            "display_currency IN ('USDC', 'ECE')",
            name=op.f("ck_collector_profiles_display_currency"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_collector_profiles_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_collector_profiles")),
    )


def downgrade() -> None:
    op.drop_table("collector_profiles")
    op.drop_index("ix_price_alerts_user_id", table_name="price_alerts")
    op.drop_index(op.f("ix_price_alerts_created_at"), table_name="price_alerts")
    op.drop_table("price_alerts")
    op.drop_index(op.f("ix_watchlist_items_created_at"), table_name="watchlist_items")
    op.drop_table("watchlist_items")
    op.drop_index("ix_card_events_from_user_id_id", table_name="card_events")
    op.drop_index("ix_card_events_to_user_id_id", table_name="card_events")
    with op.batch_alter_table("card_events", recreate="never") as batch_op:
        batch_op.drop_column("value_asset")
        batch_op.drop_column("value_hint")
