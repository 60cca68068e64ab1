"""Migration 0035: an open English auction's runner-up is filled from its current bids."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from ece.core.migrate import alembic_config, upgrade

pytestmark = pytest.mark.db  # migrates a database of its own

_AUCTION = (
    "INSERT INTO auctions (id, kind, card_id, company_id, seller_kind, seller_id, currency,"
    " start_price, starts_at, ends_at, state, current_price, leader_bid_id, leader_user_id,"
    " leader_max, bid_count, bid_seq, created_at) VALUES (:id, 'english', 'c', 'co', 'user',"
    " 's', 'USDC', 1, '2026-01-01 00:00:00', '2027-01-01 00:00:00', :state, 1, :leader,"
    " 'u-lead', 900, 4, 4, '2026-01-01 00:00:00')"
)
_BID = (
    "INSERT INTO auction_bids (id, auction_id, bidder_user_id, max_amount, seq, price_after,"
    " status, created_at) VALUES (:id, :auction, :user, :max, :seq, 1, :status,"
    " '2026-01-01 00:00:00')"
)


def test_open_auctions_get_their_highest_outbid_bid_as_runner_up(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0038")
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        for auction, state in (("open", "open"), ("sold", "sold"), ("lone", "open")):
            conn.execute(sa.text(_AUCTION), {"id": auction, "state": state, "leader": "lead"})
        bids = [
            ("lead", "open", "u-lead", 900, 4, "winning"),
            ("a-raised", "open", "u-a", 800, 1, "raised"),  # replaced by a-now: not current
            ("b", "open", "u-b", 500, 2, "outbid"),  # ties a-now on max, but later
            ("a-now", "open", "u-a", 500, 1, "outbid"),
            ("s", "sold", "u-b", 700, 1, "lost"),
            ("lone-lead", "lone", "u-lead", 900, 1, "winning"),
        ]
        for bid_id, auction, user, max_amount, seq, status in bids:
            conn.execute(
                sa.text(_BID),
                {
                    "id": bid_id,
                    "auction": auction,
                    "user": user,
                    "max": max_amount,
                    "seq": seq,
                    "status": status,
                },
            )
    upgrade(url, "0035")
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT id, second_bid_id, second_user_id, second_max FROM auctions")
        ).all()
    assert {row[0]: tuple(row[1:]) for row in rows} == {
        "open": ("a-now", "u-a", 500),
        "sold": (None, None, None),
        "lone": (None, None, None),
    }
    command.downgrade(alembic_config(url), "0038")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("auctions")}
    assert "second_max" not in columns
