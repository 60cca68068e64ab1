"""A card id that names no card, given in an offer or a counter, is a clean 404 that changes
nothing (it once reached the item insert and failed on the foreign key: a 500)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from ece.core.db import new_id
from tests.builders import sign_in
from tests.market.support import buyer, ledger_ok, open_market, quick_card, usdc, user_balance
from tests.trades.support import act, offer, offer_count, owner_of

UNKNOWN = ["0" * 32, "no-such-card", "x"]


@pytest.mark.parametrize("unknown", [*UNKNOWN, "fresh"])
async def test_an_unknown_given_card_is_404_card_not_found(
    app: FastAPI, client: httpx.AsyncClient, unknown: str
) -> None:
    market = await open_market(client, app)
    alice = await buyer(client, app, "10")
    bob = await sign_in(client)
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    missing = new_id() if unknown == "fresh" else unknown
    for give in ({"cards": [missing]}, {"cards": [a1, missing], "USDC": "5"}):
        response = await client.post(
            "/api/v1/trades", json={"to": bob.address, "give": give}, headers=alice.headers
        )
        assert response.status_code == 404, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["code"] == "card_not_found"
    assert await offer_count(app) == 0
    assert await owner_of(app, a1) == (alice.user["id"], None)
    assert (await user_balance(app, alice.user["id"])).available == usdc("10")
    # The service still answers (the failed request left no broken connection behind).
    made = await offer(client, alice, bob.address, {"cards": [a1]}, {"USDC": "1"})
    assert made["status"] == "active"
    assert await ledger_ok(app)


async def test_an_unknown_card_in_a_counter_is_404_and_the_offer_stays_open(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice = await buyer(client, app, "10")
    bob = await buyer(client, app, "10")
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    b1 = await quick_card(app, market.company_id, bob.user["id"])
    first = await offer(client, alice, bob.address, {"cards": [a1]}, {"USDC": "5"})
    for missing in [*UNKNOWN, new_id()]:
        for give in ({"cards": [missing]}, {"cards": [b1, missing], "USDC": "1"}):
            countered = await act(
                client, bob, first["id"], "counter", json={"give": give, "want": {"cards": [a1]}}
            )
            assert countered.status_code == 404, countered.text
            assert countered.json()["code"] == "card_not_found"
    # Nothing changed: the first offer is still active and holds its lock, Bob's card is free.
    shown = await client.get(f"/api/v1/trades/{first['id']}", headers=bob.headers)
    assert shown.json()["status"] == "active"
    assert await offer_count(app) == 1
    assert await owner_of(app, a1) == (alice.user["id"], "trade")
    assert await owner_of(app, b1) == (bob.user["id"], None)
    assert (await user_balance(app, bob.user["id"])).available == usdc("10")
    accepted = await act(client, bob, first["id"], "accept")
    assert accepted.status_code == 200, accepted.text
    assert await ledger_ok(app)
