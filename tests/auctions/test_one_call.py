"""The two ways a bid is placed give the same answers and rows: on PostgreSQL
``ece_place_bid`` (migration 0042) in one call, on SQLite (and on request anywhere) statement
by statement in Python. For the same auction terms (currency, start price, hidden reserve,
length), bidders (funds, KYC level) and the same run of bids (maxes around the minimum next
bid, repeats of the last max for ties and own-max refusals, the seller bidding, texts that do
not parse in one currency or any, an unknown auction, the clock moving into the soft-close
window and past the end), both must answer the same (status, price, minimum next bid, end, or
the same refusal) and leave the same auction row, bid rows, holds and their releases,
balances, ledger accounts and outbox events.

Each example builds two identical worlds (own seller, bidders, card and auction; the company
is shared), runs the bids through one path in each with the clock frozen at the same instant,
and compares the rows with every id replaced by its role."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from solders.keypair import Keypair
from sqlalchemy import or_, select

from ece.auctions import service as auctions
from ece.auctions.models import Auction, AuctionBid
from ece.auth import service as auth
from ece.core.clock import clock, utcnow
from ece.core.errors import DomainError
from ece.core.money import Asset, format_amount
from ece.core.outbox import OutboxEvent
from ece.ledger import service as ledger
from ece.ledger.models import LedgerAccount, LedgerTransfer, OwnerType, TransferCode
from ece.ledger.service import TransferSpec
from tests.builders import named, row_of
from tests.market.support import open_market, quick_card

BIDDERS = 3
KYC_LIMIT_NONE = "60"  # whole USDC a bidder without KYC may commit in 24 h, for this test
SEEN: Counter[str] = Counter()  # what the examples exercised (the test fails on a gap)
BAD_TEXTS = ("abc", "0", "-5", "1.0000001", "1e3")  # "1.0000001" parses in ECE only


@dataclass(frozen=True)
class Step:
    kind: str  # max | same | seller | text | missing
    bidder: int
    quarters: int  # the max: the last minimum next bid + quarters / 4 of a token
    seconds: int  # the clock moves this far before the bid
    text: str = ""


steps = st.builds(
    Step,
    kind=st.sampled_from(["max"] * 8 + ["same"] * 2 + ["seller", "text", "missing"]),
    bidder=st.integers(0, BIDDERS - 1),
    quarters=st.one_of(st.integers(-2, 12), st.integers(13, 400)),
    seconds=st.sampled_from([0] * 5 + [1, 60, 900, 3300, 3599]),
    text=st.sampled_from(BAD_TEXTS),
)


@dataclass(frozen=True)
class Case:
    currency: Asset
    start: int  # quarters of a token
    reserve: int | None  # quarters above the start
    funds: tuple[int, ...]  # whole tokens per bidder
    kyc_full: tuple[bool, ...]
    steps: list[Step] = field(default_factory=list)


cases = st.builds(
    Case,
    currency=st.sampled_from([Asset.USDC, Asset.ECE]),
    start=st.integers(1, 500),
    reserve=st.none() | st.integers(0, 400),
    funds=st.tuples(*[st.sampled_from([0, 5, 150, 10_000, 10_000])] * BIDDERS),
    kyc_full=st.tuples(*[st.booleans()] * BIDDERS),
    steps=st.lists(steps, min_size=1, max_size=14),
)


@dataclass
class World:
    seller: Any
    bidders: list[Any]
    auction_id: str
    names: dict[str, str]  # id → role
    last_min: int
    ends_at: datetime
    last_max: int = 0


async def _user(app: FastAPI, full: bool) -> Any:
    async with app.state.services.db.unit_of_work() as session:
        user = await auth.create_user(session, str(Keypair().pubkey()))
        await auth.set_kyc_level(session, user.id, "full" if full else "none")
    async with app.state.services.db.unit_of_work(write=False) as session:
        return await auth.get_user(session, user.id)


async def _credit(app: FastAPI, user_id: str, amount: int, asset: Asset) -> None:
    async with app.state.services.db.unit_of_work() as session:
        custody = await ledger.account_for(session, OwnerType.custody, "solana", asset)
        account = await ledger.user_account(session, user_id, asset)
        spec = TransferSpec(
            f"bid-one-call-{user_id}", custody, account, asset, amount, TransferCode.deposit
        )
        await ledger.create_transfers(session, [spec])


async def _world(app: FastAPI, company_id: str, case: Case, t0: datetime) -> World:
    clock.freeze(t0)
    seller = await _user(app, True)
    bidders = [await _user(app, full) for full in case.kyc_full]
    quarter = case.currency.unit // 4
    for bidder, funds in zip(bidders, case.funds, strict=True):
        if funds:
            await _credit(app, bidder.id, funds * case.currency.unit, case.currency)
    card_id = await quick_card(app, company_id, seller.id)
    start = case.start * quarter
    reserve = None if case.reserve is None else start + case.reserve * quarter
    async with app.state.services.db.unit_of_work() as session:
        terms = auctions.terms_of(
            auctions.AuctionKind.english, start, None, reserve, None, None, t0 + timedelta(hours=1)
        )
        settings_ = app.state.services.settings
        created = await auctions.create_auction(
            session, settings_, seller, card_id, case.currency, terms
        )
    names = {seller.id: "seller", card_id: "card", company_id: "company", created.id: "auction"}
    names.update({b.id: f"bidder{n}" for n, b in enumerate(bidders)})
    return World(seller, bidders, created.id, names, start, terms.ends_at)


async def _bid(app: FastAPI, world: World, case: Case, step: Step, one_call: bool) -> Any:
    """One step through the chosen path; its answer (or refusal)."""
    clock.advance(timedelta(seconds=step.seconds))
    services = app.state.services
    user = world.seller if step.kind == "seller" else world.bidders[step.bidder]
    auction_id = "no-such-auction" if step.kind == "missing" else world.auction_id
    amount = world.last_max if step.kind == "same" and world.last_max else None
    if amount is None:
        amount = max(1, world.last_min + step.quarters * (case.currency.unit // 4))
    text = step.text if step.kind == "text" else format_amount(amount, case.currency)
    world.last_max = amount
    try:
        async with services.db.unit_of_work() as session:
            done = await auctions.place_bid(
                session, services.settings, user, auction_id, text, one_call=one_call
            )
    except DomainError as refused:
        SEEN[refused.instance_code] += one_call
        return (refused.status, refused.instance_code, refused.detail, refused.extra)
    SEEN[done.bid.status] += one_call
    SEEN["extended"] += one_call and done.ends_at != world.ends_at
    world.ends_at = done.ends_at
    world.last_min = done.min_next_bid
    world.names[done.bid.id] = f"bid{done.bid.seq}"
    return (done.bid.status, done.current_price, done.min_next_bid, done.ends_at, done.currency)


async def _snapshot(app: FastAPI, world: World) -> dict[str, Any]:
    owners = [world.seller.id, *(b.id for b in world.bidders)]
    async with app.state.services.db.unit_of_work(write=False) as session:
        auction = await session.get(Auction, world.auction_id, populate_existing=True)
        bids = await session.scalars(
            select(AuctionBid)
            .where(AuctionBid.auction_id == world.auction_id)
            .order_by(AuctionBid.seq)
        )
        accounts = list(
            await session.scalars(select(LedgerAccount).where(LedgerAccount.owner_id.in_(owners)))
        )
        account_names = {
            a.id: f"{a.owner_type}:{a.owner_id}:{a.asset}:{a.purpose}" for a in accounts
        }
        transfers = await session.scalars(
            select(LedgerTransfer).where(
                or_(
                    LedgerTransfer.debit_account_id.in_(list(account_names)),
                    LedgerTransfer.credit_account_id.in_(list(account_names)),
                ),
                LedgerTransfer.code == TransferCode.hold.value,
            )
        )
        events = await session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.aggregate_id == world.auction_id)
            .order_by(OutboxEvent.id)
        )
        transfer_rows = []
        for t in transfers:
            row = row_of(t)
            row["debit_account_id"] = account_names[t.debit_account_id]
            row["credit_account_id"] = account_names[t.credit_account_id]
            transfer_rows.append(row)
        snapshot = {
            "auction": row_of(auction, "id", "card_id"),
            "bids": [row_of(b) for b in bids],
            "accounts": [
                [
                    account_names[a.id],
                    a.debits_must_not_exceed_credits,
                    a.debits_posted,
                    a.credits_posted,
                    a.debits_pending,
                    a.credits_pending,
                ]
                for a in accounts
            ],
            "transfers": transfer_rows,
            "events": [row_of(e, "id", "delivered_at") for e in events],
        }
    result: dict[str, Any] = named(snapshot, world.names)
    result["accounts"] = sorted(result["accounts"])
    result["transfers"] = sorted(result["transfers"], key=lambda r: r["id"])
    return result


async def _compare(app: FastAPI, company_id: str, case: Case) -> None:
    t0 = utcnow().replace(microsecond=0) + timedelta(microseconds=250)
    seen = []
    for one_call in (False, True):
        world = await _world(app, company_id, case, t0)
        answers = [await _bid(app, world, case, step, one_call) for step in case.steps]
        seen.append((named(answers, world.names), await _snapshot(app, world)))
        clock.reset()
    (python_answers, python_rows), (sql_answers, sql_rows) = seen
    for n, (python, sql) in enumerate(zip(python_answers, sql_answers, strict=True)):
        assert sql == python, (n, case.steps[n], python, sql)
    for part, rows in python_rows.items():
        assert sql_rows[part] == rows, (part, case)


async def test_the_sql_and_python_bids_write_the_same_rows(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    if app.state.services.db.is_sqlite:
        pytest.skip("SQLite bids in Python only: there is nothing to compare")
    market = await open_market(client, app)
    async with app.state.services.db.unit_of_work() as session:
        assert auctions.in_one_call(session)  # the default path on this database
    services = app.state.services
    limit = services.settings.kyc_limit_none_usdc
    services.settings.kyc_limit_none_usdc = KYC_LIMIT_NONE
    loop = asyncio.get_running_loop()
    SEEN.clear()

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(cases)
    # Every answer the gap check below wants, whatever is drawn (random runs reach some only
    # now and then: a seller's bid after the clock passed the end is "auction_ended"). One
    # extension (a bid 1 s before the end) and an outbid leader:
    @example(
        Case(
            Asset.USDC,
            4,
            None,
            (10_000, 10_000, 10_000),
            (True, True, True),
            [Step("max", 0, 4, 0), Step("max", 1, 8, 3599)],
        )
    )
    # The seller, a text that does not parse, an unknown auction, a leader, a max below the
    # leader's (outbid), below the minimum, a max beyond the funds, a max beyond the limit
    # without KYC, after the end.
    @example(
        Case(
            Asset.USDC,
            4,
            None,
            (10_000, 5, 150),
            (True, True, False),
            [
                Step("seller", 0, 4, 0),
                Step("text", 0, 0, 0, "abc"),
                Step("missing", 0, 4, 0),
                Step("max", 0, 40, 0),
                Step("max", 1, 0, 0),
                Step("max", 0, -2, 0),
                Step("max", 1, 400, 0),
                Step("max", 2, 400, 0),
                Step("max", 0, 4, 3600),
            ],
        )
    )
    def check(case: Case) -> None:
        asyncio.run_coroutine_threadsafe(_compare(app, market.company_id, case), loop).result()

    try:
        await asyncio.to_thread(check)
    finally:
        services.settings.kyc_limit_none_usdc = limit
        clock.reset()
    wanted = ["winning", "outbid", "extended", "bid_too_low", "insufficient_funds"]
    wanted += ["kyc_required", "auction_ended", "own_auction", "invalid_amount"]
    missing = [w for w in [*wanted, "auction_not_found"] if SEEN[w] == 0]
    assert not missing, (missing, sorted(SEEN.items()))
