"""The KYC form in the wallet page and the KYC queue of the compliance console, in a browser:
a user submits, an admin verifies from the console, the user's wallet shows the new level."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import Browsers, WebServer
from tests.web.support import sign_in

pytestmark = pytest.mark.browser


def staff_page(web_server: WebServer, browsers: Browsers) -> Page:
    """A browser signed in as the configured admin (its session cookies from an API login)."""
    keypair = web_server.admin
    with httpx.Client(base_url=web_server.base_url, timeout=30) as client:
        address = str(keypair.pubkey())
        message = client.post("/api/v1/auth/challenge", json={"address": address}).json()
        signature = str(keypair.sign_message(message["message"].encode()))
        login = client.post(
            "/api/v1/auth/login", json={"message": message["message"], "signature": signature}
        )
        assert login.status_code == 200, login.text
        cookies = [
            {"name": c.name, "value": c.value or "", "url": web_server.base_url}
            for c in client.cookies.jar
        ]
    page = browsers.new_user()
    page.context.add_cookies(cookies)  # type: ignore[arg-type]
    return page


def test_kyc_form_then_console_verification(web_server: WebServer, browsers: Browsers) -> None:
    base = web_server.base_url
    user = browsers.new_user()
    sign_in(user, base)
    user.goto(f"{base}/wallet")
    expect(user.get_by_test_id("kyc-level")).to_have_text("none")
    form = user.locator("#kyc-form")
    form.get_by_label("Full name").fill("Jane Doe")
    form.get_by_label("Country (ISO code)").fill("FR")
    form.get_by_label("Date of birth").fill("1990-05-17")
    form.get_by_role("button", name="Submit for verification").click()
    expect(user.get_by_test_id("kyc-status")).to_have_text("pending")
    expect(user.locator("#kyc")).to_contain_text("J*** D**")
    expect(user.locator("#kyc-form")).to_have_count(0)

    staff = staff_page(web_server, browsers)
    staff.goto(f"{base}/compliance")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Compliance console")
    row = staff.get_by_test_id("kyc-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("J*** D**")
    expect(staff.locator("body")).not_to_contain_text("Jane")
    row.get_by_test_id("kyc-verify").click()
    expect(staff.locator("#kyc-queue")).to_contain_text("Nothing waiting.")

    user.reload()
    expect(user.get_by_test_id("kyc-level")).to_have_text("basic")
    browsers.watch.expect_errors(r"/compliance$")
    user.goto(f"{base}/compliance")  # not staff
    expect(user.get_by_role("heading", level=1)).to_have_text("Compliance staff only.")
