"""Stale holds: the ledger check's age follows the longest order lifetime, in the CLI and the
admin endpoint alike."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from ece.cli import app as cli
from ece.config import Settings
from ece.core.clock import clock, utcnow
from tests.auctions.support import ok_bid, open_auction
from tests.builders import make_admin, sign_in
from tests.market.support import buyer, open_market, quick_card

runner = CliRunner()


@pytest.fixture
def env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ECE_ENV", "test")
    monkeypatch.setenv("ECE_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ECE_DATABASE_URL", settings.resolved_database_url)
    return settings


async def ledger_check_cli(*args: str) -> tuple[int, dict[str, Any]]:
    """``ece ledger check`` as an operator runs it (in a thread: it runs its own event loop)."""
    result = await asyncio.to_thread(runner.invoke, cli, ["ledger", "check", *args])
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.output)


async def open_offer_hold(app: FastAPI, client: httpx.AsyncClient) -> None:
    """A real offer at the longest lifetime allowed: its tokens are held until it ends."""
    market = await open_market(client, app)
    owner = await sign_in(client)
    card_id = await quick_card(app, market.company_id, owner.user["id"])
    bidder = await buyer(client, app, "100")
    expires = utcnow() + timedelta(seconds=app.state.services.settings.offer_max_ttl_seconds)
    made = await client.post(
        "/api/v1/offers",
        json={
            "card_id": card_id,
            "price": "10",
            "currency": "USDC",
            "expires_at": expires.isoformat(),
        },
        headers=bidder.headers,
    )
    assert made.status_code == 201, made.text


async def test_an_offer_hold_is_stale_only_after_the_longest_lifetime_and_a_day(
    env: Settings, app: FastAPI, client: httpx.AsyncClient
) -> None:
    await open_offer_hold(app, client)
    admin = await make_admin(client, app)

    clock.advance(timedelta(days=3))  # a live offer, halfway through its 6 days
    code, report = await ledger_check_cli()
    assert code == 0, report
    assert report["max_pending_age_seconds"] == 7 * 86400
    assert [a["stale_pending"] for a in report["assets"]] == [0, 0]
    api = (await client.get("/api/v1/admin/ledger/check", headers=admin.headers)).json()
    assert api["ok"] is True and api["max_pending_age_seconds"] == 7 * 86400

    # The offer ended at 6 days and no expiry job released its hold for over a day.
    clock.advance(timedelta(days=4, seconds=1))
    code, report = await ledger_check_cli()
    assert code == 1
    assert [a["stale_pending"] for a in report["assets"]] == [0, 1]
    admin = await make_admin(client, app)  # the first session has expired by now
    api = (await client.get("/api/v1/admin/ledger/check", headers=admin.headers)).json()
    assert api["ok"] is False and api["assets"][1]["stale_pending"] == 1

    # An operator can still ask for another age.
    code, report = await ledger_check_cli("--max-pending-age-hours", "1000")
    assert code == 0 and report["max_pending_age_seconds"] == 1000 * 3600


def test_the_stale_age_follows_the_configured_lifetimes() -> None:
    from ece.ledger.checks import stale_hold_age

    longest = Settings(env="test", trade_offer_max_ttl_seconds=6 * 86400 + 3600)
    assert stale_hold_age(longest) == timedelta(days=7, hours=1)
    short = Settings(env="test", offer_max_ttl_seconds=3600, trade_offer_max_ttl_seconds=7200)
    assert stale_hold_age(short) == timedelta(days=1, hours=2)


async def test_the_admin_check_refuses_an_age_out_of_range(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    admin = await make_admin(client, app)
    for age in ("-1", str(10**18), "x"):
        response = await client.get(
            f"/api/v1/admin/ledger/check?max_pending_age_seconds={age}", headers=admin.headers
        )
        assert (response.status_code, response.json()["code"]) == (422, "validation_error")


async def test_an_auction_hold_has_its_own_age(
    env: Settings, app: FastAPI, client: httpx.AsyncClient
) -> None:
    """An auction's leading bid is held until the auction ends (up to 30 days): it is not
    stale at 8 days, when an offer's hold would be, but is a day after the longest auction."""
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    longest = app.state.services.settings.auction_max_duration_s
    auction = await open_auction(client, seller, card_id, hours=longest / 3600)
    await ok_bid(client, await buyer(client, app, "100"), auction["id"], "20")
    clock.advance(timedelta(days=8))
    code, report = await ledger_check_cli()
    assert code == 0, report
    assert [a["stale_pending"] for a in report["assets"]] == [0, 0]
    admin = await make_admin(client, app)  # a fresh session: the clock moved days
    answer = await client.get("/api/v1/admin/ledger/check", headers=admin.headers)
    assert answer.status_code == 200, answer.text
    api = answer.json()
    assert api["ok"] is True

    # The auction ended at 30 days and its settlement has not run for a day and a second.
    clock.advance(timedelta(days=23, seconds=1))
    code, report = await ledger_check_cli()
    assert code == 1
    assert [a["stale_pending"] for a in report["assets"]] == [0, 1]
    admin = await make_admin(client, app)  # a fresh session: the clock moved days
    answer = await client.get("/api/v1/admin/ledger/check", headers=admin.headers)
    assert answer.status_code == 200, answer.text
    api = answer.json()
    assert api["ok"] is False
