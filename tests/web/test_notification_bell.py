"""The notification bell: an event about the signed-in user reaches the page over the
WebSocket (relayed by the server's own worker), shows a toast and the unread count; the panel
lists it and marks it read."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect

from ece.auth import service as auth
from ece.core.db import Database
from ece.core.outbox import emit
from tests.web.conftest import Browsers, WebServer
from tests.web.support import sign_in

pytestmark = pytest.mark.browser


async def _credit_event(database_url: str, address: str) -> None:
    """A deposit credited to ``address``, as the payments watcher would record it."""
    db = Database(database_url)
    try:
        async with db.unit_of_work() as session:
            user = await auth.user_by_address(session, address)
            assert user is not None
            await emit(session, "deposit.credited", "dep1", user_id=user.id, asset="USDC", amount=5)
    finally:
        await db.dispose()


def test_an_event_about_me_rings_the_bell(web_server: WebServer, browsers: Browsers) -> None:
    alice = browsers.new_user()
    address = sign_in(alice, web_server.base_url)
    count = alice.get_by_test_id("bell")
    expect(alice.locator("#bell-count")).to_be_hidden()
    # Playwright's sync API holds this thread's event loop: write from another thread.
    with ThreadPoolExecutor(1) as pool:
        url = web_server.settings.resolved_database_url
        pool.submit(asyncio.run, _credit_event(url, address)).result()
    expect(alice.locator("#toast")).to_have_text("Your deposit is credited.")
    expect(alice.locator("#bell-count")).to_have_text("1")
    count.click()
    expect(alice.locator("#bell-list li")).to_have_text(["Your deposit is credited."])
    alice.get_by_role("button", name="Mark all read").click()
    expect(alice.locator("#bell-count")).to_be_hidden()
    browsers.watch.assert_clean()
