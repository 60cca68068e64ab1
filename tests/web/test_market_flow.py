"""A newcomer signs in with the dev wallet, funds the account, finds a card, buys it, lists it;
a second user buys it from them; the seller's balance shows the proceeds minus fee and royalty."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Route, expect

from tests.web.conftest import Browsers, WebServer
from tests.web.support import (
    FUNDS_TIMEOUT,
    admin_client,
    confirm,
    fund,
    make_company,
    sign_in,
)

pytestmark = pytest.mark.browser


def test_buy_list_and_resell(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)  # royalty 2.5 %; the platform fee is 2.5 % too
    founders = admin.mint(company["id"], "Acme Founders")
    admin.mint(company["id"], "Acme Keynote")
    # A primary sale: the admin lists the issuer's card.
    admin.post("/api/v1/listings", {"card_id": founders["id"], "price": "10", "currency": "USDC"})

    alice = browsers.new_user()
    sign_in(alice, base)
    fund(alice, base, "50")

    alice.goto(f"{base}/explore")
    alice.locator("#x-q").fill("founders")
    alice.get_by_role("button", name="Search", exact=True).click()
    expect(alice.locator(".tile")).to_have_count(1)
    alice.locator(".tile", has_text="Acme Founders").click()
    expect(alice.get_by_test_id("listing-price")).to_have_text("10 USDC")
    alice.get_by_role("button", name="Buy now").click()
    confirm(alice)
    expect(alice.get_by_test_id("card-owner")).to_have_text("you")
    card_url = alice.url

    alice.goto(f"{base}/wallet")
    expect(alice.get_by_test_id("available-USDC")).to_have_text("40")  # bought once
    alice.goto(f"{base}/portfolio")
    expect(alice.locator(".tile", has_text="Acme Founders")).to_be_visible()

    # Money fields take decimal strings only: checked before sending, and again by the server.
    alice.goto(card_url)
    listing_form = alice.get_by_role("form", name="List for sale")
    listing_form.get_by_label("Price").fill("1e3")
    listing_form.get_by_role("button", name="List for sale").click()
    expect(listing_form.locator("[data-error-for=price]")).to_contain_text("decimal amount")
    web_server_refusal = r"/api/v1/listings$"
    browsers.watch.expect_errors(web_server_refusal)
    listing_form.get_by_label("Price").fill("0.0000001")  # USDC has 6 decimals
    listing_form.get_by_role("button", name="List for sale").click()
    confirm(alice)
    expect(listing_form.locator("[data-error-for=price]")).to_contain_text("6 decimal places")
    browsers.watch.provoked.clear()

    listing_form.get_by_label("Price").fill("20")
    listing_form.get_by_role("button", name="List for sale").click()
    confirm(alice)
    expect(alice.get_by_test_id("listing-price")).to_have_text("20 USDC")
    expect(alice.get_by_test_id("card-status")).to_have_text("listed")

    bob = browsers.new_user()
    sign_in(bob, base)
    fund(bob, base, "30")
    bob.goto(card_url)
    # The first answer is lost on the way back (the purchase did happen): the retry of the same
    # submission carries the same Idempotency-Key, so it is answered without buying twice.
    buy_url = re.compile(r"/api/v1/listings/\w+/buy$")
    browsers.watch.expect_errors(buy_url.pattern)

    def lose_answer(route: Route) -> None:
        route.fetch()
        route.abort()

    bob.route(buy_url, lose_answer, times=1)
    bob.get_by_role("button", name="Buy now").click()
    confirm(bob)
    expect(bob.get_by_text("No answer from the server: try again.")).to_be_visible()
    bob.get_by_role("button", name="Buy now").click()
    confirm(bob)
    expect(bob.get_by_test_id("card-owner")).to_have_text("you")
    browsers.watch.provoked.clear()
    bob.goto(f"{base}/wallet")
    expect(bob.get_by_test_id("available-USDC")).to_have_text("10")

    # Bob withdraws what is left to his wallet and watches it land on chain.
    withdraw = bob.locator("#withdraw-form")
    withdraw.get_by_label("Amount").fill("10")
    reads: list[str] = []  # the page's requests for the withdrawal: one per event, no polling
    bob.on(
        "request",
        lambda r: reads.append(r.url) if "/api/v1/withdrawals/" in r.url else None,
    )
    withdraw.get_by_role("button", name="Withdraw").click()
    confirm(bob)
    # Live through the socket: the status and the balances change without a reload.
    expect(bob.get_by_test_id("withdrawal-status")).to_have_text("confirmed", timeout=FUNDS_TIMEOUT)
    expect(bob.locator("#withdraw-status a.sig")).to_have_attribute("href", re.compile("/tx/\\w+"))
    expect(bob.get_by_test_id("available-USDC")).to_have_text("0")
    # The first read, then one per event: requested, sent (signed and broadcast) and confirmed.
    assert len(reads) <= 4, reads

    # 40 left + 20 - 0.5 platform fee - 0.5 royalty.
    alice.goto(f"{base}/wallet")
    expect(alice.get_by_test_id("available-USDC")).to_have_text("59")
    sold = alice.get_by_test_id("ledger-row").filter(has_text="Sold")
    expect(sold).to_have_count(1)  # one row for the sale's three payments
    expect(sold).to_contain_text("Sold Acme Founders")
    expect(sold).to_contain_text("price 20, less fee 0.5 and royalty 0.5")
    expect(sold).to_contain_text("19 USDC")
    alice.goto(f"{base}/activity?type=sale")
    expect(alice.locator(".feed-row", has_text="20 USDC")).to_have_count(1)
    browsers.watch.assert_clean()
