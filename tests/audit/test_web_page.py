"""The audit viewer page (plain HTTP): staff only, verify status at the top, filters, a nav
entry only staff see."""

from __future__ import annotations

import html

import httpx
from fastapi import FastAPI
from solders.keypair import Keypair

from ece.auth.deps import SESSION_COOKIE
from ece.auth.service import Role
from tests.audit.support import change_around_guards
from tests.builders import SignedInUser, grant, sign_in

NAV_LINK = '<a href="/audit"'


async def page(
    client: httpx.AsyncClient, who: SignedInUser | None, query: str = "", path: str = "/audit"
) -> httpx.Response:
    client.cookies.clear()
    if who is not None:
        client.cookies.set(SESSION_COOKIE, who.token)
    try:
        return await client.get(f"{path}{query}")
    finally:
        client.cookies.clear()


async def test_the_audit_page_for_staff_only(client: httpx.AsyncClient, app: FastAPI) -> None:
    plain = await sign_in(client)
    keypair = Keypair()
    await grant(app, str(keypair.pubkey()), Role.compliance)
    officer = await sign_in(client, keypair)

    anonymous = await page(client, None)
    assert anonymous.status_code == 200 and "Sign in" in anonymous.text
    assert "audit-entries" not in anonymous.text and NAV_LINK not in anonymous.text
    refused = await page(client, plain)
    assert refused.status_code == 403 and "audit-entries" not in refused.text
    home = await page(client, plain, path="/")
    assert NAV_LINK not in home.text

    shown = await page(client, officer)
    assert shown.status_code == 200 and NAV_LINK in shown.text
    assert 'data-ok="true"' in shown.text and "Chain verified" in shown.text
    for action in ("platform.initialized", "user.roles_changed"):
        assert action in shown.text
    only = await page(client, officer, "?action=platform.initialized&from=2000-01-01T00:00")
    assert only.status_code == 200
    assert "platform.initialized" in only.text and "user.roles_changed" not in only.text
    # The CSV link carries the same filters, the time with its offset (the API wants one).
    assert (
        "/api/v1/audit.csv?action=platform.initialized&from=2000-01-01T00%3A00%3A00%2B00%3A00"
        in html.unescape(only.text)
    )
    bad = await page(client, officer, "?from=yesterday")
    assert bad.status_code == 422

    db = app.state.services.db
    await change_around_guards(db, "UPDATE audit_log SET action = 'x' WHERE seq = 2")
    broken = await page(client, officer)
    assert 'data-ok="false"' in broken.text and "Chain broken" in broken.text
    assert "entry 2 does not match" in broken.text
