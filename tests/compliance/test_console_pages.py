"""The staff compliance console: the review queue shows each score's reasons and the decision
forms; the deny list and checks pages list what the API lists; non-staff get 403."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from solana.rpc.async_api import AsyncClient
from solders.keypair import Keypair

from tests.builders import SignedInUser
from tests.compliance.support import deny, officer
from tests.compliance.test_withdrawal_screening import risky_withdrawal
from tests.payments.support import funded_user


async def page(client: httpx.AsyncClient, who: SignedInUser, path: str) -> httpx.Response:
    client.cookies.set("ece_session", who.token)
    try:
        return await client.get(path)
    finally:
        client.cookies.clear()


async def test_console_pages_for_officers_only(
    client: httpx.AsyncClient, app: FastAPI, rpc: AsyncClient
) -> None:
    staff = await officer(client, app)
    user = await funded_user(client, app, rpc, "USDC", "20")
    body = await risky_withdrawal(client, user, Keypair().pubkey())
    listed = str(Keypair().pubkey())
    await deny(client, staff, listed, reason="mixer")

    queue = await page(client, staff, "/compliance/reviews")
    assert queue.status_code == 200
    assert 'href="/compliance/reviews"' in queue.text  # the console is in the staff nav
    assert "amount_over_10x_median" in queue.text and "new_destination" in queue.text
    assert "/api/v1/compliance/reviews/" in queue.text and 'value="approve"' in queue.text
    assert body["id"][:4] in queue.text

    denylist = await page(client, staff, "/compliance/denylist")
    assert listed in denylist.text and "mixer" in denylist.text
    checks = await page(client, staff, "/compliance/checks?subject_type=withdrawal&min_score=70")
    assert checks.status_code == 200 and "amount_over_10x_median" in checks.text
    quiet = await page(client, staff, "/compliance/checks?subject_type=signin")
    assert "No checks." in quiet.text
    decided = await page(client, staff, "/compliance/reviews?status=approved")
    assert "Nothing waits for review." in decided.text

    for path in ("/compliance/reviews", "/compliance/denylist", "/compliance/checks"):
        refused = await page(client, user, path)
        assert refused.status_code == 403 and "Compliance officers only." in refused.text
        assert listed not in refused.text
        stranger = await client.get(path)
        assert stranger.status_code == 200 and "Sign in" in stranger.text
    assert 'href="/compliance/reviews"' not in (await page(client, user, "/wallet")).text
