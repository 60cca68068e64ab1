"""Auctions in the browser against the real auctions API (``ece.auctions``): a seller starts
an auction from the card page, two funded bidders bid from the auction page (proxy bidding:
the loser is outbid at once, the price is one increment above the loser's maximum), every
page follows by polling, and the auction shows on explore, the company and the card pages.

Needs the auctions backend (``/api/v1/auctions``): without it these tests fail, by design.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from ece.config import Settings
from tests.web.conftest import Browsers, WebServer
from tests.web.support import admin_client, confirm, fund, make_company, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # A soft-close window longer than the auction itself: every bid extends it, so the
    # extension notice shows without moving the clock of the served app.
    return settings.model_copy(update={"auction_extension_s": 4 * 3600})


def bid(page: Page, amount: str) -> None:
    page.get_by_label("Your maximum bid").fill(amount)
    page.get_by_role("button", name="Place bid").click()
    confirm(page)


def test_auction_from_card_page_to_bids(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)

    seller = browsers.new_user()
    seller_address = sign_in(seller, base)
    card = admin.mint(company["id"], "Acme Gavel", owner_id=admin.user_id(seller_address))
    seller.goto(f"{base}/cards/{card['id']}")
    seller.get_by_text("Start an auction").click()
    form = seller.get_by_role("form", name="Start an auction")
    form.get_by_label("Start price").fill("5")
    form.get_by_label("Buy-now price (optional)").fill("20")
    form.get_by_label("Duration").select_option("1")
    form.get_by_role("button", name="Start auction").click()
    confirm(seller)
    expect(seller).to_have_url(re.compile(r"/auctions/\w+$"))
    auction_url = seller.url
    expect(seller.get_by_role("heading", level=1)).to_contain_text("Acme Gavel")
    expect(seller.get_by_test_id("auction-status")).to_have_text("live")
    expect(seller.get_by_test_id("auction-price")).to_have_text("5")
    expect(seller.get_by_role("button", name="Cancel auction")).to_be_visible()
    expect(seller.get_by_role("button", name="Place bid")).to_be_hidden()  # own auction

    bob = browsers.new_user()
    sign_in(bob, base)
    fund(bob, base, "30")
    bob.get_by_role("link", name="Auctions").click()
    bob.locator(".auction-tile", has_text="Acme Gavel").click()
    expect(bob.get_by_test_id("auction-min-bid")).to_have_text("5 USDC")
    expect(bob.get_by_role("button", name="Buy now for 20 USDC")).to_be_visible()
    bid(bob, "9")
    expect(bob.get_by_test_id("auction-my-max")).to_have_text("· your maximum 9 (winning)")
    expect(bob.get_by_test_id("auction-bid-count")).to_have_text("1 bid")
    expect(bob.get_by_test_id("auction-extended")).to_contain_text("Extended")
    # No reserve: the first bid takes buy now away.
    expect(bob.get_by_role("button", name=re.compile("^Buy now"))).to_be_hidden()
    expect(seller.get_by_role("button", name="Cancel auction")).to_be_hidden()  # it has bids

    carol = browsers.new_user()
    sign_in(carol, base)
    fund(carol, base, "30")
    carol.goto(auction_url)
    bid(carol, "7")
    expect(carol.get_by_test_id("auction-my-max")).to_have_text("· your maximum 7 (outbid)")
    # Bob's maximum wins; the price is one increment (0.25 below 10) over Carol's 7.
    for page in (bob, carol, seller):
        expect(page.get_by_test_id("auction-price")).to_have_text("7.25")
    expect(carol.get_by_test_id("auction-min-bid")).to_have_text("7.5 USDC")
    expect(bob.get_by_test_id("auction-bids").locator("tr")).to_have_count(2)
    # Maximums stay private: the history shows the prices bids made, never Bob's 9.
    expect(bob.get_by_test_id("auction-bids").locator("td.num", has_text="9 USDC")).to_have_count(0)

    # The auction everywhere else: explore, the company page, the card page.
    carol.goto(f"{base}/explore")
    expect(carol.get_by_test_id("auction-strip").locator(".auction-tile")).to_contain_text(
        "7.25 USDC"
    )
    carol.goto(f"{base}/companies/{company['ticker']}")
    expect(carol.locator(".auction-tile", has_text="Acme Gavel")).to_be_visible()
    carol.goto(f"{base}/cards/{card['id']}")
    expect(carol.get_by_test_id("card-status")).to_have_text("in auction")
    expect(carol.get_by_test_id("card-auction")).to_contain_text("7.25 USDC")
    browsers.watch.assert_clean()


@pytest.mark.parametrize("tab", ["live", "upcoming", "ended"])
def test_auction_tabs_render(web_server: WebServer, browsers: Browsers, tab: str) -> None:
    page = browsers.new_user()
    page.goto(f"{web_server.base_url}/auctions?status={tab}&sort=price")
    expect(page.get_by_role("heading", level=1)).to_have_text("Auctions")
    expect(page.get_by_text(f"No {tab} auctions.")).to_be_visible()
    expect(page.get_by_role("link", name="Auctions")).to_have_attribute("aria-current", "page")
    browsers.watch.assert_clean()
