"""The cost preview (GET /api/v1/market/quote) is the split a real sale then applies."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.builders import sign_in
from tests.market.support import buyer, list_card, minted_card, open_market


async def test_the_quote_is_what_the_sale_then_charges(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await minted_card(client, market, seller)
    params = {"company_id": market.company_id, "price": "25.07", "currency": "USDC"}

    sell = await client.get("/api/v1/market/quote", params={**params, "side": "sell"})
    buy = await client.get("/api/v1/market/quote", params={**params, "side": "buy"})

    assert sell.status_code == 200, sell.text
    assert sell.json() == {
        "side": "sell",
        "currency": "USDC",
        "price": "25.07",
        "fee": "0.62675",  # 2.5%, floored to a base unit
        "royalty": "1.2535",  # 5%
        "fee_bps": 250,
        "royalty_bps": 500,
        "you_receive": "23.18975",
    }
    assert buy.json()["you_pay"] == "25.07" and "you_receive" not in buy.json()
    primary = await client.get(
        "/api/v1/market/quote", params={**params, "side": "buy", "primary": "true"}
    )
    assert (primary.json()["royalty"], primary.json()["royalty_bps"]) == ("0", 0)

    listing = await list_card(client, seller, card_id, "25.07")
    alice = await buyer(client, app, "100")
    trade = await client.post(
        f"/api/v1/listings/{listing['id']}/buy", headers=alice.headers, json={}
    )
    assert trade.status_code == 201, trade.text
    sale = trade.json()
    quoted = sell.json()
    assert (sale["fee"], sale["royalty"], sale["seller_receives"]) == (
        quoted["fee"],
        quoted["royalty"],
        quoted["you_receive"],
    )


async def test_a_dust_price_rounds_fees_down_to_nothing(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    response = await client.get(
        "/api/v1/market/quote",
        params={
            "company_id": market.company_id,
            "price": "0.000001",
            "currency": "USDC",
            "side": "sell",
        },
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["fee"], body["royalty"], body["you_receive"]) == ("0", "0", "0.000001")


async def test_bad_quotes_are_clear_4xx(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    good = {"company_id": market.company_id, "price": "1", "currency": "USDC", "side": "buy"}
    cases = [
        ({"price": "0.0000001"}, 422, "invalid_amount"),  # finer than USDC's 6 decimals
        ({"price": "0"}, 422, "invalid_amount"),
        ({"price": "-1"}, 422, "invalid_amount"),
        ({"price": "1e3"}, 422, "invalid_amount"),
        ({"side": "both"}, 422, "validation_error"),
        ({"currency": "SOL"}, 422, "validation_error"),
        ({"company_id": "nope"}, 404, "company_not_found"),
    ]
    for change, status, code in cases:
        response = await client.get("/api/v1/market/quote", params={**good, **change})
        assert (response.status_code, response.json()["code"]) == (status, code), change
