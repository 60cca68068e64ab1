"""A newcomer's way: costs shown before every commit, refusals in plain words with the way
forward ("Buy at <new price>", "Deposit and buy"), a first buy in at most 8 clicks from a card's
page, toasts after each action, and a phone navigation that shows every section."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import PHONE, Browsers, WebServer
from tests.web.support import (
    FUNDS_TIMEOUT,
    admin_client,
    axe_violations,
    confirm,
    make_company,
    sign_in,
)

pytestmark = pytest.mark.browser


class Clicks:
    """Counts the newcomer's clicks (every one goes through here)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.count = 0

    def button(self, name: str, *, within: str | None = None) -> None:
        scope = self.page.locator(within) if within else self.page
        scope.get_by_role("button", name=name, exact=True).click()
        self.count += 1

    def link(self, name: str) -> None:
        self.page.get_by_role("link", name=name, exact=True).click()
        self.count += 1


def _quote(page: Page, testid: str) -> dict[str, str]:
    box = page.get_by_test_id(testid)
    expect(box).to_be_visible()
    labels = box.locator("dt").all_inner_texts()
    values = box.locator("dd").all_inner_texts()
    return dict(zip(labels, values, strict=True))


def test_first_buy_with_costs_plain_errors_and_deposit_and_buy(
    web_server: WebServer, browsers: Browsers
) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)  # royalty 2.5 %, platform fee 2.5 %
    founders = admin.mint(company["id"], "Acme Founders")
    listing = admin.post(
        "/api/v1/listings", {"card_id": founders["id"], "price": "10", "currency": "USDC"}
    )
    page = browsers.new_user(PHONE)
    clicks = Clicks(page)
    # A shared link to a card: the newcomer signs in on it (2 clicks).
    page.goto(f"{base}/cards/{founders['id']}")
    clicks.button("Sign in")
    clicks.button("ECE Dev Wallet")
    expect(page.get_by_test_id("viewer-address")).to_be_visible()
    page.wait_for_load_state()

    # The cost before the commit: the issuer's own sale, so no royalty; the buyer pays the price.
    assert _quote(page, "buy-quote") == {
        "Price": "10 USDC",
        "Platform fee 2.5%": "0.25 USDC (paid by the seller, out of the price)",
        "Royalty 0%": "0 USDC (paid by the seller, out of the price)",
        "You pay": "10 USDC",
    }

    # The price rises while the page is open: the refusal names the new price and offers it.
    raised = admin.client.patch(f"/api/v1/listings/{listing['id']}", json={"price": "12"})
    assert raised.status_code == 200, raised.text
    browsers.watch.expect_errors(r"/api/v1/listings/\w+/buy$")
    clicks.button("Buy now")
    confirm(page)
    clicks.count += 1
    buy_form = page.locator("form[data-card]")
    expect(buy_form.locator("[data-form-error]")).to_contain_text(
        "The price changed to 12 USDC since you opened the page."
    )
    # The price rise is the test's doing, not the newcomer's path: this click is not counted.
    buy_form.get_by_role("button", name="Buy at 12 USDC").click()
    # No funds yet: how much is missing, and "Deposit and buy", never an internal transfer id.
    error = buy_form.locator("[data-form-error]")
    expect(error).to_contain_text("Not enough USDC available: you need 12 USDC more.")
    expect(error).not_to_contain_text("sale:")
    box = error.bounding_box()
    assert box is not None and box["x"] + box["width"] <= PHONE["width"]  # no text off-screen
    assert axe_violations(page) == []
    clicks.link("Deposit and buy")

    # The wallet page: the deposit prefilled with what was missing; one deposit, then the buy.
    deposit = page.locator("#deposit-form")
    expect(deposit.get_by_label("Amount")).to_have_value("12")
    expect(page.locator("#then-buy")).to_contain_text("bought for 12 USDC")
    clicks.button("Get test tokens")
    expect(page.locator("#faucet-result")).to_contain_text("1000 ECE")
    expect(page.locator("#faucet-result")).to_contain_text("not yet here: deposit them")
    # The wallet's own balances, read from the chain, beside the exchange's (still 0).
    expect(page.get_by_test_id("onchain-USDC")).to_have_text("1000")
    expect(page.get_by_test_id("onchain-SOL")).to_have_text("2")
    expect(page.get_by_test_id("available-USDC")).to_have_text("0")
    clicks.button("Create deposit request")
    expect(page.get_by_role("link", name="Transfer request (Solana Pay)")).to_have_attribute(
        "href", re.compile(r"^solana:\w+\?amount=12")
    )
    expect(page.get_by_role("link", name="Pay with wallet (Solana Pay)")).to_have_attribute(
        "href",
        re.compile(
            r"^solana:https%3A%2F%2F127\.0\.0\.1%3A\d+%2Fpay%2Fdeposits%2F[\w-]{43}\?label="
        ),
    )
    clicks.button("Pay with my wallet")
    expect(page.get_by_test_id("card-owner")).to_have_text("you", timeout=FUNDS_TIMEOUT)
    expect(page.locator("#toast")).to_contain_text("Bought!")
    assert clicks.count <= 8, clicks.count
    browsers.watch.provoked.clear()

    # The wallet's history: one row for the sale, naming the card, from the buyer's side.
    page.goto(f"{base}/wallet")
    sale_rows = page.get_by_test_id("ledger-row").filter(has_text="Acme Founders")
    expect(sale_rows).to_have_count(1)
    expect(sale_rows).to_contain_text("Bought Acme Founders")
    expect(sale_rows).to_contain_text("-12 USDC")
    expect(sale_rows).to_contain_text("the seller paid fee 0.3 and royalty 0 out of it")

    # Selling: the floor as a hint, and what the seller receives, before listing.
    page.goto(f"{base}/")
    expect(page.get_by_test_id("first-run")).to_have_count(0)  # done: bought a card
    page.goto(f"{base}/cards/{founders['id']}")
    other = admin.mint(company["id"], "Acme Keynote")
    admin.post("/api/v1/listings", {"card_id": other["id"], "price": "30", "currency": "USDC"})
    page.reload()
    form = page.get_by_role("form", name="List for sale")
    expect(form.get_by_text("Floor 30 USDC")).to_be_visible()
    form.get_by_label("Price").fill("0.0000001")  # finer than USDC's decimals: not quoted
    expect(page.get_by_test_id("list-quote")).to_be_hidden()
    form.get_by_label("Price").fill("20")
    assert _quote(page, "list-quote") == {
        "Price": "20 USDC",
        "Platform fee 2.5%": "0.5 USDC",
        "Royalty 2.5%": "0.5 USDC",
        "You receive": "19 USDC",
        "Duration": "30 days",
    }
    form.get_by_role("button", name="List for sale").click()
    confirm(page)
    expect(page.locator("#toast")).to_have_text("Listed for sale.")
    expect(page.get_by_test_id("listing-price")).to_have_text("20 USDC")
    browsers.watch.assert_clean()


