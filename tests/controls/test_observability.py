"""What operators and users see of a pause: the metric, readiness, the banner, the switch page."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from ece.auth.deps import SESSION_COOKIE
from tests.builders import make_admin, sign_in
from tests.controls.support import pause, resume


async def test_metric_and_readiness(client: httpx.AsyncClient, app: FastAPI) -> None:
    admin = await make_admin(client, app)
    await pause(client, admin, "payouts", "treasury rotation")
    await client.get("/api/v1/status")  # reads the pauses again
    metrics = (await client.get("/metrics")).text
    assert 'ece_paused{scope="payouts"} 1.0' in metrics
    assert 'ece_paused{scope="trading"} 0.0' in metrics
    assert (await client.get("/readyz")).status_code == 200  # a pause is not an outage
    await resume(client, admin, "payouts")
    await client.get("/api/v1/status")
    assert 'ece_paused{scope="payouts"} 0.0' in (await client.get("/metrics")).text


async def test_banner_on_every_page_and_the_switch_for_admins(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    user = await sign_in(client)
    assert "pause-banner" not in (await client.get("/")).text
    await pause(client, admin, "withdrawals", "hot <wallet> check")
    for path in ("/", "/explore", "/activity"):
        page = (await client.get(path)).text
        assert "Withdrawals paused" in page and "hot &lt;wallet&gt; check" in page, path

    client.cookies.set(SESSION_COOKIE, user.token)
    denied = await client.get("/admin/pause")
    assert denied.status_code == 403 and 'data-api="POST /api/v1/admin/pause"' not in denied.text
    client.cookies.set(SESSION_COOKIE, admin.token)
    switch = (await client.get("/admin/pause")).text
    assert 'data-api="POST /api/v1/admin/pause"' in switch
    assert 'data-api="POST /api/v1/admin/resume"' in switch and 'value="withdrawals"' in switch


async def test_the_switch_is_in_the_navigation_of_admins_only(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    admin = await make_admin(client, app)
    user = await sign_in(client)
    client.cookies.set(SESSION_COOKIE, user.token)
    assert 'href="/admin/pause"' not in (await client.get("/")).text
    client.cookies.set(SESSION_COOKIE, admin.token)
    assert 'href="/admin/pause"' in (await client.get("/")).text
