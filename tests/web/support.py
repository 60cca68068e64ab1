"""Plain helpers for the browser tests: seeding through the API, and the user's steps."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page, expect
from solders.keypair import Keypair

from tests.cards.cards_builders import STATS, company_body

FUNDS_TIMEOUT = 30_000  # the deposit watcher runs every few seconds


@dataclass
class Admin:
    client: httpx.Client

    def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.client.post(path, json=body)
        assert response.status_code in (200, 201), response.text
        result: dict[str, Any] = response.json()
        return result

    def user_id(self, address: str) -> str:
        users = self.client.get("/api/v1/admin/users", params={"limit": 200}).json()["items"]
        return str(next(u["id"] for u in users if u["address"] == address))

    def mint(self, company_id: str, name: str, owner_id: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "company_id": company_id,
            "name": name,
            "rarity": "rare",
            "attributes": dict(STATS),
        }
        if owner_id:
            body["owner_id"] = owner_id
        return self.post("/api/v1/cards", body)


def admin_client(base_url: str, keypair: Keypair) -> Admin:
    """The configured admin wallet signed in through the API (bearer token)."""
    client = httpx.Client(base_url=base_url, timeout=30)
    address = str(keypair.pubkey())
    message = client.post("/api/v1/auth/challenge", json={"address": address}).json()["message"]
    signature = str(keypair.sign_message(message.encode()))
    login = client.post("/api/v1/auth/login", json={"message": message, "signature": signature})
    assert login.status_code == 200, login.text
    client.cookies.clear()
    client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
    return Admin(client)


def make_company(admin: Admin) -> dict[str, Any]:
    return admin.post("/api/v1/companies", company_body(royalty_bps=250))


def sign_in(page: Page, base_url: str) -> str:
    """Sign in with the dev wallet (a new key in this browser context); returns the address."""
    page.goto(f"{base_url}/")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="ECE Dev Wallet").click()
    address = page.get_by_test_id("viewer-address")
    expect(address).to_be_visible()
    page.wait_for_load_state()  # the reloaded page's scripts, before anyone clicks on it
    return str(address.get_attribute("title"))


def fund(page: Page, base_url: str, usdc: str) -> None:
    """Faucet tokens into the wallet on chain, then deposit ``usdc`` with "Pay with my wallet"."""
    page.goto(f"{base_url}/wallet")
    page.get_by_role("button", name="Get test tokens").click()
    expect(page.locator("#faucet-result")).to_contain_text("1000 ECE")
    page.locator("#deposit-form").get_by_label("Amount").fill(usdc)
    page.get_by_role("button", name="Create deposit request").click()
    pay_link = page.get_by_role("link", name="Pay with wallet (Solana Pay)")
    expect(pay_link).to_have_attribute(
        "href", re.compile(r"^solana:https%3A%2F%2F[^?]+%2Fpay%2Fdeposits%2F")
    )
    transfer_link = page.get_by_role("link", name="Transfer request (Solana Pay)")
    expect(transfer_link).to_have_attribute("href", re.compile(r"^solana:\w+\?amount=" + usdc))
    page.get_by_role("button", name="Pay with my wallet").click()
    expect(page.get_by_test_id("available-USDC")).to_have_text(usdc, timeout=FUNDS_TIMEOUT)


def confirm(page: Page) -> None:
    page.get_by_role("dialog").get_by_role("button", name="Confirm").click()


AXE = Path(__file__).resolve().parent / "vendor/axe-core/axe.min.js"


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2 A/AA findings on the page as it is now, one line per rule.

    axe-core is vendored by scripts/vendor_assets.py and evaluated through the DevTools
    protocol, so the page's Content-Security-Policy is left exactly as users get it.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())
    found = page.evaluate(
        """() => axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa"]}})
            .then(r => r.violations.map(v => v.id + ": " + v.nodes.map(n => n.target.join(" "))
            .slice(0, 3).join(", ")))"""
    )
    return [f"{page.url}: {line}" for line in found]


def title_is_plain(page: Page) -> str:
    """The tab title, checked to be text a person reads (no markup, no template leftovers)."""
    title = page.title()
    assert title and not re.search(r"[<>{}]|\s{2,}", title), f"{page.url}: title {title!r}"
    return title
