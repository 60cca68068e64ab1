"""Real concurrency: every task has its own unit of work (its own connection and transaction).

On SQLite the writers queue on the database lock; on PostgreSQL on the balance rows' locks.
"""

from __future__ import annotations

import asyncio
import random

from ece.core.db import Database
from ece.core.errors import Conflict, InsufficientFunds
from ece.core.money import Asset
from ece.ledger import service
from ece.ledger.models import OwnerType
from ece.ledger.service import PostPending, TransferResult, TransferSpec, VoidPending
from tests.ledger.support import funded_user, pay

USERS = 10
FUNDING = 1_000
TASKS = 32
TRANSFERS_PER_TASK = 12


async def test_parallel_random_transfers_keep_every_invariant(db: Database) -> None:
    async with db.unit_of_work() as session:
        users = [await funded_user(session, f"user-{i}", FUNDING) for i in range(USERS)]
    applied: list[TransferSpec] = []
    refused = 0

    async def trader(task: int) -> None:
        nonlocal refused
        rng = random.Random(task)
        for n in range(TRANSFERS_PER_TASK):
            debit, credit = rng.sample(users, 2)
            # Up to 60% of a starting balance: many succeed, and some must fail for lack of funds.
            spec = pay(debit, credit, rng.randint(1, 600), id=f"task-{task}-{n}")
            try:
                async with db.unit_of_work() as session:
                    await service.create_transfers(session, [spec])
            except InsufficientFunds:
                refused += 1
            else:
                applied.append(spec)

    await asyncio.gather(*(trader(task) for task in range(TASKS)))

    assert refused > 0 and len(applied) > TASKS
    assert refused + len(applied) == TASKS * TRANSFERS_PER_TASK
    expected = dict.fromkeys(users, FUNDING)
    for spec in applied:
        expected[spec.debit_account_id] -= spec.amount
        expected[spec.credit_account_id] += spec.amount
    async with db.unit_of_work(write=False) as session:
        actual = {a: (await service.balance(session, a)).total for a in users}
        result = await service.check(session)
    assert actual == expected  # no lost update: each balance is its applied transfers' sum
    assert min(actual.values()) >= 0
    usdc = next(a for a in result.assets if a.asset is Asset.USDC)
    assert (usdc.balance_sum, usdc.accounts_below_zero, usdc.mismatched_accounts) == (0, 0, 0)
    assert result.ok


async def test_racing_resolutions_of_one_hold_only_one_wins(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 1_000)
        bob = await funded_user(session, "bob", 0)
        await service.create_transfers(
            session, [pay(alice, bob, 100, id=f"hold-{i}", pending=True) for i in range(5)]
        )

    async def resolve(operation: PostPending | VoidPending) -> str:
        try:
            async with db.unit_of_work() as session:
                await service.create_transfers(session, [operation])
        except Conflict as error:
            return error.instance_code
        return "won"

    moved = {"post-all": 100, "post-part": 40, "void": 0}
    expected_paid = 0
    for i in range(5):
        names = list(moved)
        outcomes = await asyncio.gather(
            resolve(PostPending(f"post-all-{i}", f"hold-{i}")),
            resolve(PostPending(f"post-part-{i}", f"hold-{i}", 40)),
            resolve(VoidPending(f"void-{i}", f"hold-{i}")),
        )
        assert sorted(outcomes) == ["pending_already_resolved"] * 2 + ["won"]
        expected_paid += moved[names[outcomes.index("won")]]
    async with db.unit_of_work(write=False) as session:
        a, b = await service.balance(session, alice), await service.balance(session, bob)
        assert (a.held, a.total, b.total, b.credits_pending) == (
            0,
            1_000 - expected_paid,
            expected_paid,
            0,
        )
        assert (await service.check(session)).ok


async def test_concurrent_duplicates_of_one_transfer_apply_once(db: Database) -> None:
    async with db.unit_of_work() as session:
        alice = await funded_user(session, "alice", 100)
        bob = await funded_user(session, "bob", 0)
    spec = pay(alice, bob, 30, id="retry-me")

    async def submit() -> TransferResult:
        async with db.unit_of_work() as session:
            return (await service.create_transfers(session, [spec]))[0]

    results = await asyncio.gather(*(submit() for _ in range(8)))
    assert sorted(results) == [TransferResult.created] + [TransferResult.exists] * 7
    async with db.unit_of_work(write=False) as session:
        assert (await service.balance(session, bob)).total == 30


async def test_concurrent_first_use_creates_one_account(db: Database) -> None:
    async def open_account() -> int:
        async with db.unit_of_work() as session:
            return await service.account_for(session, OwnerType.user, "newcomer", Asset.ECE)

    ids = await asyncio.gather(*(open_account() for _ in range(8)))
    assert len(set(ids)) == 1
