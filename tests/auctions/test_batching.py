"""Group commit of bids (PostgreSQL, ``ece.auctions.batching``, migration 0044): the bids
waiting for one auction are placed in one ``ece_place_bids`` call, each in arrival order and
in a subtransaction of its own, and committed together; each request still gets its own answer
or refusal, its Idempotency-Key answer stored in the batch's transaction.

- Parity (Hypothesis): the same runs of bids as ``test_one_call`` (bidders without a purchase
  limit: only their bids are batched), cut into batches at random, leave the same answers and
  rows as the Python path placing them one by one, each in its own transaction.
- N bids at once through the batcher are one call; refusals in the middle (too low, the
  seller's own, short of funds) undo only themselves.
- N bidders at once over HTTP: every request answered on its own and correctly (the standing
  after each accepted bid), each answer replayed for its key, holds and ledger exact."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from ece.auctions import rules
from ece.auctions import service as auctions
from ece.auctions.models import AuctionBid
from ece.auctions.schemas import BidOut
from ece.auth import service as auth
from ece.core.clock import clock, utcnow
from ece.core.errors import DomainError
from ece.core.money import Asset, format_amount
from tests.auctions.support import bid, seller_auction, shown
from tests.auctions.test_one_call import BIDDERS, Case, Step, World, _snapshot, _world, cases
from tests.builders import SignedInUser, named, recorded_statements
from tests.market.support import buyer, ledger_ok, open_market, usdc, user_balance

TIERS = rules.parse_increments("1=0.05,10=0.25,100=1,*=5", Asset.USDC)


def _render(result: auctions.BidResult) -> bytes:
    return BidOut.of(result, result.currency).model_dump_json().encode()


def _skip_on_sqlite(app: FastAPI) -> None:
    if app.state.services.db.is_sqlite:
        pytest.skip("SQLite places bids one by one (its writers are serialized anyway)")


def _text(world: World, case: Case, step: Step) -> str:
    amount = world.last_max if step.kind == "same" and world.last_max else None
    if amount is None:
        amount = max(1, world.last_min + step.quarters * (case.currency.unit // 4))
    world.last_max = amount
    return step.text if step.kind == "text" else format_amount(amount, case.currency)


def _user_and_auction(world: World, step: Step) -> tuple[Any, str]:
    user = world.seller if step.kind == "seller" else world.bidders[step.bidder]
    return user, "no-such-auction" if step.kind == "missing" else world.auction_id


def _placed(world: World, body: dict[str, Any]) -> dict[str, Any]:
    world.last_min = int(body["_min_next"])
    return {k: v for k, v in body.items() if not k.startswith("_")}


def _seen(result: auctions.BidResult | DomainError) -> dict[str, Any] | tuple[Any, ...]:
    """An answer as compared: the rendered body (and what the next step needs), or the
    refusal's status, code, detail and fields."""
    if isinstance(result, DomainError):
        return (result.status, result.instance_code, result.detail, result.extra)
    body: dict[str, Any] = json.loads(_render(result))
    return {**body, "_min_next": result.min_next_bid}


async def _one_by_one(app: FastAPI, world: World, case: Case) -> tuple[list[Any], list[str]]:
    """The Python path, each bid its own transaction; the answers and the texts sent."""
    services, answers, texts = app.state.services, [], []
    for step in case.steps:
        clock.advance(timedelta(seconds=step.seconds))
        user, auction_id = _user_and_auction(world, step)
        texts.append(_text(world, case, step))
        try:
            async with services.db.unit_of_work() as session:
                done: auctions.BidResult | DomainError = await auctions.place_bid(
                    session, services.settings, user, auction_id, texts[-1], one_call=False
                )
        except DomainError as refused:
            done = refused
        seen = _seen(done)
        answers.append(_placed(world, seen) if isinstance(seen, dict) else seen)
    return answers, texts


