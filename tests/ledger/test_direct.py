"""``TransferLine`` (one transfer per transaction on the driver's connection) against
``create_transfers`` in a unit of work: same answers, same refusals, same rows, and the same
invariants under real concurrency, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

import ece.core.db as core_db
from ece.config import Settings
from ece.core.clock import clock
from ece.core.db import Database
from ece.core.errors import DomainError, InsufficientFunds
from ece.core.money import MAX_AMOUNT, Asset
from ece.ledger import service
from ece.ledger.models import OwnerType, TransferCode
from ece.ledger.service import TransferResult, TransferSpec
from tests.ledger.support import balances, custody, funded_user, pay

MISSING_ACCOUNT = 10**9
WORLDS = ("session", "direct")
OWNERS = [
    (OwnerType.custody, "solana"),
    (OwnerType.platform, "ece"),
    (OwnerType.user, "user-0"),
    (OwnerType.user, "user-1"),
    (OwnerType.user, "user-2"),
]


# --- the same transfers through both paths ----------------------------------------------------


async def _fresh_worlds(db: Database) -> dict[str, dict[tuple[Asset, int], int]]:
    """Two identical sets of accounts (every owner of ``OWNERS`` in every asset), one per
    path, in an empty ledger: world -> (asset, owner index) -> account id."""
    async with db.unit_of_work() as session:
        await session.execute(text("DELETE FROM ledger_transfers"))
        await session.execute(text("DELETE FROM ledger_accounts"))
        worlds: dict[str, dict[tuple[Asset, int], int]] = {}
        for world in WORLDS:
            worlds[world] = {
                (asset, index): await service.account_for(
                    session, owner_type, f"{world}-{owner}", asset
                )
                for asset in Asset
                for index, (owner_type, owner) in enumerate(OWNERS)
            }
    return worlds


@st.composite
def transfer_drafts(draw: st.DrawFn) -> dict[str, Any]:
    """A transfer in terms of owner indexes (index len(OWNERS) names no account); ids from a
    small pool, so that some repeat, with the same details or not."""
    asset = draw(st.sampled_from(list(Asset)))
    return {
        "id": f"t{draw(st.integers(0, 12))}",
        "asset": asset,
        "debit": (draw(st.sampled_from(list(Asset))) if draw(st.integers(0, 9)) == 0 else asset),
        "debit_index": draw(st.integers(0, len(OWNERS))),
        "credit_index": draw(st.integers(0, len(OWNERS) - 1)),
        "amount": draw(
            st.integers(1, 2_000)
            | st.sampled_from([MAX_AMOUNT, MAX_AMOUNT - 1])
            | st.integers(-1, 0)
        ),
        "code": draw(st.sampled_from([TransferCode.trade, TransferCode.deposit])),
        "reference": draw(st.none() | st.just("order-1")),
        "pending": draw(st.booleans()),
    }


def _spec(world: str, draft: dict[str, Any], ids: dict[tuple[Asset, int], int]) -> TransferSpec:
    debit = ids.get((draft["debit"], draft["debit_index"]), MISSING_ACCOUNT)
    return TransferSpec(
        f"{world}-{draft['id']}",
        debit,
        ids[(draft["asset"], draft["credit_index"])],
        draft["asset"],
        draft["amount"],
        draft["code"],
        draft["reference"],
        draft["pending"],
    )


async def _outcome(call: Awaitable[TransferResult]) -> tuple[str, ...]:
    try:
        return ("ok", (await call).value)
    except DomainError as refusal:
        return ("refused", refusal.instance_code, repr(sorted(refusal.extra.items())))


async def _rows(db: Database, world: str, ids: dict[tuple[Asset, int], int]) -> Any:
    """The world's transfers and balances, with ids in world-free terms; created_at as the
    database stores it (text), so a different encoding would show."""
    name = {account: key for key, account in ids.items()}
    async with db.unit_of_work(write=False) as session:
        transfers = await session.execute(
            text(
                "SELECT id, kind, debit_account_id, credit_account_id, asset, amount, code,"
                " reference, pending_id, CAST(created_at AS TEXT) FROM ledger_transfers"
                " WHERE id LIKE :prefix ORDER BY id"
            ),
            {"prefix": f"{world}-%"},
        )
        accounts = await session.execute(
            text(
                "SELECT id, debits_posted, credits_posted, debits_pending, credits_pending"
                " FROM ledger_accounts"
            )
        )
        return (
            [(r[0].split("-", 1)[1], r[1], name[r[2]], name[r[3]], *r[4:]) for r in transfers],
            sorted((name[r[0]], *r[1:]) for r in accounts if r[0] in name),
        )


def test_direct_path_writes_what_the_session_path_writes(settings: Settings) -> None:
    db = Database(settings.resolved_database_url)

    @settings_for_parity
    @given(
        funding=st.lists(st.integers(0, 3_000), min_size=3, max_size=3),
        drafts=st.lists(transfer_drafts(), min_size=1, max_size=25),
    )
    def same_rows(funding: list[int], drafts: list[dict[str, Any]]) -> None:
        runner.run(compare(funding, drafts))

    async def compare(funding: list[int], drafts: list[dict[str, Any]]) -> None:
        worlds = await _fresh_worlds(db)
        fund = [
            {**_FUNDING, "id": f"fund-{i}", "credit_index": 2 + i, "amount": amount}
            for i, amount in enumerate(funding)
            if amount
        ]
        outcomes: dict[str, list[tuple[str, ...]]] = {world: [] for world in WORLDS}
        async with service.transfer_line(db) as line:
            for draft in [*fund, *drafts]:
                session_spec = _spec("session", draft, worlds["session"])
                outcomes["session"].append(await _outcome(_in_unit_of_work(db, session_spec)))
                direct_spec = _spec("direct", draft, worlds["direct"])
                outcomes["direct"].append(await _outcome(line.transfer(direct_spec)))
        assert outcomes["direct"] == outcomes["session"]
        direct_rows = await _rows(db, "direct", worlds["direct"])
        assert direct_rows == await _rows(db, "session", worlds["session"])

    clock.freeze(datetime(2026, 11, 30, 12, 0, 0, 123456, tzinfo=UTC))
    try:
        with asyncio.Runner() as runner:
            try:
                same_rows()
            finally:
                runner.run(db.dispose())
    finally:
        clock.reset()


_FUNDING = {
    "asset": Asset.USDC,
    "debit": Asset.USDC,
    "debit_index": 0,
    "code": TransferCode.deposit,
    "reference": None,
    "pending": False,
}


async def _in_unit_of_work(db: Database, spec: TransferSpec) -> TransferResult:
    async with db.unit_of_work() as session:
        return (await service.create_transfers(session, [spec]))[0]


settings_for_parity = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# --- answers ---------------------------------------------------------------------------------


async def test_transfer_answers_like_create_transfers(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
        source = await custody(session)
    spec = pay(alice, bob, 30, id="once")
    assert await service.transfer(db, spec) == TransferResult.created
    assert await service.transfer(db, spec) == TransferResult.exists  # applied once
    with pytest.raises(DomainError) as different:
        await service.transfer(db, pay(alice, bob, 31, id="once"))
    assert different.value.instance_code == "transfer_exists_different"
    with pytest.raises(InsufficientFunds):
        await service.transfer(db, pay(alice, bob, 71))
    with pytest.raises(DomainError) as invalid:
        await service.transfer(db, pay(alice, bob, 0))
    assert invalid.value.instance_code == "invalid_transfer"
    with pytest.raises(DomainError) as overflow:  # custody may go below zero, not past the bound
        await service.transfer(db, pay(source, bob, MAX_AMOUNT))
    assert overflow.value.instance_code == "balance_overflow"
    async with db.unit_of_work(write=False) as session:
        a, b = await balances(session, alice, bob)
        assert (a.total, b.total) == (70, 30)
        assert (await service.check(session)).ok


async def test_a_hold_made_on_a_line_is_posted_by_the_session_path(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
    async with service.transfer_line(db) as line:
        assert await line.transfer(pay(alice, bob, 60, id="hold", pending=True)) == "created"
        with pytest.raises(InsufficientFunds):  # the hold counts against what alice can spend
            await line.transfer(pay(alice, bob, 41))
    async with db.unit_of_work() as session:
        await service.post_pending(session, "hold", new_id="post", amount=50)
    async with db.unit_of_work(write=False) as session:
        a, b = await balances(session, alice, bob)
        assert (a.total, a.held, b.total, b.credits_pending) == (50, 0, 50, 0)


# --- concurrency -----------------------------------------------------------------------------

USERS = 6
FUNDING = 1_000
TASKS = 32
TRANSFERS_PER_TASK = 10


async def test_concurrent_lines_and_sessions_keep_every_invariant(db: Database) -> None:
    """32 tasks at once on 6 accounts, most on lines and some through the session path (the
    two lock in the same order), with duplicates of one id racing: no lost update, nobody
    below zero, the ledger sums to zero, the duplicate applied once."""
    async with db.unit_of_work() as session:
        users = [await funded_user(session, f"user-{i}", FUNDING) for i in range(USERS)]
    applied: list[TransferSpec] = []
    refused = 0
    duplicate = pay(users[0], users[1], 7, id="raced")
    duplicate_results: list[TransferResult] = []

    async def trader(task: int) -> None:
        nonlocal refused
        rng = random.Random(task)
        submit: Callable[[TransferSpec], Awaitable[TransferResult]]
        async with service.transfer_line(db) as line:
            session_path = task % 4 == 0
            submit = (lambda s: _in_unit_of_work(db, s)) if session_path else line.transfer
            duplicate_results.append(await submit(duplicate))
            for n in range(TRANSFERS_PER_TASK):
                debit, credit = rng.sample(users, 2)
                spec = pay(debit, credit, rng.randint(1, 450), id=f"task-{task}-{n}")
                try:
                    await submit(spec)
                except InsufficientFunds:
                    refused += 1
                else:
                    applied.append(spec)

    await asyncio.gather(*(trader(task) for task in range(TASKS)))

    assert sorted(duplicate_results) == [TransferResult.created] + [TransferResult.exists] * (
        TASKS - 1
    )
    assert refused > 0 and len(applied) > TASKS
    expected = dict.fromkeys(users, FUNDING)
    for spec in [duplicate, *applied]:
        expected[spec.debit_account_id] -= spec.amount
        expected[spec.credit_account_id] += spec.amount
    async with db.unit_of_work(write=False) as session:
        actual = {a: (await service.balance(session, a)).total for a in users}
        result = await service.check(session)
    assert actual == expected
    assert min(actual.values()) >= 0
    usdc = next(a for a in result.assets if a.asset is Asset.USDC)
    assert (usdc.balance_sum, usdc.accounts_below_zero, usdc.mismatched_accounts) == (0, 0, 0)
    assert result.ok


async def test_transfers_sent_together_answer_apart(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Transfers of many lines at once (on SQLite one hop of the process's writer carries them
    all, each its own transaction): a refused one writes nothing, the others commit, a repeat
    is applied once."""
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
    hops: list[int] = []
    real_hop = core_db.on_sqlite_thread

    async def counted(driver: Any, work: Callable[[Any], Any]) -> Any:
        outcome = await real_hop(driver, work)
        hops.append(len(outcome))
        return outcome

    monkeypatch.setattr(core_db, "on_sqlite_thread", counted)
    sent = [
        pay(alice, bob, 30, id="first"),
        pay(alice, bob, 500, id="short"),  # more than alice ever has: refused in any order
        pay(alice, bob, 30, id="first"),  # the same transfer again
        pay(alice, bob, 40, id="second"),
    ]

    async def on_a_line(spec: TransferSpec) -> tuple[str, ...]:
        async with service.transfer_line(db) as line:
            return await _outcome(line.transfer(spec))

    outcomes = await asyncio.gather(*(on_a_line(spec) for spec in sent))

    assert outcomes[1][:2] == ("refused", "insufficient_funds")
    assert sorted(o for i, o in enumerate(outcomes) if i != 1) == [
        ("ok", "created"),
        ("ok", "created"),
        ("ok", "exists"),
    ]
    if db.is_sqlite:
        assert hops == [1, 3]  # the first found the writer idle; the rest shared one hop
    async with db.unit_of_work(write=False) as session:
        a, b = await balances(session, alice, bob)
        assert (a.total, b.total) == (30, 70)
        stored = await session.execute(
            text("SELECT id FROM ledger_transfers WHERE id IN ('first', 'short', 'second')")
        )
        assert sorted(row[0] for row in stored) == ["first", "second"]
        assert (await service.check(session)).ok
