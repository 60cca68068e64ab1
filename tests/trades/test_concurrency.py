"""Only one can win: an accept racing a cancel (and a second accept) on the same offer.

Each task has its own unit of work; on PostgreSQL the conditional UPDATE of the offer row makes
the losers wait and then match nothing, on SQLite the writers queue on the database lock.
"""

from __future__ import annotations

import asyncio

import httpx
from fastapi import FastAPI

from ece.core.errors import Conflict
from ece.marketdata import service as marketdata
from ece.trades import service
from tests.market.support import buyer, ledger_ok, open_market, quick_card, usdc, user_balance
from tests.trades.support import offer, owner_of


async def test_accept_and_cancel_race_and_exactly_one_wins(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    market = await open_market(client, app)
    alice, bob = await buyer(client, app, "100"), await buyer(client, app, "100")
    a1 = await quick_card(app, market.company_id, alice.user["id"])
    trade = await offer(client, alice, bob.address, {"cards": [a1], "USDC": "10"})
    db = app.state.services.db

    async def attempt(user_id: str, action: str) -> str:
        try:
            async with db.unit_of_work() as session:
                if action == "accept":
                    await service.accept_swap(
                        session,
                        user_id,
                        trade["id"],
                        fee_bps=0,
                        prices=marketdata.swap_reference_prices,
                    )
                else:
                    await service.cancel_offer(session, user_id, trade["id"])
        except Conflict as exc:
            return exc.instance_code
        return action

    results = await asyncio.gather(
        attempt(bob.user["id"], "accept"),
        attempt(alice.user["id"], "cancel"),
        attempt(bob.user["id"], "accept"),
    )
    winners = [r for r in results if r in ("accept", "cancel")]
    assert len(winners) == 1, results
    assert results.count("trade_offer_not_active") == 2
    alice_usdc = await user_balance(app, alice.user["id"])
    if winners == ["accept"]:
        assert await owner_of(app, a1) == (bob.user["id"], None)
        assert (alice_usdc.total, alice_usdc.held) == (usdc("90"), 0)
    else:
        assert await owner_of(app, a1) == (alice.user["id"], None)
        assert (alice_usdc.total, alice_usdc.held) == (usdc("100"), 0)
    assert await ledger_ok(app)
