"""The statement budget of a bid, the auction path's hottest write (bench/README.md: each
statement costs about a millisecond of worker CPU)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from ece.auth import service as auth
from tests.auctions.support import bid, ok_bid, seller_auction
from tests.builders import SignedInUser, recorded_commits, recorded_statements
from tests.market.support import buyer, ledger_ok, usdc, user_balance


async def _auction_with_two_bidders(
    client: httpx.AsyncClient, app: FastAPI
) -> tuple[dict[str, Any], SignedInUser, SignedInUser]:
    """A seller's live auction and two funded bidders (500 USDC each)."""
    _, auction = await seller_auction(client, app)
    return auction, await buyer(client, app, "500"), await buyer(client, app, "500")


async def test_a_bid_that_takes_the_lead_stays_within_its_statement_budget(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    auction, alice, bob = await _auction_with_two_bidders(client, app)
    # Each bidder's accounts are met (and remembered) once, as after a while in production.
    for bidder, max_amount in ((alice, "20"), (bob, "30"), (alice, "40"), (bob, "50")):
        await ok_bid(client, bidder, auction["id"], max_amount)
    await ok_bid(client, alice, auction["id"], "60")

    with (
        recorded_statements(app.state.services.db) as statements,
        recorded_commits(app.state.services.db) as commits,
    ):
        response = await bid(client, bob, auction["id"], "80", **{"Idempotency-Key": "budget"})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "winning"
    verbs = [statement.split(None, 1)[0].upper() for statement in _own_work(statements)]
    work = [verb for verb in verbs if verb != "BEGIN"]  # SQLite opens its transactions by hand
    # Authenticate 1, claim 1; auction 1 (locked: terms, leader and runner-up, so no other bid
    # is read), KYC purchase limit 1 (the bidder's 24 h purchases; none for a full-KYC bidder);
    # ledger: balances locked with the dethroned hold's accounts 1, the hold and its
    # resolutions read 1, transfers 1, balances 1 (a leading bid's funds are checked by its
    # hold: no separate read); earlier bids retired 1, the bid 1, the auction 1; events 1 (the
    # bid and the outbid in one INSERT); stored answer 1. Nothing is read back for the answer.
    assert len(work) <= 13, "\n".join(" ".join(s.split())[:70] for s in statements)
    assert len(commits) == 1 + len(statements) - len(_own_work(statements)), commits
    # The dethroned leader's hold is released in the same batch, the new max held.
    assert (await user_balance(app, alice.user["id"])).held == 0
    assert (await user_balance(app, bob.user["id"])).held == usdc("80")
    assert await ledger_ok(app)


async def test_a_bid_that_does_not_lead_reads_only_the_auction_and_the_funds(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    auction, alice, bob = await _auction_with_two_bidders(client, app)
    for bidder, max_amount in ((alice, "200"), (bob, "30"), (bob, "40")):
        await ok_bid(client, bidder, auction["id"], max_amount)

    with (
        recorded_statements(app.state.services.db) as statements,
        recorded_commits(app.state.services.db) as commits,
    ):
        response = await bid(client, bob, auction["id"], "60", **{"Idempotency-Key": "outbid"})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "outbid"
    verbs = [statement.split(None, 1)[0].upper() for statement in _own_work(statements)]
    work = [verb for verb in verbs if verb != "BEGIN"]
    # Authenticate 1, claim 1; auction 1, KYC purchase limit 1, funds 1; bob's earlier max
    # retired 1, the bid 1, the auction 1; event 1; stored answer 1. No ledger write.
    assert len(work) <= 10, "\n".join(" ".join(s.split())[:70] for s in statements)
    assert len(commits) == 1 + len(statements) - len(_own_work(statements)), commits
    assert (await user_balance(app, alice.user["id"])).held == usdc("200")
    assert (await user_balance(app, bob.user["id"])).held == 0
    assert await ledger_ok(app)


def _own_work(statements: list[str]) -> list[str]:
    """The request's statements: not the pause state's reload, which the controls' change
    feed runs on a connection and transaction of its own whenever it rings."""
    return [s for s in statements if "FROM pauses" not in s]


async def test_on_postgresql_a_bid_is_one_call_between_the_key_claim_and_the_stored_answer(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    if app.state.services.db.is_sqlite:
        pytest.skip("SQLite bids statement by statement (the budgets above)")
    auction, alice, bob = await _auction_with_two_bidders(client, app)
    for bidder, max_amount in ((alice, "20"), (bob, "30"), (alice, "40")):
        await ok_bid(client, bidder, auction["id"], max_amount)

    for who, max_amount, status in ((bob, "80", "winning"), (alice, "60", "outbid")):
        with (
            recorded_statements(app.state.services.db) as statements,
            recorded_commits(app.state.services.db) as commits,
        ):
            response = await bid(client, who, auction["id"], max_amount)
        assert response.status_code == 201, response.text
        assert response.json()["status"] == status
        work = _own_work(statements)
        listing = "\n".join(" ".join(s.split())[:70] for s in work)
        # Authenticate 1, claim 1; the bid 1 (ece_place_bid: lock, ledger, bid rows, auction,
        # events); KYC purchase limit 1 (these bidders have a limited level; none for full
        # KYC); stored answer 1.
        assert sum("ece_place_bid" in s for s in work) == 1, listing
        touched = ("auction_bids", "ledger_", "outbox_events", "FROM auctions")
        assert not [s for s in work if any(t in s for t in touched)], listing
        assert len(work) <= 5, listing
        assert len(commits) == 1 + len(statements) - len(work), commits
    # The dethroned leader's hold released in the same call, the new max held; alice's
    # later max (60) does not lead, holds nothing.
    assert (await user_balance(app, alice.user["id"])).held == 0
    assert (await user_balance(app, bob.user["id"])).held == usdc("80")
    assert await ledger_ok(app)


async def test_on_postgresql_a_batched_bid_commits_its_claim_then_one_batch_call(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    if app.state.services.db.is_sqlite:
        pytest.skip("SQLite bids statement by statement (the budgets above)")
    auction, alice, bob = await _auction_with_two_bidders(client, app)
    async with app.state.services.db.unit_of_work() as session:
        for who in (alice, bob):  # no purchase limit: their bids are batched
            await auth.set_kyc_level(session, who.user["id"], "full")
    await ok_bid(client, alice, auction["id"], "20")

    with (
        recorded_statements(app.state.services.db) as statements,
        recorded_commits(app.state.services.db) as commits,
    ):
        response = await bid(client, bob, auction["id"], "80", **{"Idempotency-Key": "batched"})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "winning"
    work = _own_work(statements)
    listing = "\n".join(" ".join(s.split())[:70] for s in work)
    # Authenticate 1, claim 1, committed; the batch (of one, alone): ece_place_bids 1 (lock,
    # ledger, bid rows, auction, events), stored answer 1, committed. The auction row's lock
    # is held for the batch's call, its stored answers and its commit only.
    assert sum("ece_place_bids" in s for s in work) == 1, listing
    touched = ("auction_bids", "ledger_", "outbox_events", "FROM auctions", "ece_place_bid(")
    assert not [s for s in work if any(t in s for t in touched)], listing
    assert len(work) <= 4, listing
    assert len(commits) == 2 + len(statements) - len(work), commits
    assert "RateLimit-Remaining" in response.headers  # the order limit's headers, as unbatched
    replayed = await bid(client, bob, auction["id"], "80", **{"Idempotency-Key": "batched"})
    assert replayed.content == response.content
    assert replayed.headers.get("Idempotent-Replayed") == "true"
    assert (await user_balance(app, alice.user["id"])).held == 0
    assert (await user_balance(app, bob.user["id"])).held == usdc("80")
    assert await ledger_ok(app)
