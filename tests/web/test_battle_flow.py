"""A battle in the browser against the real app and its workers: two collectors find it under
"Battles" in the navigation, stake cards from the arena, vote when voting opens, and see the
result and the revealed seed once the worker settles it (the clock is moved, not waited on);
``scripts/verify_battle.py`` then agrees with the server over HTTP, and the card page lists the
battle."""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocketRoute, expect

from ece.config import Settings
from ece.core.clock import clock, utcnow
from ece.core.db import Database
from ece.core.money import Asset
from tests.battles.support import seasoned
from tests.cards.cards_builders import company_body
from tests.market.support import fund
from tests.web.conftest import Browsers, WebServer
from tests.web.support import Admin, admin_client, confirm, make_company, sign_in

pytestmark = pytest.mark.browser
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "verify_battle.py"
PHASE = timedelta(minutes=2)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"battle_min_phase_s": 60})


def season(settings: Settings, user_id: str, company_id: str, card_id: str) -> None:
    """100 ECE for a user, and an account old enough (with a purchase) to vote with weight."""

    async def run() -> None:
        db = Database(settings.resolved_database_url)
        app: Any = SimpleNamespace(state=SimpleNamespace(services=SimpleNamespace(db=db)))
        try:
            await fund(app, user_id, "100", Asset.ECE)
            await seasoned(app, user_id, company_id, card_id)
        finally:
            await db.dispose()

    # Playwright's sync API owns this thread's event loop: seed from a thread of its own.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, run()).result()


def player(web_server: WebServer, admin: Admin, page: Page, company_id: str, n: int) -> list[str]:
    """A signed-in collector with ``n`` freshly minted cards of the company."""
    user_id = admin.user_id(sign_in(page, web_server.base_url))
    cards = [str(admin.mint(company_id, f"Card {i}", owner_id=user_id)["id"]) for i in range(n)]
    season(web_server.settings, user_id, company_id, cards[0])
    return cards


def enter(page: Page, base: str, battle_title: str, card_ids: list[str], side: str) -> None:
    page.goto(f"{base}/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Battles").click()
    page.get_by_role("link", name=battle_title).click()
    form = page.get_by_role("form", name="Join the battle")
    form.get_by_label("Your side").select_option(side)
    for card_id in card_ids:
        form.locator(f'input[value="{card_id}"]').check()
    form.get_by_role("button", name="Enter battle").click()
    confirm(page)
    expect(page.get_by_test_id("battle-entered")).to_be_visible()


def vote(page: Page, side: str) -> None:
    # No reload by hand: the battle.voting event on the live channel reloads the arena.
    form = page.get_by_role("form", name="Vote")
    expect(form).to_be_visible(timeout=20_000)
    form.get_by_label("Side").select_option(side)
    form.get_by_role("button", name="Vote").click()
    expect(page.get_by_test_id("my-vote")).to_have_text(side)


