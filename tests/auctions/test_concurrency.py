"""Only one can win: truly concurrent requests through the HTTP API and the settlement job,
each its own transaction. Runs in both passes: SQLite (writers serialized) and PostgreSQL
(row locks, SKIP LOCKED and conditional updates under READ COMMITTED)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from ece.auctions import rules
from ece.auctions.models import AuctionBid
from ece.core.clock import clock
from ece.core.money import Asset
from ece.settlement.models import Sale
from tests.auctions.support import bid, ok_bid, open_auction, settle, shown
from tests.builders import SignedInUser, sign_in
from tests.market.support import (
    buyers,
    card_row,
    ledger_ok,
    open_market,
    quick_card,
    usdc,
    user_balance,
)

TIERS = rules.parse_increments("1=0.05,10=0.25,100=1,*=5", Asset.USDC)


async def sales_of(app: FastAPI, card_id: str) -> list[Sale]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return list(await session.scalars(select(Sale).where(Sale.card_id == card_id)))


async def accepted_maxes(app: FastAPI, auction_id: str) -> dict[str, int]:
    """Each bidder's highest accepted max."""
    async with app.state.services.db.unit_of_work(write=False) as session:
        rows = await session.scalars(select(AuctionBid).where(AuctionBid.auction_id == auction_id))
        best: dict[str, int] = {}
        for row in rows:
            best[row.bidder_user_id] = max(best.get(row.bidder_user_id, 0), row.max_amount)
        return best


class Close:
    """The moment of the close in a race: after ``after`` bids have been answered, time
    passes the (possibly extended) end and the workers settle, while the other bids are
    still in flight."""

    def __init__(self, app: FastAPI, client: httpx.AsyncClient, end: datetime, after: int) -> None:
        self.app, self.client, self.end, self.after = app, client, end, after
        self.answered = 0
        self.passed = asyncio.Event()
        if after == 0:
            self.passed.set()

    async def bid(
        self, bidder: SignedInUser, auction_id: str, amount: str, key: str
    ) -> httpx.Response:
        response = await bid(self.client, bidder, auction_id, amount, **{"Idempotency-Key": key})
        self.answered += 1
        if self.answered == self.after:
            self.passed.set()
        return response

    async def worker(self) -> int:
        await self.passed.wait()
        clock.freeze(self.end + timedelta(seconds=600))
        return await settle(self.app)


@pytest.mark.parametrize("after", [0, 1, 7, 19])
async def test_twenty_bids_at_the_close_and_the_settlement_have_one_winner(
    app: FastAPI, client: httpx.AsyncClient, after: int
) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(client, seller, card_id)
    bidders = await buyers(client, app, 21, "100")
    await ok_bid(client, bidders[20], auction["id"], "20")  # a leader holding funds already
    end = datetime.fromisoformat(auction["ends_at"])
    clock.freeze(end - timedelta(seconds=1))
    maxes = [f"{21 + (7 * i) % 20}" for i in range(20)]  # 21..40, shuffled, distinct
    close = Close(app, client, end, after)

    results = await asyncio.gather(
        *(
            close.bid(b, auction["id"], m, f"close-{i}")
            for i, (b, m) in enumerate(zip(bidders[:20], maxes, strict=True))
        ),
        close.worker(),
        close.worker(),  # a second worker at the same moment
    )
    responses = [r for r in results if isinstance(r, httpx.Response)]
    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert set(outcomes) <= {(201, None), (409, "auction_ended"), (409, "bid_too_low")}, outcomes
    # The bids answered before the close were judged before the end: none of them is late.
    assert outcomes[(409, "auction_ended")] <= 20 - after, outcomes
    await settle(app)  # a job may have skipped the row a bid held locked

    view = await shown(client, auction["id"])
    assert view["result"] == "sold", view
    [sale] = await sales_of(app, card_id)
    best = await accepted_maxes(app, auction["id"])
    order = {b.user["id"]: n for n, b in enumerate(bidders)}
    model = rules.standing(
        [rules.Max(who, amount, order[who]) for who, amount in best.items()],
        usdc("10"),
        None,
        TIERS,
    )
    assert model.leader is not None
    assert (sale.buyer_user_id, sale.price) == (model.leader.bidder, model.price)
    assert (await card_row(app, card_id)).owner_user_id == model.leader.bidder
    for b in bidders:
        balance = await user_balance(app, b.user["id"])
        paid = model.price if b.user["id"] == model.leader.bidder else 0
        assert (balance.total, balance.held) == (usdc("100") - paid, 0), b.user["id"]
    assert await ledger_ok(app)


async def test_two_dutch_buyers_at_once_one_wins(app: FastAPI, client: httpx.AsyncClient) -> None:
    market = await open_market(client, app)
    seller = await sign_in(client)
    card_id = await quick_card(app, market.company_id, seller.user["id"])
    auction = await open_auction(
        client, seller, card_id, type="dutch", start_price="50", end_price="10"
    )
    pair = await buyers(client, app, 2, "60")
    responses = await asyncio.gather(
        *(
            client.post(
                f"/api/v1/auctions/{auction['id']}/buy",
                headers={**b.headers, "Idempotency-Key": f"dutch-{i}"},
            )
            for i, b in enumerate(pair)
        )
    )
    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == {(201, None): 1, (409, "auction_ended"): 1}, outcomes
    [sale] = await sales_of(app, card_id)
    loser = next(b for b in pair if b.user["id"] != sale.buyer_user_id)
    assert (await user_balance(app, loser.user["id"])).available == usdc("60")
    assert await ledger_ok(app)
