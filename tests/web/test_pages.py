"""Every page renders, on a phone and a desktop, signed out and in, with no console error and
no failed request; the app installs (manifest, service worker) and the portfolio reads offline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import DESKTOP, PHONE, Browsers, WebServer
from tests.web.support import (
    admin_client,
    axe_violations,
    make_company,
    sign_in,
    title_is_plain,
)

pytestmark = pytest.mark.browser


def _seed(web_server: WebServer) -> tuple[dict[str, str], dict[str, str]]:
    admin = admin_client(web_server.base_url, web_server.admin)
    company = make_company(admin)
    card = admin.mint(company["id"], "Acme Founders")
    admin.post("/api/v1/listings", {"card_id": card["id"], "price": "12.5", "currency": "USDC"})
    return company, card


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_renders_cleanly(
    web_server: WebServer, browsers: Browsers, viewport: dict[str, int]
) -> None:
    base = web_server.base_url
    company, card = _seed(web_server)
    page = browsers.new_user(viewport)
    public = {
        "/": "Collect and trade",
        "/explore": "Explore",
        "/explore?rarity=rare&sort=price_asc&listed=1": "Explore",
        "/explore?min_price=10&max_price=20&currency=USDC": "Explore",
        "/companies": "Companies",
        "/companies?sort=change&currency=ECE": "Companies",
        "/explore?min_power=10&max_growth=90": "Explore",
        f"/companies/{company['ticker']}": company["name"],
        f"/cards/{card['id']}": "Acme Founders",
        "/activity": "Market activity",
        "/activity?type=listing": "Market activity",
        "/wallet": "Wallet",  # asks to sign in
        "/offline": "You are offline",
    }
    violations: list[str] = []
    for path, heading in public.items():
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        title_is_plain(page)
        violations += axe_violations(page)
    expect(page.get_by_role("button", name="Sign in").first).to_be_visible()

    browsers.watch.expect_errors(r"/cards/no-such-card$")
    page.goto(f"{base}/cards/no-such-card")
    expect(page.get_by_role("heading", level=1)).to_have_text("No such card.")
    browsers.watch.provoked.clear()

    sign_in(page, base)
    signed_in = {
        "/wallet": "Wallet",
        "/portfolio": "My cards",
        "/collection": "Collection",
        "/offers": "Offers",
        "/trades": "Trade offers",
        "/trades/new": "New trade offer",
        f"/cards/{card['id']}": "Acme Founders",
        "/": "Collect and trade",
    }
    for path, heading in signed_in.items():
        page.goto(f"{base}{path}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        title_is_plain(page)
        violations += axe_violations(page)
    assert not violations, "accessibility violations (axe-core):\n" + "\n".join(violations)
    browsers.watch.assert_clean()


def test_api_docs_render_under_the_csp(web_server: WebServer, browsers: Browsers) -> None:
    """/docs: Swagger UI from our own origin, the pages' CSP unchanged, no console error."""
    page = browsers.new_user()
    response = page.goto(f"{web_server.base_url}/docs")
    assert response is not None
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp.split("style-src")[0]
    # Swagger UI draws itself from the whole /openapi.json: allow a busy machine its time.
    expect(page.get_by_role("heading", name="ECE — Elite Card Exchange")).to_be_visible(
        timeout=30_000
    )
    # Every tag of the API is listed (folded), and opening one draws its operations.
    spec = page.request.get(f"{web_server.base_url}/openapi.json").json()
    methods = {"get", "post", "put", "patch", "delete"}
    ops = [op for item in spec["paths"].values() for m, op in item.items() if m in methods]
    tags = {tag for op in ops for tag in op.get("tags", [])}
    assert len(tags) > 10
    expect(page.locator(".opblock-tag")).to_have_count(len(tags))
    users = [op for op in ops if "users" in op.get("tags", [])]
    page.locator('.opblock-tag[data-tag="users"]').click()
    expect(page.locator(".opblock")).to_have_count(len(users))
    expect(page.get_by_role("button", name="GET /api/v1/users/me Me")).to_be_visible()
    browsers.watch.assert_clean()


def test_keyboard_can_sign_in_and_out(web_server: WebServer, browsers: Browsers) -> None:
    page = browsers.new_user()
    page.goto(f"{web_server.base_url}/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.get_by_role("button", name="Sign in").focus()
    page.keyboard.press("Enter")
    wallet = page.get_by_role("button", name="ECE Dev Wallet")
    wallet.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("viewer-address")).to_be_visible()
    # The signed-in page is drawn before its module scripts run: wait for them (the sign-out
    # handler) before pressing the button, as a person could not have pressed it sooner.
    page.wait_for_load_state()
    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    page.goto(f"{web_server.base_url}/portfolio")  # the session is gone for good
    expect(page.get_by_role("heading", level=1)).to_have_text("My cards")
    expect(page.get_by_text("Sign in with your Solana wallet to see this page.")).to_be_visible()
    browsers.watch.assert_clean()


def test_installable_and_portfolio_readable_offline(
    web_server: WebServer, browsers: Browsers
) -> None:
    base = web_server.base_url
    page = browsers.new_user(PHONE)
    sign_in(page, base)
    manifest = page.request.get(f"{base}/manifest.webmanifest").json()
    assert manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert page.request.get(f"{base}{icon['src']}").ok, icon
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{base}/"

    page.goto(f"{base}/portfolio")  # now controlled by the worker, which keeps a copy
    expect(page.get_by_role("heading", level=1)).to_have_text("My cards")
    browsers.watch.assert_clean()

    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("My cards")
    page.goto(f"{base}/activity")  # never saved: the offline page says so
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