def test_the_phone_navigation_reaches_every_section(
    web_server: WebServer, browsers: Browsers
) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)
    for name, price in (("Acme Dear", "30"), ("Acme Cheap", "5")):
        card = admin.mint(company["id"], name)
        admin.post("/api/v1/listings", {"card_id": card["id"], "price": price, "currency": "USDC"})
    admin.mint(company["id"], "Acme Unlisted")
    page = browsers.new_user(PHONE)

    # Explore opens on what can be bought, cheapest first; filters apply as they change and the
    # address keeps the view; an unlisted card reads "not listed", never "available".
    page.goto(f"{base}/explore")
    expect(page.locator(".tile-name")).to_have_text(["Acme Cheap", "Acme Dear"])
    expect(page.locator("details[data-filters]")).to_have_attribute("open", "")  # in use
    page.get_by_label("Listed only").uncheck()
    expect(page.locator(".tile")).to_have_count(3)
    expect(page).to_have_url(re.compile(r"/explore\?.*sort=price_asc"))
    assert "listed=1" not in page.url
    expect(page.locator(".tile", has_text="Acme Unlisted")).to_contain_text("not listed")
    page.get_by_label("Minimum price").fill("10")
    expect(page.locator(".tile-name")).to_have_text(["Acme Dear"])
    expect(page).to_have_url(re.compile(r"min_price=10"))
    shared = page.url
    page.goto(shared)  # the shared address shows the same view
    expect(page.locator(".tile-name")).to_have_text(["Acme Dear"])

    sign_in(page, base)
    # Nothing is waiting to be done yet: the newcomer's checklist leads the home page.
    checklist = page.get_by_test_id("first-run")
    expect(checklist.get_by_role("link")).to_have_text(
        [
            "Get test tokens in your wallet",
            "Deposit USDC into your exchange balance",
            "Buy your first card",
        ]
    )
    nav = page.get_by_role("navigation", name="Main")
    names = nav.get_by_role("link").all_inner_texts()
    assert {"Explore", "Auctions", "Battles", "Activity", "My cards", "Wallet", "Offers"} <= set(
        names
    ) and "Trades" in names
    for name in names:
        link = nav.get_by_role("link", name=name, exact=True)
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
            name,
            box,
        )
        link.click()  # on screen, no sideways scrolling: a tap reaches it
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(
            page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
        ).to_have_attribute("aria-current", "page")
    browsers.watch.assert_clean()
