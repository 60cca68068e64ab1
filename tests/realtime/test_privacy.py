"""Attack: a user never receives another user's private events on the socket, neither live nor
replayed on resume, whatever public channels (the card's, its company's, the auction's, the
market) they also subscribe to and whatever channel names they try."""

from __future__ import annotations

import json
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from ece.core.outbox import emit
from ece.realtime.rules import channels_for
from tests.builders import sign_in
from tests.market.support import buyer, open_market, quick_card
from tests.notifications.support import relay
from tests.realtime.support import Socket, open_socket, serve_here
from tests.trades.support import act, offer

# Ids of this process only: no other test process's events name the same card, company or auction.
RUN = uuid4().hex[:12]
CARD, COMPANY, AUCTION = f"card-{RUN}", f"co-{RUN}", f"auc-{RUN}"


def private_events(user_id: str, other_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """One of each private event of ``user_id``, shaped as their services emit them, each also
    naming the card, company and auction a public subscriber may be watching."""
    near = {"card_id": CARD, "company_id": COMPANY, "auction_id": AUCTION}
    return [
        ("deposit.credited", "d1", {"user_id": user_id, "asset": "USDC", "amount": "5", **near}),
        ("withdrawal.sent", "w1", {"user_id": user_id, "asset": "USDC", "amount": "2", **near}),
        ("withdrawal.confirmed", "w1", {"user_id": user_id, "signature": "sig", **near}),
        ("withdrawal.failed", "w2", {"user_id": user_id, "signature": "sig", **near}),
        ("custody.card_credited", CARD, {"user_id": user_id, "credited_by": "admin", **near}),
        (
            "trade_offer.created",
            "t1",
            {"maker_user_id": other_id, "taker_user_id": user_id, "give_cards": [CARD], **near},
        ),
        # A decline, a cancel and a counter name both parties: each reaches both, no one else.
        (
            "trade_offer.declined",
            "t1",
            {"by_user_id": user_id, "maker_user_id": other_id, "taker_user_id": user_id, **near},
        ),
        (
            "trade_offer.cancelled",
            "t2",
            {"by_user_id": other_id, "maker_user_id": other_id, "taker_user_id": user_id, **near},
        ),
        (
            "trade_offer.countered",
            "t3",
            {
                "by_user_id": user_id,
                "maker_user_id": other_id,
                "taker_user_id": user_id,
                "counter_id": "t4",
                **near,
            },
        ),
        ("auction.outbid", AUCTION, {"user_id": user_id, "current_price": "9", **near}),
        ("auction.won", AUCTION, {"user_id": user_id, "price": "9", **near}),
        ("battle.result", "b1", {"user_id": user_id, "battle_id": "b1", "payout": "1", **near}),
        # A payout names the user holding the company's payout wallet: the company channel
        # must not learn who that is.
        ("payout.sent", "p1", {"user_id": user_id, "amount": "12.5", "signature": "sig", **near}),
        ("payout.failed", "p2", {"user_id": user_id, "reason": "rejected", **near}),
    ]


async def write(app: FastAPI, events: list[tuple[str, str, dict[str, Any]]]) -> None:
    async with app.state.services.db.unit_of_work() as session:
        for type_, aggregate, payload in events:
            await emit(session, type_, aggregate, **payload)


async def signed_in_socket(ws: Socket, token: str) -> None:
    await ws.send(op="auth", token=token)
    assert (await ws.next())["type"] == "authenticated"


async def test_another_users_private_events_never_reach_a_socket(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice, mallory, bob = await sign_in(client), await sign_in(client), await sign_in(client)
    alice_id, mallory_id = alice.user["id"], mallory.user["id"]
    before = private_events(alice_id, bob.user["id"])
    await write(app, before)
    await relay(app)
    public = [f"card:{CARD}", f"company:{COMPANY}", f"auction:{AUCTION}", "market"]

    async with (
        serve_here(app) as url,
        open_socket(url) as victim,
        open_socket(url) as attacker,
        open_socket(url) as anonymous,
    ):
        await signed_in_socket(victim, alice.token)
        await signed_in_socket(attacker, mallory.token)
        # Her channel by its inside name, and a second sign-in as someone else: refused.
        for channel in (f"user:{alice_id}", f"user:{alice_id}".upper()):
            refused = await attacker.subscribe(channel)
            assert (refused["type"], refused["code"]) == ("error", "invalid_channel")
        await attacker.send(op="auth", token=alice.token)
        assert (await attacker.next())["code"] == "already_authenticated"

        # Everything since the start of the outbox window, on every channel they may have.
        assert (await attacker.subscribe("user", *public, last_event_id=0))["type"] == "subscribed"
        assert (await anonymous.subscribe(*public, last_event_id=0))["type"] == "subscribed"
        assert (await victim.subscribe("user", last_event_id=0))["type"] == "subscribed"
        replayed = await victim.events(len(before))
        assert [m["event"] for m in replayed] == [t for t, _, _ in before]
        assert {m["channel"] for m in replayed} == {"user"}

        after = private_events(alice_id, bob.user["id"])
        await write(app, after)
        # Then a public trade and one of Mallory's own, the first things she may hear, and a
        # last one of Alice's: each socket reads up to the last event meant for it.
        sale, mallorys, alices = f"s-{RUN}", f"d-m-{RUN}", f"d-a-{RUN}"
        await write(
            app,
            [
                ("trade.executed", sale, {"card_id": CARD, "company_id": COMPANY, "sale": sale}),
                ("deposit.credited", mallorys, {"user_id": mallory_id, "asset": "USDC"}),
                ("deposit.credited", alices, {"user_id": alice_id, "asset": "ECE"}),
            ],
        )
        await relay(app)
        live = await victim.until(lambda m: m["data"].get("asset") == "ECE")
        assert [m["event"] for m in live] == [t for t, _, _ in after] + ["deposit.credited"]
        assert all(m["data"].get("user_id") != mallory_id for m in live)  # not Mallory's

        # Everything Mallory heard, up to her own deposit (published after all of Alice's).
        heard = await attacker.until(lambda m: m["data"].get("user_id") == mallory_id)
        assert not [m for m in heard if alice_id in json.dumps(m)], heard
        ours = [m for m in heard if m["channel"] == "user" or m["data"].get("sale") == sale]
        assert [(m["event"], m["channel"]) for m in ours] == [
            ("trade.executed", "market"),
            ("deposit.credited", "user"),
        ]
        # The anonymous socket: the public trade, and nothing private before it.
        seen = await anonymous.until(lambda m: m["data"].get("sale") == sale)
        assert not [m for m in seen if alice_id in json.dumps(m) or m["channel"] == "user"]


@pytest.mark.parametrize(
    ("type_", "_aggregate", "payload"),
    private_events("u1", "u2"),
    # Ids name the event type only: the aggregates carry this run's random suffix, and every
    # xdist worker must collect the same test ids.
    ids=[type_ for type_, _, _ in private_events("u1", "u2")],
)
def test_private_events_reach_only_their_users_channels(
    type_: str, _aggregate: str, payload: dict[str, Any]
) -> None:
    found = channels_for(type_, _aggregate, payload)
    assert found and all(c.startswith("user:") for c in found), found
    assert "user:u1" in found


async def test_a_trade_offers_end_reaches_both_parties_and_no_one_else(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """Through the API: Bob declines Alice's offer, counters her next and she cancels a third.
    Each event reaches Alice's and Bob's own channels; Mallory, on her own channel and every
    public one the offers' card and company have, hears none of them."""
    market = await open_market(client, app)
    alice, bob, mallory = await buyer(client, app), await sign_in(client), await sign_in(client)
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    b1 = await quick_card(app, market.company_id, bob.user["id"])
    public = [f"card:{a1}", f"card:{b1}", f"company:{market.company_id}", "market"]
    await relay(app)

    async with (
        serve_here(app) as url,
        open_socket(url) as maker,
        open_socket(url) as taker,
        open_socket(url) as attacker,
    ):
        for ws, user in ((maker, alice), (taker, bob), (attacker, mallory)):
            await signed_in_socket(ws, user.token)
        for ws in (maker, taker):
            assert (await ws.subscribe("user"))["type"] == "subscribed"
        assert (await attacker.subscribe("user", *public))["type"] == "subscribed"

        first = await offer(client, alice, bob.address, {"cards": [a1]}, {"cards": [b1]})
        assert (await act(client, bob, first["id"], "decline")).status_code == 200
        second = await offer(client, alice, bob.address, {"cards": [a1]}, {"cards": [b1]})
        countered = await act(
            client, bob, second["id"], "counter",
            json={"give": {"cards": [b1]}, "want": {"cards": [a1]}},
        )  # fmt: skip
        assert countered.status_code == 201, countered.text
        third = await offer(client, alice, bob.address, {"cards": [a1]}, {"cards": [b1]})
        assert (await act(client, alice, third["id"], "cancel")).status_code == 200
        # Last, one event of each user's own: each socket reads up to it.
        done = f"done-{RUN}"
        await write(
            app,
            [
                ("deposit.credited", done, {"user_id": u.user["id"], "note": done})
                for u in (alice, bob, mallory)
            ],
        )
        await relay(app)

        expected = [
            ("trade_offer.created", first["id"]),
            ("trade_offer.declined", first["id"]),
            ("trade_offer.created", second["id"]),
            ("trade_offer.created", countered.json()["id"]),
            ("trade_offer.countered", second["id"]),
            ("trade_offer.created", third["id"]),
            ("trade_offer.cancelled", third["id"]),
        ]
        for ws in (maker, taker):
            heard = (await ws.until(lambda m: m["data"].get("note") == done))[:-1]
            assert {m["channel"] for m in heard} == {"user"}
            ended = [m for m in heard if m["event"] != "trade_offer.created"]
            assert [(m["event"], m["data"]["maker_user_id"]) for m in ended] == [
                ("trade_offer.declined", alice.user["id"]),
                ("trade_offer.countered", alice.user["id"]),
                ("trade_offer.cancelled", alice.user["id"]),
            ]
            assert sorted(m["event"] for m in heard) == sorted(e for e, _ in expected)
        overheard = await attacker.until(lambda m: m["data"].get("note") == done)
        offers = {first["id"], second["id"], third["id"], countered.json()["id"]}
        assert not [
            m
            for m in overheard
            if m["event"].startswith("trade_offer.") or offers & set(json.dumps(m).split('"'))
        ], overheard
