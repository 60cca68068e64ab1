"""The compliance console in a browser: a withdrawal waiting in review shows its score and
reasons in the queue, an officer approves it there, and it lands on chain."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ece.config import Settings
from tests.web.conftest import Browsers, WebServer
from tests.web.support import FUNDS_TIMEOUT, admin_client, confirm, fund, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # A first withdrawal scores 30 (new account, new destination): review from 25 up.
    return settings.model_copy(update={"compliance_review_score": 25})


def test_an_officer_approves_a_reviewed_withdrawal_in_the_console(
    web_server: WebServer, browsers: Browsers
) -> None:
    base = web_server.base_url
    alice = browsers.new_user()
    sign_in(alice, base)
    fund(alice, base, "12")
    withdraw = alice.locator("#withdraw-form")
    withdraw.get_by_label("Amount").fill("5")
    withdraw.get_by_role("button", name="Withdraw").click()
    confirm(alice)
    expect(alice.get_by_test_id("withdrawal-status")).to_have_text("review")

    officer = browsers.new_user()
    address = sign_in(officer, base)
    admin = admin_client(base, web_server.admin)
    admin.client.put(
        f"/api/v1/admin/users/{admin.user_id(address)}/roles", json={"roles": ["compliance"]}
    ).raise_for_status()
    officer.goto(f"{base}/wallet")
    officer.get_by_role("link", name="Compliance").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Compliance console")
    officer.get_by_role("link", name="Review queue").click()
    expect(officer.get_by_role("heading", level=1)).to_have_text("Review queue")
    row = officer.get_by_test_id("review-row")
    expect(row.get_by_test_id("review-score")).to_have_text("30")
    expect(row).to_contain_text("new_destination")
    expect(row).to_contain_text("new_account")
    row.get_by_role("button", name="Approve").click()
    confirm(officer)
    expect(officer.get_by_text("Nothing waits for review.")).to_be_visible()  # reloaded
    officer.goto(f"{base}/compliance/reviews?status=approved")
    expect(officer.get_by_test_id("review-row")).to_contain_text("approved")

    # The sender job (every few seconds) sends it: the wallet lists it confirmed.
    badge = alice.locator(".badge", has_text="confirmed")
    for _ in range(FUNDS_TIMEOUT // 1000):
        alice.goto(f"{base}/wallet")
        if badge.count():
            break
        alice.wait_for_timeout(1000)
    expect(badge).to_be_visible()
