"""The auction pages' behaviour in the browser against a stand-in for the auctions JSON API
(Playwright answers ``/api/v1/auctions...`` and ``/api/v1/users/me/bids``): live price,
countdown, minimum next bid, my maximum, the extension notice, buy now and the Dutch buy, the
bid history and the list's tabs and sort. The same pages against the real API:
``test_auction_pages.py``."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, Route, WebSocketRoute, expect

from tests.web.conftest import Browsers, WebServer
from tests.web.support import admin_client, confirm, make_company, sign_in

pytestmark = pytest.mark.browser


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")


def _auction(card_id: str, **changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    auction: dict[str, Any] = {
        "id": "auc1",
        "type": "english",
        "card_id": card_id,
        "currency": "USDC",
        "status": "live",
        "start_price": "5",
        "current_price": "5",
        "min_next_bid": "5",
        "bid_count": 0,
        "high_bidder": None,
        "reserve_met": False,
        "buy_now_price": "20",
        "buy_now_available": True,
        "starts_at": _iso(now - timedelta(hours=1)),
        "ends_at": _iso(now + timedelta(minutes=4)),
        "winner": None,
        "has_reserve": True,
        "seller_address": "Se11er1111111111111111111111111111111111111",
    }
    auction.update(changes)
    return auction


class StandIn:
    """The auctions API as the pages call it, answering from ``auctions`` and ``bids``."""

    def __init__(self, page: Page, auctions: dict[str, dict[str, Any]]) -> None:
        self.auctions = auctions
        self.bids: dict[str, list[dict[str, Any]]] = {k: [] for k in auctions}
        self.mine: list[dict[str, Any]] = []
        self.posted: list[tuple[str, dict[str, Any], str | None]] = []
        self.list_queries: list[dict[str, list[str]]] = []
        page.route(re.compile(r"/api/v1/(auctions|users/me/bids)"), self.answer)

    def answer(self, route: Route) -> None:
        request = route.request
        url = urlparse(request.url)
        parts = url.path.split("/")[3:]  # after /api/v1
        if request.method == "POST" and parts[-1] == "bids":
            self.posted.append(
                (url.path, request.post_data_json, request.headers.get("idempotency-key"))
            )
            return self.json(route, self.bid(parts[1], request.post_data_json["max_amount"]), 201)
        if parts == ["users", "me", "bids"]:
            return self.json(route, {"items": self.mine, "next_cursor": None})
        if parts == ["auctions"]:
            self.list_queries.append(parse_qs(url.query))
            return self.json(route, {"items": list(self.auctions.values()), "next_cursor": None})
        if len(parts) == 3 and parts[2] == "bids":
            return self.json(route, {"items": self.bids[parts[1]], "next_cursor": None})
        return self.json(route, self.auctions[parts[1]])

    def bid(self, auction_id: str, max_amount: str) -> dict[str, Any]:
        """A winning bid 4 minutes before the end: soft close moves the end 5 minutes on."""
        auction = self.auctions[auction_id]
        ends_at = _iso(datetime.now(UTC) + timedelta(minutes=5))
        auction.update(
            current_price="5",
            min_next_bid="5.25",
            bid_count=1,
            high_bidder=self.me,
            reserve_met=True,
            buy_now_available=False,
            ends_at=ends_at,
        )
        self.bids[auction_id].insert(
            0, {"bidder": self.me, "price": "5", "currency": "USDC", "placed_at": ends_at}
        )
        self.mine.append({"auction_id": auction_id, "max_amount": max_amount, "status": "winning"})
        return {
            "bid_id": "bid1",
            "status": "winning",
            "current_price": "5",
            "min_next_bid": "5.25",
            "ends_at": ends_at,
        }

    me = ""

    @staticmethod
    def json(route: Route, body: Any, status: int = 200) -> None:
        route.fulfill(status=status, content_type="application/json", body=json.dumps(body))


def test_bid_extends_and_updates_the_page(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    card = admin.mint(make_company(admin)["id"], "Acme Founders")
    alice = browsers.new_user()
    me = sign_in(alice, base)
    api = StandIn(alice, {"auc1": _auction(card["id"])})
    api.me = me
    sockets: list[WebSocketRoute] = []  # the page's WebSocket, answered by the test
    heard: list[dict[str, Any]] = []

    def socket_opened(ws: WebSocketRoute) -> None:
        sockets.append(ws)
        ws.on_message(lambda message: heard.append(json.loads(message)))

    alice.route_web_socket(re.compile(r"/api/v1/ws$"), socket_opened)

    alice.goto(f"{base}/auctions/auc1")
    expect(alice.get_by_role("heading", level=1)).to_contain_text("Acme Founders")
    expect(alice.get_by_test_id("auction-price")).to_have_text("5")
    expect(alice.get_by_test_id("auction-status")).to_have_text("live")
    expect(alice.get_by_test_id("auction-min-bid")).to_have_text("5 USDC")
    expect(alice.get_by_test_id("auction-reserve")).to_have_text("Reserve not met")
    countdown = alice.get_by_test_id("auction-countdown")
    expect(countdown).to_have_text(re.compile(r"^00:0[34]:\d\d$"))
    first = countdown.inner_text()
    expect(countdown).not_to_have_text(first)  # it ticks
    expect(alice.get_by_role("button", name="Buy now for 20 USDC")).to_be_visible()
    expect(alice.get_by_test_id("auction-extended")).to_be_hidden()

    alice.get_by_label("Your maximum bid").fill("9")
    alice.get_by_role("button", name="Place bid").click()
    confirm(alice)
    expect(alice.get_by_test_id("auction-extended")).to_contain_text("Extended")
    expect(alice.get_by_test_id("auction-my-max")).to_have_text("· your maximum 9 (winning)")
    expect(alice.get_by_test_id("auction-min-bid")).to_have_text("5.25 USDC")
    expect(alice.get_by_test_id("auction-bid-count")).to_have_text("1 bid")
    expect(alice.get_by_test_id("auction-reserve")).to_have_text("Reserve met")
    expect(alice.get_by_test_id("auction-bids").locator("tr")).to_have_count(1)
    expect(alice.get_by_test_id("auction-bids")).to_contain_text("you")
    # The first bid met the reserve: buy now is gone.
    expect(alice.get_by_role("button", name=re.compile("^Buy now"))).to_be_hidden()
    expect(countdown).to_have_text(re.compile(r"^00:0[45]:\d\d$"))
    ((path, body, key),) = api.posted
    assert path == "/api/v1/auctions/auc1/bids" and body == {"max_amount": "9"} and key

    # Someone else's raise, announced on the socket (no polling while it is up), moves the
    # end again.
    api.auctions["auc1"]["ends_at"] = _iso(datetime.now(UTC) + timedelta(minutes=9))
    assert any(m["op"] == "subscribe" and "auction:auc1" in m["channels"] for m in heard)
    event = {"type": "event", "channel": "auction:auc1", "id": 7, "event": "auction.extended"}
    sockets[0].send(json.dumps({**event, "data": {}, "at": _iso(datetime.now(UTC))}))
    expect(countdown).to_have_text(re.compile(r"^00:0[89]:\d\d$"))
    browsers.watch.assert_clean()


def test_dutch_ended_and_the_list(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    company = make_company(admin)
    cards = [admin.mint(company["id"], name) for name in ("Acme Dutch", "Acme Ended")]
    page = browsers.new_user()
    sign_in(page, base)
    dutch = _auction(
        cards[0]["id"],
        id="auc2",
        type="dutch",
        current_price="7.5",
        min_next_bid=None,
        buy_now_available=False,
        reserve_met=None,
    )
    ended = _auction(
        cards[1]["id"],
        id="auc3",
        status="ended",
        bid_count=3,
        current_price="12",
        winner="Wi11er1111111111111111111111111111111111111",
        ends_at=_iso(datetime.now(UTC) - timedelta(minutes=1)),
    )
    api = StandIn(page, {"auc2": dutch, "auc3": ended})

    page.goto(f"{base}/auctions/auc2")
    expect(page.get_by_role("button", name="Buy now at 7.5 USDC")).to_be_visible()
    expect(page.get_by_role("button", name="Place bid")).to_be_hidden()
    expect(page.get_by_test_id("auction-type")).to_have_text("Dutch")

    page.goto(f"{base}/auctions/auc3")
    expect(page.get_by_test_id("auction-winner")).to_have_text("Won by Wi11…1111 at 12 USDC.")
    expect(page.get_by_role("button", name="Place bid")).to_be_hidden()

    page.goto(f"{base}/auctions")
    expect(page.get_by_role("heading", level=1)).to_have_text("Auctions")
    expect(page.locator(".auction-tile")).to_have_count(2)
    expect(page.locator(".auction-tile", has_text="Acme Dutch")).to_contain_text("7.5 USDC")
    expect(page.locator(".auction-tile", has_text="Acme Ended")).to_contain_text("Ended")
    page.get_by_role("link", name="Upcoming").click()
    page.get_by_label("Sort").select_option("price")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".auction-tile")).to_have_count(2)
    last = api.list_queries[-1]
    assert last["status"] == ["upcoming"] and last["sort"] == ["price"], last
    browsers.watch.assert_clean()