def test_two_collectors_battle_in_the_browser(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    acquirer = make_company(admin)
    target = admin.post("/api/v1/companies", company_body(ticker="TGTX", name="Target Corp"))
    alice, bob = browsers.new_user(), browsers.new_user()
    alice_cards = player(web_server, admin, alice, acquirer["id"], 2)
    bob_cards = player(web_server, admin, bob, target["id"], 1)
    now = utcnow()
    battle = admin.post(
        "/api/v1/battles",
        {
            "title": "Browser takeover",
            "acquirer_company_id": acquirer["id"],
            "target_company_id": target["id"],
            "entry_fee": "5",
            "enrol_until": (now + PHASE).isoformat(),
            "vote_until": (now + 2 * PHASE).isoformat(),
        },
    )
    try:
        enter(alice, base, "Browser takeover", alice_cards, "acquirer")
        enter(bob, base, "Browser takeover", bob_cards, "target")
        expect(bob.get_by_test_id("side-acquirer-entries")).to_have_text("1")
        expect(bob.get_by_test_id("side-target-entries")).to_have_text("1")

        clock.advance(PHASE + timedelta(seconds=1))
        vote(alice, "acquirer")
        # Bob's arena reloads on alice's vote: he votes on the page that shows it, not on one
        # about to be replaced under his hands (his choice would be lost with it).
        expect(bob.get_by_test_id("vote-bar-acquirer")).to_have_attribute("value", "100")
        vote(bob, "target")
        # Quadratic: alice holds 2 cards (weight sqrt 2), bob 1 card (weight 1).
        expect(bob.get_by_test_id("vote-bar-target")).to_have_attribute("value", "41")
        expect(bob.get_by_test_id("vote-bar-acquirer")).to_have_attribute("value", "58")

        clock.advance(PHASE + timedelta(seconds=1))
        # The worker settles within a second or two; battle.settled reloads the arena.
        expect(bob.get_by_test_id("battle-status")).to_have_text("settled", timeout=20_000)
        expect(bob.get_by_test_id("battle-winner")).to_have_text("acquirer")  # 2 cards vs 1
        expect(bob.get_by_test_id("battle-seed")).to_have_text(
            admin.client.get(f"/api/v1/battles/{battle['id']}").json()["seed"]
        )
    finally:
        clock.reset()

    verified = subprocess.run(
        [sys.executable, str(SCRIPT), battle["id"], "--url", base],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert '"ok": true' in verified.stdout

    alice.goto(f"{base}/cards/{alice_cards[0]}")
    expect(alice.get_by_test_id("battle-history")).to_contain_text("Browser takeover")
    assert admin.client.get(f"/api/v1/cards/{alice_cards[0]}").json()["status"] == "available"
    browsers.watch.assert_clean()


def test_an_event_committed_while_the_arena_loads_still_reloads_it(
    web_server: WebServer, browsers: Browsers
) -> None:
    """The arena's socket subscribes from the newest event the page was rendered with: the
    battle cancelled after the render but before the subscription is replayed, not lost."""
    base = web_server.base_url
    admin = admin_client(base, web_server.admin)
    acquirer = make_company(admin)
    target = admin.post("/api/v1/companies", company_body(ticker="TGTY", name="Target Two"))
    now = utcnow()
    battle = admin.post(
        "/api/v1/battles",
        {
            "title": "Late subscriber",
            "acquirer_company_id": acquirer["id"],
            "target_company_id": target["id"],
            "entry_fee": "5",
            "enrol_until": (now + PHASE).isoformat(),
            "vote_until": (now + 2 * PHASE).isoformat(),
        },
    )
    arena = f"{base}/battles/{battle['id']}"
    watcher, late = browsers.new_user(), browsers.new_user()
    held: list[str | bytes] = []  # what ``late``'s first socket sends, until released
    servers: list[WebSocketRoute] = []  # that socket's server side
    released: list[bool] = []

    def socket_opened(ws: WebSocketRoute) -> None:
        server = ws.connect_to_server()
        if servers:
            return  # a later socket (the reloaded page's) talks to the server directly
        servers.append(server)
        ws.on_message(lambda message: server.send(message) if released else held.append(message))

    late.route_web_socket(re.compile(r"/api/v1/ws$"), socket_opened)
    watcher.goto(arena)
    late.goto(arena)
    expect(late.get_by_test_id("battle-status")).to_have_text("enrolment")

    response = admin.client.delete(f"/api/v1/battles/{battle['id']}")
    assert response.status_code == 200, response.text
    # The watcher's reload shows the event was delivered before ``late`` subscribes.
    expect(watcher.get_by_test_id("battle-status")).to_have_text("cancelled", timeout=20_000)
    assert late.get_by_test_id("battle-status").text_content() == "enrolment"
    released.append(True)
    for message in held:
        servers[0].send(message)
    expect(late.get_by_test_id("battle-status")).to_have_text("cancelled", timeout=20_000)
    browsers.watch.assert_clean()
