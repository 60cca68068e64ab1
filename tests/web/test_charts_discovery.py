"""Price charts (Lightweight Charts under the CSP) for a company and a card, a card's history
with listings, price changes and sales, linked addresses, the offer form's cost preview, the
companies page's sorts and explore's attribute ranges applying as they change."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.cards.cards_builders import STATS
from tests.web.conftest import Browsers, WebServer
from tests.web.support import admin_client, confirm, fund, make_company, sign_in

pytestmark = pytest.mark.browser


def _buy(page: Page, base: str, card_id: str) -> None:
    page.goto(f"{base}/cards/{card_id}")
    page.get_by_role("button", name="Buy now").click()
    confirm(page)
    expect(page.get_by_test_id("card-owner")).to_have_text("you")


def test_charts_history_links_and_offer_preview(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)
    one = admin.mint(company["id"], "Acme One")
    two = admin.mint(company["id"], "Acme Two")
    three = admin.mint(company["id"], "Acme Three")
    for card, price in ((one, "4"), (two, "6")):
        admin.post("/api/v1/listings", {"card_id": card["id"], "price": price, "currency": "USDC"})
    alice = browsers.new_user()
    address = sign_in(alice, base)
    fund(alice, base, "50")
    _buy(alice, base, one["id"])
    _buy(alice, base, two["id"])

    # The company's chart: the two sales are one daily candle; the crosshair names it.
    alice.goto(f"{base}/companies/{company['ticker']}")
    chart = alice.get_by_test_id("price-chart")
    expect(chart).to_have_attribute("data-candles", "1")
    expect(chart.get_by_test_id("chart-summary")).to_contain_text("2 sales")
    expect(chart.get_by_test_id("chart-summary")).to_contain_text("between 4 and 6 USDC")
    expect(chart.locator("canvas").first).to_be_visible()
    box = chart.locator("[data-chart-canvas]").bounding_box()
    assert box is not None
    alice.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(chart.get_by_test_id("chart-tooltip")).to_contain_text("close 6 USDC · 2 sales")
    chart.get_by_role("button", name="24 h").click()
    expect(chart.get_by_role("button", name="24 h")).to_have_attribute("aria-pressed", "true")
    expect(chart).to_have_attribute("data-candles", "1")  # one hourly candle
    chart.get_by_role("link", name="ECE").click()  # no ECE sales: said so, no empty canvas
    expect(alice.get_by_test_id("price-chart").locator("[data-chart-empty]")).to_be_visible()

    # The card: its own sale on the chart, then a listing and a price change in its history.
    alice.goto(f"{base}/cards/{one['id']}")
    expect(alice.get_by_test_id("chart-summary")).to_contain_text("1 sale")
    listing = alice.get_by_role("form", name="List for sale")
    listing.get_by_label("Price").fill("9")
    listing.get_by_role("button", name="List for sale").click()
    confirm(alice)
    expect(alice.get_by_test_id("listing-price")).to_have_text("9 USDC")
    edit = alice.get_by_role("form", name="Change price")
    edit.get_by_label("New price (USDC)").fill("8")
    edit.get_by_role("button", name="Change price").click()
    expect(alice.get_by_test_id("listing-price")).to_have_text("8 USDC")
    history = alice.get_by_test_id("card-history")
    expect(history.locator("tr[data-event='Price changed']")).to_contain_text("9 → 8 USDC")
    expect(history.locator("tr[data-event='Listed']").first).to_contain_text("9 USDC")
    expect(history.locator("tr[data-event='Listed']").first).to_contain_text("you")
    sale = history.locator("tr[data-event='Sale']")
    expect(sale).to_contain_text("4 USDC")
    expect(sale).to_contain_text(company["name"])  # the issuer sold it
    expect(sale.get_by_role("link", name="you")).to_have_attribute("href", f"/u/{address}")
    expect(sale.locator("time")).to_have_text(re.compile(r"just now|\d+ min ago"))

    # The offer form previews the cost from the quote endpoint before anything is held.
    alice.goto(f"{base}/cards/{three['id']}")
    alice.get_by_text("Make an offer").click()
    alice.get_by_label("Your offer").fill("5")
    quote = alice.get_by_test_id("offer-quote")
    expect(quote).to_contain_text("You pay")
    expect(quote).to_contain_text("5 USDC")
    expect(quote).to_contain_text("3 days")

    # Activity rows: serial, counterparties (linked) and relative time.
    alice.goto(f"{base}/activity?type=sale")
    row = alice.get_by_test_id("feed-row").filter(has_text="Acme Two")
    expect(row).to_contain_text(two["serial"])
    expect(row.get_by_role("link", name="you")).to_have_attribute("href", f"/u/{address}")
    expect(row).to_contain_text("issuer")
    browsers.watch.assert_clean()


def test_companies_sorts_and_attribute_ranges(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)
    for name in ("Acme Alpha", "Acme Beta"):
        card = admin.mint(company["id"], name)
    admin.post("/api/v1/listings", {"card_id": card["id"], "price": "3", "currency": "USDC"})
    page = browsers.new_user()

    page.goto(f"{base}/")
    page.get_by_role("link", name="All companies →").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Companies")
    row = page.locator(f"tr[data-ticker='{company['ticker']}']")
    expect(row.locator("[data-col=floor]")).to_have_text("3")
    for label, sort in (("Floor", "floor"), ("Change 24 h", "change"), ("Volume 7 d", "volume")):
        page.get_by_role("link", name=label, exact=True).click()
        expect(page).to_have_url(re.compile(rf"sort={sort}"))
        expect(page.get_by_role("link", name=label, exact=True)).to_have_attribute(
            "aria-current", "true"
        )
        expect(row).to_be_visible()

    # Explore's attribute ranges apply as typed, the count follows, the address keeps them.
    page.goto(f"{base}/explore?company={company['ticker']}")
    expect(page.get_by_test_id("result-count")).to_have_text("2 cards")
    page.get_by_label("Minimum power").fill(str(STATS["power"] + 1))
    expect(page.get_by_test_id("result-count")).to_have_text("0 cards")
    expect(page).to_have_url(re.compile(rf"min_power={STATS['power'] + 1}"))
    page.get_by_label("Minimum power").fill(str(STATS["power"]))
    page.get_by_label("Maximum influence").fill(str(STATS["influence"]))
    expect(page).to_have_url(re.compile(rf"max_influence={STATS['influence']}"))
    expect(page.get_by_test_id("result-count")).to_have_text("2 cards")
    page.get_by_label("Maximum influence").fill(str(STATS["influence"] - 1))
    expect(page.get_by_test_id("result-count")).to_have_text("0 cards")
    page.get_by_label("Maximum influence").fill(str(STATS["influence"]))
    expect(page).to_have_url(re.compile(rf"max_influence={STATS['influence']}(&|$)"))
    page.reload()
    expect(page.get_by_label("Maximum influence")).to_have_value(str(STATS["influence"]))
    expect(page.locator(".tile")).to_have_count(2)
    expect(page.locator(".tile", has_text="Acme Alpha")).to_contain_text("not listed")
    browsers.watch.assert_clean()
