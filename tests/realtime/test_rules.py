"""Which channels an event goes to, and who may subscribe to what (pure)."""

from __future__ import annotations

import pytest

from ece.realtime.rules import ChannelRefused, channels_for, resolve, shown_name


def test_a_trade_is_public_and_reaches_both_parties() -> None:
    payload = {
        "card_id": "c1",
        "company_id": "co1",
        "seller": {"kind": "user", "id": "s"},
        "buyer_user_id": "b",
    }
    assert channels_for("trade.executed", "sale1", payload) == [
        "market",
        "company:co1",
        "card:c1",
        "user:b",
        "user:s",
    ]


def test_private_events_reach_only_the_users_they_name() -> None:
    assert channels_for("auction.outbid", "a1", {"user_id": "u"}) == ["user:u"]
    assert channels_for("deposit.credited", "d1", {"user_id": "u", "card_id": "c"}) == ["user:u"]
    assert channels_for(
        "trade_offer.created", "t", {"maker_user_id": "m", "taker_user_id": "t"}
    ) == [
        "user:m",
        "user:t",
    ]
    assert channels_for("auction.bid", "a1", {"bidder_user_id": "u"}) == ["auction:a1", "user:u"]
    assert channels_for("custody.card_credited", "c", {}) == []


def test_subscriptions_resolve_user_to_the_callers_own_channel() -> None:
    assert resolve(["market", "user", "card:x"], "me") == {
        "market": "market",
        "user": "user:me",
        "card:x": "card:x",
    }
    assert shown_name("user:me") == "user"
    for bad, user, code in (
        (["user"], None, "auth_required"),
        (["user:someone"], "me", "invalid_channel"),
        (["card:"], "me", "invalid_channel"),
        ([1], "me", "invalid_channel"),
        ([f"card:{i}" for i in range(51)], "me", "too_many_channels"),
    ):
        with pytest.raises(ChannelRefused) as refused:
            resolve(bad, user)
        assert refused.value.code == code
