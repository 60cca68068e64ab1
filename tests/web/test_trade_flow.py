"""Two collectors negotiate a card swap: an offer, a counter offer, and its acceptance."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Browsers, WebServer
from tests.web.support import admin_client, confirm, make_company, sign_in

pytestmark = pytest.mark.browser


def test_trade_offer_countered_and_accepted(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    alice, bob = browsers.new_user(), browsers.new_user()
    alice_address, bob_address = sign_in(alice, base), sign_in(bob, base)
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)
    keynote = admin.mint(company["id"], "Acme Keynote", admin.user_id(alice_address))
    admin.mint(company["id"], "Acme Patent", admin.user_id(alice_address))
    moonshot = admin.mint(company["id"], "Acme Moonshot", admin.user_id(bob_address))

    # Alice proposes her Keynote for Bob's Moonshot, from the Moonshot's page.
    alice.goto(f"{base}/cards/{moonshot['id']}")
    alice.get_by_role("link", name="Propose a trade").click()
    expect(alice.get_by_role("checkbox", name=re.compile("Acme Moonshot"))).to_be_checked()
    alice.get_by_role("checkbox", name=re.compile("Acme Keynote")).check()
    alice.get_by_role("textbox", name="Message (optional)").fill("Keynote for your Moonshot?")
    alice.get_by_role("button", name="Send trade offer").click()
    confirm(alice)
    expect(alice.get_by_test_id("trade-status")).to_have_text("active")
    alice.goto(f"{base}/cards/{keynote['id']}")
    expect(alice.get_by_test_id("card-status")).to_have_text("in trade")  # locked by the offer

    # Bob counters: he wants the Patent as well.
    bob.goto(f"{base}/trades")
    offer = bob.locator("[data-trade]", has_text="Keynote for your Moonshot?")
    offer.get_by_role("link", name=re.compile("^Offer")).click()
    bob.get_by_role("link", name="Counter").click()
    expect(bob.get_by_role("checkbox", name=re.compile("Acme Moonshot"))).to_be_checked()
    expect(bob.get_by_role("checkbox", name=re.compile("Acme Keynote"))).to_be_checked()
    bob.get_by_role("checkbox", name=re.compile("Acme Patent")).check()
    bob.get_by_role("button", name="Send counter offer").click()
    confirm(bob)
    expect(bob.get_by_test_id("trade-status")).to_have_text("active")
    expect(bob.get_by_test_id("trade-chain").locator(":scope > li")).to_have_count(2)

    # Alice accepts the counter: both sides swap at once.
    alice.goto(f"{base}/trades")
    received = alice.get_by_role("region", name="Received")
    received.locator("[data-trade]").first.get_by_role("link", name=re.compile("^Offer")).click()
    first_version = alice.get_by_test_id("trade-chain").locator(":scope > li").first
    expect(first_version).to_contain_text("countered")
    alice.get_by_role("button", name="Accept").click()
    confirm(alice)
    expect(alice.get_by_test_id("trade-status")).to_have_text("accepted")

    alice.goto(f"{base}/portfolio")
    expect(alice.locator(".tile")).to_have_count(1)
    expect(alice.locator(".tile", has_text="Acme Moonshot")).to_be_visible()
    bob.goto(f"{base}/portfolio")
    expect(bob.locator(".tile")).to_have_count(2)
    expect(bob.locator(".tile", has_text="Acme Patent")).to_be_visible()
    browsers.watch.assert_clean()
