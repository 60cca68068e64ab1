"""The collection's value over time: the cards held at each bucket's end at their company's
latest close, from real buys and sales on a moved clock; bad ranges refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI

from ece.core.clock import clock
from ece.portfolio.rules import Move, value_history
from tests.builders import sign_in
from tests.market.support import buyer, open_market, quick_card
from tests.portfolio.support import buy

DAY0 = datetime(2026, 6, 1, 12, tzinfo=UTC)


async def test_history_values_the_cards_held_at_each_days_close(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    clock.freeze(DAY0)
    market = await open_market(client, app)
    seller, other = await sign_in(client), await buyer(client, app, "500")
    me = await buyer(client, app, "500")
    first, second = [await quick_card(app, market.company_id, seller.user["id"]) for _ in range(2)]
    await buy(client, me, seller, first, "10")  # day 0 closes at 10: 1 card = 10
    clock.advance(timedelta(days=1))
    await buy(client, me, seller, second, "20")  # day 1 closes at 20: 2 cards = 40
    clock.advance(timedelta(days=1))
    await buy(client, other, me, first, "40")  # day 2 closes at 40: 1 card = 40

    response = await client.get(
        "/api/v1/users/me/portfolio/history",
        params={"interval": "1d", "from": (DAY0 - timedelta(days=1)).isoformat()},
        headers=me.headers,
    )
    assert response.status_code == 200, response.text
    points = response.json()["points"]
    assert [(p["value"], p["cards"], p["valued"]) for p in points] == [
        ("0", 0, 0),
        ("10", 1, 1),
        ("40", 2, 2),
        ("40", 1, 1),
    ]
    assert points[1]["at"].startswith("2026-06-02T00:00:00")
    assert points[-1]["at"].startswith("2026-06-03T12:00:00")  # the current bucket: now

    url = "/api/v1/users/me/portfolio/history"
    for params in (
        {"from": DAY0.isoformat(), "to": (DAY0 - timedelta(days=1)).isoformat()},
        {"from": (DAY0 - timedelta(days=600)).isoformat()},
        {"interval": "1h", "from": (DAY0 - timedelta(days=30)).isoformat()},
        {"interval": "5m"},
        {"from": "2026-06-01T00:00:00"},  # no time zone
    ):
        refused = await client.get(url, params=params, headers=me.headers)
        assert refused.status_code == 422, params
    assert (await client.get(url)).status_code == 401

    client.cookies.set("ece_session", me.token)
    page = await client.get("/collection")
    client.cookies.clear()
    assert page.status_code == 200 and 'data-testid="value-chart"' in page.text
    assert "between 0 and 40" in page.text


def test_a_card_before_its_companys_first_sale_is_held_but_not_valued() -> None:
    t = [DAY0 + timedelta(hours=h) for h in range(4)]
    moves = [
        Move(1, "a", t[0], True, "deposit", "d"),
        Move(2, "b", t[1], True, "listing", "l", None),
        Move(3, "a", t[2], False, "gift", "g"),
    ]
    closes = {"B": [(t[1], 7)], "A": []}
    points = value_history(moves, {"a": "A", "b": "B"}, closes, [t[0], t[1], t[2] + timedelta(1)])
    assert [(p.value, p.cards, p.valued) for p in points] == [(0, 1, 0), (0, 2, 0), (7, 1, 1)]