async def _batched(
    app: FastAPI, world: World, case: Case, texts: list[str], cuts: list[bool]
) -> list[Any]:
    """The same bids through a batcher, a batch ending where ``cuts`` says (and around a bid
    on another auction): the bids of a batch wait together and go in one call."""
    services = app.state.services
    batcher = auctions.BidBatcher(services.db)
    answers: list[Any] = []
    group: list[auctions.WaitingBid] = []

    async def flush() -> None:
        placed = await asyncio.gather(
            *(batcher.place(b, None, _render) for b in group), return_exceptions=True
        )
        for one in placed:
            if isinstance(one, DomainError):
                answers.append((one.status, one.instance_code, one.detail, one.extra))
                continue
            assert isinstance(one, bytes), one
            body = json.loads(one)
            min_next = rules.parse_bid(body["min_next_bid"], case.currency)
            answers.append(_placed(world, {**body, "_min_next": min_next}))
        group.clear()

    for n, (step, text) in enumerate(zip(case.steps, texts, strict=True)):
        clock.advance(timedelta(seconds=step.seconds))
        user, auction_id = _user_and_auction(world, step)
        if group and group[0].params["auction_id"] != auction_id:
            await flush()
        group.append(auctions.waiting_bid(services.settings, user, auction_id, text))
        if cuts[n % len(cuts)]:
            await flush()
    await flush()
    return answers


async def _bids_in_order(app: FastAPI, auction_id: str) -> list[AuctionBid]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        rows = await session.scalars(
            select(AuctionBid).where(AuctionBid.auction_id == auction_id).order_by(AuctionBid.seq)
        )
        return list(rows)


async def _named(app: FastAPI, world: World, answers: list[Any]) -> tuple[Any, Any]:
    """The answers and rows with every id named (a bid by its seq)."""
    for row in await _bids_in_order(app, world.auction_id):
        world.names[row.id] = f"bid{row.seq}"
    return named(answers, world.names), await _snapshot(app, world)


async def _compare(app: FastAPI, company_id: str, case: Case, cuts: list[bool]) -> None:
    t0 = utcnow().replace(microsecond=0) + timedelta(microseconds=250)
    world = await _world(app, company_id, case, t0)
    python_answers, texts = await _one_by_one(app, world, case)
    python = await _named(app, world, python_answers)
    clock.reset()
    world = await _world(app, company_id, case, t0)
    batched = await _named(app, world, await _batched(app, world, case, texts, cuts))
    clock.reset()
    for n, (one, other) in enumerate(zip(python[0], batched[0], strict=True)):
        assert other == one, (n, case.steps[n], one, other)
    for part, rows in python[1].items():
        assert batched[1][part] == rows, (part, case, cuts)


