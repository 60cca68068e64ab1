"""Every user-facing event makes its notification, driven through the real flows: a listing
sold, an offer accepted, an auction won and sold, a trade offer received and accepted. (Outbid:
test_notifications; deposits and withdrawals: tests/payments/test_payment_notifications.)"""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI

from ece.core.clock import clock
from ece.trades import service as trades
from tests.auctions.support import settle
from tests.builders import SignedInUser, sign_in
from tests.market.support import buyer, list_card, open_market, quick_card
from tests.notifications.support import notifications, outbid, relay
from tests.trades.support import act, offer


async def kinds(client: httpx.AsyncClient, user: SignedInUser) -> list[str]:
    return sorted(n["type"] for n in (await notifications(client, user))["items"])


async def test_a_listing_sold_tells_its_seller_and_an_offer_accepted_its_buyer(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller, shopper, bidder = (
        await sign_in(client),
        await buyer(client, app),
        await buyer(client, app),
    )
    listed = await quick_card(app, market.company_id, seller.user["id"])
    listing = await list_card(client, seller, listed, "25")
    bought = await client.post(f"/api/v1/listings/{listing['id']}/buy", headers=shopper.headers)
    assert bought.status_code == 201, bought.text

    wanted = await quick_card(app, market.company_id, seller.user["id"])
    made = await client.post(
        "/api/v1/offers",
        json={"card_id": wanted, "price": "20", "currency": "USDC"},
        headers=bidder.headers,
    )
    assert made.status_code == 201, made.text
    taken = await client.post(f"/api/v1/offers/{made.json()['id']}/accept", headers=seller.headers)
    assert taken.status_code in (200, 201), taken.text
    await relay(app)

    assert await kinds(client, seller) == ["listing_sold"]  # taking an offer is not "sold"
    sold = (await notifications(client, seller))["items"][0]
    assert (sold["data"]["card_id"], sold["data"]["price"]) == (listed, "25")
    assert await kinds(client, bidder) == ["offer_accepted"]
    assert (await notifications(client, bidder))["items"][0]["data"]["card_id"] == wanted
    assert await kinds(client, shopper) == []


async def test_an_auction_won_and_sold_tell_the_winner_and_the_seller(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    scene = await outbid(client, app)
    clock.advance(timedelta(hours=2, seconds=1))
    assert await settle(app) == 1
    await relay(app)
    assert await kinds(client, scene.bob) == ["auction_won"]
    assert await kinds(client, scene.seller) == ["auction_sold"]
    won = (await notifications(client, scene.bob))["items"][0]
    assert won["data"]["ref"] == scene.auction["id"]
    assert await kinds(client, scene.alice) == ["outbid"]  # the loser hears nothing more


async def test_a_trade_offer_tells_its_receiver_then_its_maker_when_accepted(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice, bob = await buyer(client, app), await sign_in(client)
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    b1 = await quick_card(app, market.company_id, bob.user["id"])
    made = await offer(client, alice, bob.address, {"cards": [a1]}, {"cards": [b1]})
    await relay(app)
    assert await kinds(client, bob) == ["trade_offer_received"]
    assert await kinds(client, alice) == []

    accepted = await act(client, bob, made["id"], "accept")
    assert accepted.status_code == 200, accepted.text
    await relay(app)
    assert await kinds(client, alice) == ["trade_offer_accepted"]
    note = (await notifications(client, alice))["items"][0]
    assert note["data"]["ref"] == made["id"]
    assert await kinds(client, bob) == ["trade_offer_received"]


async def _trade_offer(
    client: httpx.AsyncClient, app: FastAPI
) -> tuple[SignedInUser, SignedInUser, str, str, str]:
    """Alice offers her card to Bob for his: (alice, bob, offer id, her card, his card)."""
    market = await open_market(client, app)
    alice, bob = await buyer(client, app), await sign_in(client)
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    b1 = await quick_card(app, market.company_id, bob.user["id"])
    made = await offer(client, alice, bob.address, {"cards": [a1]}, {"cards": [b1]})
    await relay(app)
    assert await kinds(client, bob) == ["trade_offer_received"]
    return alice, bob, made["id"], a1, b1


async def test_a_declined_trade_offer_tells_its_maker_not_the_decliner(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice, bob, offer_id, _, _ = await _trade_offer(client, app)
    declined = await act(client, bob, offer_id, "decline")
    assert declined.status_code == 200, declined.text
    await relay(app)
    assert await kinds(client, alice) == ["trade_offer_declined"]
    note = (await notifications(client, alice))["items"][0]
    assert (note["data"]["ref"], note["data"]["event"]) == (offer_id, "trade_offer.declined")
    assert await kinds(client, bob) == ["trade_offer_received"]  # nothing for what he did


async def test_a_cancelled_trade_offer_tells_its_receiver_not_the_maker(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice, bob, offer_id, _, _ = await _trade_offer(client, app)
    cancelled = await act(client, alice, offer_id, "cancel")
    assert cancelled.status_code == 200, cancelled.text
    await relay(app)
    assert await kinds(client, bob) == ["trade_offer_cancelled", "trade_offer_received"]
    note = (await notifications(client, bob))["items"][0]
    assert (note["type"], note["data"]["ref"]) == ("trade_offer_cancelled", offer_id)
    assert await kinds(client, alice) == []


async def test_a_countered_trade_offer_tells_its_maker_once_with_the_counter(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice, bob, offer_id, a1, b1 = await _trade_offer(client, app)
    countered = await act(
        client, bob, offer_id, "counter", json={"give": {"cards": [b1]}, "want": {"cards": [a1]}}
    )
    assert countered.status_code == 201, countered.text
    await relay(app)
    # One notification for the counter (not also "received" for the counter's new offer).
    assert await kinds(client, alice) == ["trade_offer_countered"]
    note = (await notifications(client, alice))["items"][0]
    assert (note["data"]["ref"], note["data"]["counter_id"]) == (offer_id, countered.json()["id"])
    assert await kinds(client, bob) == ["trade_offer_received"]


async def _expire(app: FastAPI) -> None:
    clock.advance(timedelta(days=3, seconds=1))
    async with app.state.services.db.unit_of_work() as session:
        assert await trades.expire_swaps(session) == 1
    await relay(app)


async def test_an_expired_trade_offer_tells_both_parties_as_each_chose(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice, bob, offer_id, _, _ = await _trade_offer(client, app)
    url = "/api/v1/users/me/notification-preferences"
    body = {"preferences": [{"type": "trade_offer_expired", "channel": "in_app", "enabled": False}]}
    carol = await sign_in(client)
    for user in (bob, carol):  # carol's choice changes nothing for anyone else
        saved = await client.put(url, json=body, headers=user.headers)
        assert saved.status_code == 200, saved.text

    await _expire(app)

    assert await kinds(client, alice) == ["trade_offer_expired"]
    note = (await notifications(client, alice))["items"][0]
    assert (note["data"]["ref"], note["data"]["event"]) == (offer_id, "trade_offer.expired")
    assert await kinds(client, bob) == ["trade_offer_received"]  # he turned this type off
    await client.put(
        url,
        json={
            "preferences": [{"type": "trade_offer_expired", "channel": "in_app", "enabled": True}]
        },
        headers=bob.headers,
    )
    alice2, bob2, second, _, _ = await _trade_offer(client, app)
    await _expire(app)
    assert await kinds(client, alice2) == ["trade_offer_expired"]
    assert await kinds(client, bob2) == ["trade_offer_expired", "trade_offer_received"]
    assert (await notifications(client, bob2))["items"][0]["data"]["ref"] == second


async def test_a_lapsed_offer_ended_by_one_party_tells_only_the_other(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    alice, bob, offer_id, _, _ = await _trade_offer(client, app)
    clock.advance(timedelta(days=3, seconds=1))
    declined = await act(client, bob, offer_id, "decline")
    assert declined.status_code == 200 and declined.json()["status"] == "expired", declined.text
    await relay(app)
    assert await kinds(client, alice) == ["trade_offer_expired"]
    assert await kinds(client, bob) == ["trade_offer_received"]
