"""payout approvals and web push

Any M of the N treasury signers pay a payout: members approve first (``payout_approvals``),
the first M approvers are the signers its transaction names, built on the durable nonce stored
on the payout (``payouts.nonce``). Web push: the browsers' push subscriptions of each user and
the queue of push messages the relay makes (outbid and sold alerts).

Revision ID: 0023
Revises: 0021
Create Date: 2026-11-30 23:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import ece.core.db

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = ece.core.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("payouts") as batch:
        batch.add_column(sa.Column("nonce", sa.String(44), nullable=True))
    op.create_table(
        "payout_approvals",
        sa.Column("payout_id", sa.String(32), nullable=False),
        sa.Column("signer", sa.String(44), nullable=False),
        sa.Column("user_id", sa.String(32), nullable=False),
        sa.Column("approved_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["payout_id"], ["payouts.id"], name=op.f("fk_payout_approvals_payout_id_payouts")
        ),
        sa.PrimaryKeyConstraint("payout_id", "signer", name=op.f("pk_payout_approvals")),
    )
    op.create_table(
        "push_subscriptions",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("endpoint", sa.String(2048), nullable=False),
        sa.Column("p256dh", sa.String(128), nullable=False),
        sa.Column("auth", sa.String(64), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_subscriptions")),
        sa.UniqueConstraint("endpoint", name="uq_push_subscriptions_endpoint"),
    )
    op.create_index("ix_push_subscriptions_user", "push_subscriptions", ["user_id"])
    op.create_table(
        "push_messages",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("event_id", BIG_ID, nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=True),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_push_messages")),
        sa.UniqueConstraint("user_id", "event_id", "kind", name="uq_push_messages_event"),
    )
    op.create_index("ix_push_messages_due", "push_messages", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_push_messages_due", table_name="push_messages")
    op.drop_table("push_messages")
    op.drop_index("ix_push_subscriptions_user", table_name="push_subscriptions")
    op.drop_table("push_subscriptions")
    op.drop_table("payout_approvals")
    with op.batch_alter_table("payouts") as batch:
        batch.drop_column("nonce")
