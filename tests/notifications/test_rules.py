"""Which events notify whom (pure)."""

from __future__ import annotations

from ece.notifications.rules import Channel, Kind, drafts_for, enabled


def kinds(event: str, payload: dict[str, object]) -> list[tuple[str, Kind]]:
    return [(d.user_id, d.kind) for d in drafts_for(event, "agg", payload)]


def test_direct_events_notify_the_user_they_name() -> None:
    assert kinds("auction.outbid", {"user_id": "u1", "current_price": "5"}) == [("u1", Kind.outbid)]
    assert kinds("trade_offer.created", {"maker_user_id": "m", "taker_user_id": "t"}) == [
        ("t", Kind.trade_offer_received)
    ]
    assert kinds("deposit.credited", {"user_id": "u", "amount": 5}) == [
        ("u", Kind.deposit_credited)
    ]
    assert kinds("withdrawal.failed", {"user_id": "u"}) == [("u", Kind.withdrawal_failed)]
    assert kinds("auction.outbid", {}) == []
    assert kinds("listing.created", {"card_id": "c"}) == []


def test_a_sale_notifies_its_user_seller_and_an_offer_buyer() -> None:
    seller = {"kind": "user", "id": "s"}
    assert kinds(
        "trade.executed", {"source": "listing", "seller": seller, "buyer_user_id": "b"}
    ) == [("s", Kind.listing_sold)]
    assert kinds("trade.executed", {"source": "auction", "seller": seller}) == [
        ("s", Kind.auction_sold)
    ]
    assert kinds("trade.executed", {"source": "offer", "seller": seller, "buyer_user_id": "b"}) == [
        ("b", Kind.offer_accepted)
    ]
    issuer = {"kind": "issuer", "id": "company"}
    assert kinds("trade.executed", {"source": "listing", "seller": issuer}) == []


def test_data_shows_only_named_fields_of_the_event() -> None:
    (draft,) = drafts_for("auction.outbid", "a1", {"user_id": "u", "current_price": "5", "x": 1})
    assert draft.data == {"current_price": "5", "event": "auction.outbid", "ref": "a1"}


def test_preferences_fall_back_to_defaults() -> None:
    assert enabled({}, Kind.outbid, Channel.email)
    assert not enabled({}, Kind.trade_offer_received, Channel.email)
    assert not enabled({("outbid", "email"): False}, Kind.outbid, Channel.email)
    assert enabled({("outbid", "email"): False}, Kind.outbid, Channel.in_app)


def test_an_expired_trade_offer_drafts_for_both_parties_but_not_the_one_who_ended_it() -> None:
    by_job = drafts_for("trade_offer.expired", "t1", {"maker_user_id": "m", "taker_user_id": "t"})
    by_taker = drafts_for(
        "trade_offer.expired",
        "t1",
        {"maker_user_id": "m", "taker_user_id": "t", "by_user_id": "t"},
    )
    assert [(d.user_id, d.kind) for d in by_job] == [
        ("m", Kind.trade_offer_expired),
        ("t", Kind.trade_offer_expired),
    ]
    assert [d.user_id for d in by_taker] == ["m"]
    assert drafts_for("trade_offer.expired", "t1", {}) == []