async def test_bids_placed_in_batches_answer_and_write_as_one_by_one(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _skip_on_sqlite(app)
    market = await open_market(client, app)
    loop = asyncio.get_running_loop()
    full = (True,) * BIDDERS

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(cases, st.lists(st.booleans(), min_size=1, max_size=6))
    # A batch holding a leader, a bid that does not lead, a refusal and an extension.
    @example(
        Case(
            Asset.USDC,
            4,
            None,
            (10_000, 5, 10_000),
            full,
            [
                Step("max", 0, 4, 0),
                Step("max", 1, 8, 0),
                Step("max", 2, -2, 0),
                Step("max", 2, 40, 3599),
                Step("seller", 0, 80, 0),
                Step("max", 0, 200, 0),
            ],
        ),
        [False],
    )
    def check(case: Case, cuts: list[bool]) -> None:
        case = replace(case, kyc_full=full)  # only bidders without a purchase limit batch
        done = asyncio.run_coroutine_threadsafe(_compare(app, market.company_id, case, cuts), loop)
        done.result()

    try:
        await asyncio.to_thread(check)
    finally:
        clock.reset()


async def _full_kyc_bidder(client: httpx.AsyncClient, app: FastAPI, funds: str) -> SignedInUser:
    who = await buyer(client, app, funds)
    async with app.state.services.db.unit_of_work() as session:
        await auth.set_kyc_level(session, who.user["id"], "full")
    return who


async def _users(app: FastAPI, people: list[SignedInUser]) -> list[Any]:
    async with app.state.services.db.unit_of_work(write=False) as session:
        return [await auth.get_user(session, p.user["id"]) for p in people]


async def test_bids_waiting_together_are_one_call_and_a_refusal_undoes_only_itself(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _skip_on_sqlite(app)
    seller, auction = await seller_auction(client, app)
    rich = [await _full_kyc_bidder(client, app, "1000") for _ in range(3)]
    poor = await _full_kyc_bidder(client, app, "15")
    await app.state.services.rate_limiter.reset()
    alice, bob, carol, dave, owner = await _users(app, [*rich, poor, seller])
    settings_ = app.state.services.settings
    # In arrival order: alice leads, dave cannot pay his max, bob leads, the seller is
    # refused, carol is below the minimum by then, alice retakes the lead.
    sent = [(alice, "20"), (dave, "40"), (bob, "50"), (owner, "90"), (carol, "21"), (alice, "80")]
    batcher = auctions.BidBatcher(app.state.services.db)
    with recorded_statements(app.state.services.db) as statements:
        answers = await asyncio.gather(
            *(
                batcher.place(
                    auctions.waiting_bid(settings_, user, auction["id"], amount), None, _render
                )
                for user, amount in sent
            ),
            return_exceptions=True,
        )
    assert sum("ece_place_bids" in s for s in statements) == 1, statements
    refused = [a.instance_code if isinstance(a, DomainError) else None for a in answers]
    assert refused == [None, "insufficient_funds", None, "own_auction", "bid_too_low", None]
    placed = [json.loads(a) for a in answers if isinstance(a, bytes)]
    assert [(p["status"], p["current_price"]) for p in placed] == [
        ("winning", "10"),
        ("winning", "21"),
        ("winning", "51"),
    ]
    now = await shown(client, auction["id"])
    assert (now["bid_count"], now["current_price"]) == (3, "51")
    assert (await user_balance(app, alice.id)).held == usdc("80")
    for other in (bob, carol, dave):
        assert (await user_balance(app, other.id)).held == 0
    assert await ledger_ok(app)


async def test_bidders_at_once_over_http_each_get_their_own_correct_answer(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    _skip_on_sqlite(app)
    _, auction = await seller_auction(client, app)
    bidders = []
    for n in range(12):
        if n % 5 == 4:
            await app.state.services.rate_limiter.reset()
        bidders.append(await _full_kyc_bidder(client, app, "1000"))
    await app.state.services.rate_limiter.reset()
    maxes = {b.user["id"]: 20 + 10 * n for n, b in enumerate(bidders)}  # whole USDC

    async def send(who: SignedInUser) -> httpx.Response:
        amount = str(maxes[who.user["id"]])
        return await bid(client, who, auction["id"], amount, **{"Idempotency-Key": "at-once"})

    with recorded_statements(app.state.services.db) as statements:
        answers = await asyncio.gather(*(send(b) for b in bidders))
    assert sum("ece_place_bids" in s for s in statements) >= 1
    assert not [s for s in statements if "ece_place_bid(" in s]
    accepted = {
        b.user["id"]: r.json()
        for b, r in zip(bidders, answers, strict=True)
        if r.status_code == 201
    }
    for r in answers:
        assert r.status_code == 201 or r.json()["code"] == "bid_too_low", r.text
    # Each accepted answer is the standing right after it, in the order the bids were applied.
    order = await _applied_order(app, auction["id"])
    assert sorted(order) == sorted(accepted)
    current: list[rules.Max] = []
    for seq, user_id in enumerate(order, 1):
        current.append(rules.Max(user_id, usdc(str(maxes[user_id])), seq))
        standing = rules.standing(current, usdc("10"), None, TIERS)
        assert standing.leader is not None
        answer = accepted[user_id]
        wins = standing.leader.bidder == user_id
        assert answer["status"] == ("winning" if wins else "outbid"), (seq, answer)
        assert answer["current_price"] == format_amount(standing.price, Asset.USDC)
    now = await shown(client, auction["id"])
    assert now["bid_count"] == len(accepted)
    leader = max(accepted, key=lambda u: maxes[u])
    for user_id in maxes:
        held = usdc(str(maxes[user_id])) if user_id == leader else 0
        assert (await user_balance(app, user_id)).held == held
    # Exactly once: each key answers again with the stored answer (refusals stored nothing).
    again = await asyncio.gather(*(send(b) for b in bidders))
    for first, second in zip(answers, again, strict=True):
        if first.status_code == 201:
            assert second.status_code == 201 and second.content == first.content
            assert second.headers.get("Idempotent-Replayed") == "true"
        else:
            assert second.json()["code"] == "bid_too_low"
    assert (await shown(client, auction["id"]))["bid_count"] == len(accepted)
    assert await ledger_ok(app)


async def _applied_order(app: FastAPI, auction_id: str) -> list[str]:
    return [b.bidder_user_id for b in await _bids_in_order(app, auction_id)]
