"""The admin's pause switch in a browser: pause trading, every page shows the banner, resume."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.conftest import Browsers, WebServer
from tests.web.support import admin_client, confirm, sign_in

pytestmark = pytest.mark.browser


def test_an_admin_pauses_and_resumes_from_the_switch_page(
    web_server: WebServer, browsers: Browsers
) -> None:
    base = web_server.base_url
    page = browsers.new_user()
    address = sign_in(page, base)
    admin = admin_client(base, web_server.admin)
    response = admin.client.put(
        f"/api/v1/admin/users/{admin.user_id(address)}/roles", json={"roles": ["admin"]}
    )
    assert response.status_code == 200, response.text

    page.goto(f"{base}/admin/pause")
    expect(page.get_by_text("Nothing is paused.")).to_be_visible()
    page.get_by_label("Scope").select_option("trading")
    page.get_by_label("Reason (shown to every user)").fill("Settlement under review")
    page.get_by_role("button", name="Pause", exact=True).click()
    confirm(page)
    banner = page.get_by_test_id("pause-banner")
    expect(banner).to_contain_text("Trading paused")
    expect(banner).to_contain_text("Settlement under review")
    page.goto(f"{base}/explore")
    expect(page.get_by_test_id("pause-banner")).to_contain_text("Settlement under review")

    page.goto(f"{base}/admin/pause")
    page.get_by_role("button", name="Resume").click()
    confirm(page)
    expect(page.get_by_text("Nothing is paused.")).to_be_visible()
    expect(page.get_by_test_id("pause-banner")).to_have_count(0)
    browsers.watch.assert_clean()
