"""battles

Battles (``battles``: an acquirer company against a target, their terms frozen at creation and
the commit-reveal seed), each user's entry (``battle_entries``: side, fee hold, payout), every
staked card as staked (``battle_cards``) and one vote per user per battle (``battle_votes``).

Revision ID: 0025
Revises: 0021
Create Date: 2026-11-30 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0025"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "battles",
        sa.Column("title", sa.String(length=120), nullable=False),
        sa.Column("acquirer_company_id", sa.String(length=32), nullable=False),
        sa.Column("target_company_id", sa.String(length=32), nullable=False),
        sa.Column("entry_fee", sa.BigInteger(), nullable=False),
        sa.Column("sponsor", sa.BigInteger(), nullable=False),
        sa.Column("max_cards_per_user", sa.Integer(), nullable=False),
        sa.Column("enrol_until", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("vote_until", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fee_bps", sa.Integer(), nullable=False),
        sa.Column("voter_pool_bps", sa.Integer(), nullable=False),
        sa.Column("vote_points", sa.Integer(), nullable=False),
        sa.Column("multipliers", sa.String(length=200), nullable=False),
        sa.Column("seed", sa.String(length=64), nullable=False),
        sa.Column("seed_commitment", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("voting_announced", sa.Boolean(), nullable=False),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("winner", sa.String(length=16), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("closed_at", ece.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('open', 'settled', 'cancelled')", name=op.f("ck_battles_state")
        ),
        sa.CheckConstraint("entry_fee > 0", name=op.f("ck_battles_entry_fee_positive")),
        sa.CheckConstraint("sponsor >= 0", name=op.f("ck_battles_sponsor_non_negative")),
        sa.ForeignKeyConstraint(
            ["acquirer_company_id"],
            ["companies.id"],
            name=op.f("fk_battles_acquirer_company_id_companies"),
        ),
        sa.ForeignKeyConstraint(
            ["target_company_id"],
            ["companies.id"],
            name=op.f("fk_battles_target_company_id_companies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_battles")),
    )
    with op.batch_alter_table("battles", schema=None) as batch_op:
        batch_op.create_index(
            "ix_battles_acquirer_company_id", ["acquirer_company_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_battles_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            "ix_battles_state_enrol_until", ["state", "enrol_until"], unique=False
        )
        batch_op.create_index("ix_battles_state_vote_until", ["state", "vote_until"], unique=False)
        batch_op.create_index("ix_battles_target_company_id", ["target_company_id"], unique=False)

    op.create_table(
        "battle_entries",
        sa.Column("battle_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("staked_power", sa.BigInteger(), nullable=False),
        sa.Column("fee", sa.BigInteger(), nullable=False),
        sa.Column("hold_transfer_id", sa.String(length=100), nullable=False),
        sa.Column("payout", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("side IN ('acquirer', 'target')", name=op.f("ck_battle_entries_side")),
        sa.ForeignKeyConstraint(
            ["battle_id"], ["battles.id"], name=op.f("fk_battle_entries_battle_id_battles")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_battle_entries_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_battle_entries")),
        sa.UniqueConstraint(
            "battle_id", "user_id", name=op.f("uq_battle_entries_battle_id_user_id")
        ),
    )
    with op.batch_alter_table("battle_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_battle_entries_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index("ix_battle_entries_user_id", ["user_id"], unique=False)

    op.create_table(
        "battle_votes",
        sa.Column("battle_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("side", sa.String(length=16), nullable=False),
        sa.Column("weight", sa.BigInteger(), nullable=False),
        sa.Column("cards_held", sa.Integer(), nullable=False),
        sa.Column("changes", sa.Integer(), nullable=False),
        sa.Column("updated_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", ece.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("side IN ('acquirer', 'target')", name=op.f("ck_battle_votes_side")),
        sa.ForeignKeyConstraint(
            ["battle_id"], ["battles.id"], name=op.f("fk_battle_votes_battle_id_battles")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_battle_votes_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_battle_votes")),
        sa.UniqueConstraint("battle_id", "user_id", name=op.f("uq_battle_votes_battle_id_user_id")),
    )
    with op.batch_alter_table("battle_votes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_battle_votes_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "battle_cards",
        sa.Column("battle_id", sa.String(length=32), nullable=False),
        sa.Column("card_id", sa.String(length=32), nullable=False),
        sa.Column("entry_id", sa.String(length=32), nullable=False),
        sa.Column("rarity", sa.String(length=16), nullable=False),
        sa.Column("power", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["battle_id"], ["battles.id"], name=op.f("fk_battle_cards_battle_id_battles")
        ),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_battle_cards_card_id_cards")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["battle_entries.id"],
            name=op.f("fk_battle_cards_entry_id_battle_entries"),
        ),
        sa.PrimaryKeyConstraint("battle_id", "card_id", name=op.f("pk_battle_cards")),
    )
    with op.batch_alter_table("battle_cards", schema=None) as batch_op:
        batch_op.create_index("ix_battle_cards_card_id", ["card_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("battle_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_battle_cards_card_id")

    op.drop_table("battle_cards")
    with op.batch_alter_table("battle_votes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_battle_votes_created_at"))

    op.drop_table("battle_votes")
    with op.batch_alter_table("battle_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_battle_entries_user_id")
        batch_op.drop_index(batch_op.f("ix_battle_entries_created_at"))

    op.drop_table("battle_entries")
    with op.batch_alter_table("battles", schema=None) as batch_op:
        batch_op.drop_index("ix_battles_target_company_id")
        batch_op.drop_index("ix_battles_state_vote_until")
        batch_op.drop_index("ix_battles_state_enrol_until")
        batch_op.drop_index(batch_op.f("ix_battles_created_at"))
        batch_op.drop_index("ix_battles_acquirer_company_id")

    op.drop_table("battles")
