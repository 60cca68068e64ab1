"""Screenshots of the web pages for docs/screenshots/, at phone and desktop widths.

Run against a server with the demo data (``make run``, or ``ece serve --demo``):
``.venv/bin/python scripts/screenshots.py [BASE_URL]``. Signed out: home, explore, a company
(from its price chart down);
then it signs in with the dev wallet (the first-run checklist), takes test tokens from the
faucet and deposits some, so the wallet page shows real balances and a card its buy's costs.
Uses Debian's chromium.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs/screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def shoot(page: Page, base: str, path: str, name: str, focus: str | None = None) -> None:
    """The page's first screen, or from ``focus`` down (a company's price chart, once drawn)."""
    page.goto(f"{base}{path}")
    page.wait_for_load_state("networkidle")
    if focus:
        expect(page.locator(focus)).to_have_attribute("data-candles", re.compile(r"^[1-9]"))
        page.locator(focus).scroll_into_view_if_needed()
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)


def sign_in_and_fund(page: Page, base: str) -> None:
    """The signed-in dev wallet takes test tokens and deposits some."""
    page.goto(f"{base}/wallet")
    page.get_by_role("button", name="Get test tokens").click()
    expect(page.locator("#faucet-result")).to_contain_text("ECE", timeout=20_000)
    page.locator("#deposit-form").get_by_label("Amount").fill("250")
    page.get_by_role("button", name="Create deposit request").click()
    page.get_by_role("button", name="Pay with my wallet").click()
    expect(page.get_by_test_id("available-USDC")).to_have_text("250", timeout=30_000)


def main(base: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size_name, viewport in SIZES.items():
            context = browser.new_context(
                viewport=viewport,
                device_scale_factor=2 if size_name == "phone" else 1,
                is_mobile=size_name == "phone",
                has_touch=size_name == "phone",
                service_workers="block",
            )
            page = context.new_page()
            page.goto(f"{base}/explore?sort=price_asc&listed=1")
            card_href = page.locator(".tile a").first.get_attribute("href")
            assert card_href and re.match(r"^/cards/\w+$", card_href)
            page.goto(f"{base}/")
            company_href = page.locator("#top-title ~ .table-wrap a").first.get_attribute("href")
            assert company_href and company_href.startswith("/companies/")
            shoot(page, base, "/", f"home-{size_name}")
            shoot(page, base, "/explore", f"explore-{size_name}")
            shoot(page, base, company_href, f"company-{size_name}", focus="[data-chart]")
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("button", name="ECE Dev Wallet").click()
            expect(page.get_by_test_id("viewer-address")).to_be_visible()
            page.goto(f"{base}/")
            expect(page.get_by_test_id("first-run")).to_be_visible()
            shoot(page, base, "/", f"first-run-{size_name}")
            sign_in_and_fund(page, base)
            shoot(page, base, "/wallet", f"wallet-{size_name}")
            shoot(page, base, card_href, f"card-{size_name}")  # the buy's cost preview shows
            context.close()
        browser.close()
    print("screenshots in", OUT)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
