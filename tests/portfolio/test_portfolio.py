"""The portfolio through the API: exact totals beyond a page, cost basis from real buys, sales
and a card-for-card swap, the tax CSV of a year, the portfolio CSV."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from ece.core.clock import utcnow
from tests.builders import sign_in
from tests.market.support import buyer, list_card, open_market, quick_card
from tests.portfolio.support import bought_card, buy, csv_rows, portfolio
from tests.trades.support import act, offer


async def test_totals_cover_every_card_held_beyond_one_page(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """205 cards bought at 4 USDC, floor 10 (another seller's listing): totals count all 205
    though a page holds at most 200."""
    market = await open_market(client, app)
    collector, other = await sign_in(client), await sign_in(client)
    for _ in range(205):
        await bought_card(app, market.company_id, collector.user["id"], "4")
    await list_card(client, other, await quick_card(app, market.company_id, other.user["id"]), "10")

    first = await portfolio(client, collector, "?limit=200")
    usdc = first["totals"]["USDC"]
    assert (usdc["cost"], usdc["value_at_floor"], usdc["unrealized_pnl"], usdc["cards"]) == (
        "820",
        "2050",
        "1230",
        205,
    )
    assert first["held"] == 205 and len(first["items"]) == 200
    rest = await portfolio(client, collector, f"?limit=200&cursor={first['next_cursor']}")
    assert len(rest["items"]) == 5 and rest["next_cursor"] is None
    ids = [i["card"]["id"] for i in first["items"] + rest["items"]]
    assert len(set(ids)) == 205 and ids == sorted(ids)
    item = first["items"][0]
    assert (item["cost_basis"], item["acquired_via"]) == (
        {"amount": "4", "currency": "USDC"},
        "buy",
    )
    assert (item["value_at_floor"], item["unrealized_pnl"]) == ("10", "6")
    assert rest["totals"] == first["totals"]


async def test_tax_report_lists_exactly_the_years_disposals_with_their_gains(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    """A buy, a resale at a profit, a resale at a loss and a card-for-card swap: three
    disposals (fee 2.5 % + royalty 5 % on each sale; the swap at the card's reference price)."""
    market = await open_market(client, app)
    seller = await sign_in(client)
    me = await buyer(client, app, "1000")
    them = await buyer(client, app, "1000")
    cards = [await quick_card(app, market.company_id, seller.user["id"]) for _ in range(4)]
    profit, loss, swapped, kept = cards
    for card, price in ((profit, "100"), (loss, "100"), (swapped, "50"), (kept, "30")):
        await buy(client, me, seller, card, price)
    await buy(client, them, me, profit, "200")  # fees 15: gain 200 - 15 - 100 = 85
    await buy(client, them, me, loss, "80")  # fees 6: gain 80 - 6 - 100 = -26
    # A third party's listing at 60 is the company's reference price for the swap.
    await list_card(
        client, seller, await quick_card(app, market.company_id, seller.user["id"]), "60"
    )
    theirs = await quick_card(app, market.company_id, them.user["id"])
    made = await offer(client, me, them.address, {"cards": [swapped]}, {"cards": [theirs]})
    assert (await act(client, them, made["id"], "accept")).status_code == 200

    year = utcnow().year
    header, *rows = await csv_rows(client, me, f"tax-report.csv?year={year}")
    assert header == [
        "card_id", "card", "acquired", "acquired_via", "disposed", "disposal", "proceeds",
        "basis", "fees", "gain", "currency",
    ]  # fmt: skip
    shown = [(r[0], r[3], r[5], r[6], r[7], r[8], r[9], r[10]) for r in rows]
    assert shown == [
        (profit, "buy", "sale", "200", "100", "15", "85", "USDC"),
        (loss, "buy", "sale", "80", "100", "6", "-26", "USDC"),
        (swapped, "buy", "swap", "60", "50", "0", "10", "USDC"),
    ]
    assert (await csv_rows(client, me, f"tax-report.csv?year={year - 1}")) == [header]

    view = await portfolio(client, me)
    basis = {i["card"]["id"]: (i["cost_basis"], i["acquired_via"]) for i in view["items"]}
    assert basis == {
        kept: ({"amount": "30", "currency": "USDC"}, "buy"),
        theirs: ({"amount": "60", "currency": "USDC"}, "trade"),
    }
    assert view["totals"]["USDC"]["realized_pnl"] == "69"
    assert view["totals"]["USDC"]["cost"] == "90"
    # Their side: my card came to them at the value of the card they gave (60).
    their_view = await portfolio(client, them)
    got = {i["card"]["id"]: i["cost_basis"] for i in their_view["items"]}
    assert got[swapped] == {"amount": "60", "currency": "USDC"}


async def test_a_deposited_card_says_it_has_no_basis_and_the_csv_is_formula_safe(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    me = await sign_in(client)
    minted = await quick_card(app, market.company_id, me.user["id"])  # no price in its history
    named = await bought_card(app, market.company_id, me.user["id"], "2.5", name="=1+2")
    view = await portfolio(client, me)
    by_id = {i["card"]["id"]: i for i in view["items"]}
    assert by_id[minted]["cost_basis"] is None and by_id[minted]["unrealized_pnl"] is None
    assert view["totals"]["USDC"]["cost"] == "2.5"

    header, *rows = await csv_rows(client, me, "portfolio.csv")
    assert header[:6] == [
        "card_id",
        "card",
        "company_id",
        "acquired_at",
        "acquired_via",
        "cost_basis",
    ]
    cells = {r[0]: r for r in rows}
    assert cells[named][1].startswith("'=1+2") and cells[named][5] == "2.5"
    assert cells[minted][5] == ""
    assert len(rows) == 2
