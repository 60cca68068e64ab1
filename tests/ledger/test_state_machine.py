"""Hypothesis state machine: random posted, pending, post, void, linked and duplicate-id
operations against a plain in-memory model of the ledger.

After every step the stored balances equal the model's, every asset sums to zero, no guarded
account is below zero, and the ledger check agrees. Failures must be the model's failures, with
the same error code, and change nothing.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select, text

from ece.config import Settings
from ece.core.db import Database
from ece.core.errors import DomainError
from ece.core.money import Asset
from ece.ledger import service
from ece.ledger.models import LedgerAccount, OwnerType, TransferCode, TransferKind
from ece.ledger.service import Operation, PostPending, TransferResult, TransferSpec, VoidPending

T = TypeVar("T")
Row = tuple[str, int, int, str, int, str, str | None, str | None]


@dataclass
class Model:
    """What the ledger should hold: balances [dp, cp, dpend, cpend] and the stored transfers."""

    balances: dict[int, list[int]] = field(default_factory=dict)
    guarded: set[int] = field(default_factory=set)
    stored: dict[str, Row] = field(default_factory=dict)
    resolved: set[str] = field(default_factory=set)

    def apply(self, ops: Sequence[Operation]) -> tuple[Model, str | None]:
        """The state after the batch, or the error code of its first failing operation."""
        after = copy.deepcopy(self)
        for op in ops:
            if isinstance(op, TransferSpec):
                kind = TransferKind.pending if op.pending else TransferKind.posted
                row: Row = (
                    kind.value,
                    op.debit_account_id,
                    op.credit_account_id,
                    op.asset.value,
                    op.amount,
                    op.code.value,
                    op.reference,
                    None,
                )
                if op.id in after.stored:
                    if after.stored[op.id] == row:
                        continue
                    return self, "transfer_exists_different"
                posted, pending = (0, op.amount) if op.pending else (op.amount, 0)
            else:
                held = after.stored.get(op.pending_id)
                if held is None:
                    return self, "pending_not_found"
                if held[0] != TransferKind.pending:
                    return self, "not_pending"
                is_post = isinstance(op, PostPending)
                amount = (op.amount if isinstance(op, PostPending) else None) or held[4]
                kind = TransferKind.post_pending if is_post else TransferKind.void_pending
                row = (kind.value, *held[1:4], amount, held[5], held[6], op.pending_id)
                if op.id in after.stored:
                    if after.stored[op.id] == row:
                        continue
                    return self, "transfer_exists_different"
                if op.pending_id in after.resolved:
                    return self, "pending_already_resolved"
                if amount > held[4]:
                    return self, "post_exceeds_pending"
                posted, pending = (amount if is_post else 0), -held[4]
                after.resolved.add(op.pending_id)
            debit, credit = after.balances[row[1]], after.balances[row[2]]
            debit[0] += posted
            debit[2] += pending
            credit[1] += posted
            credit[3] += pending
            if row[1] in after.guarded and debit[0] + debit[2] > debit[1]:
                return self, "insufficient_funds"
            after.stored[op.id] = row
        return after, None


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self, runner: asyncio.Runner, url: str) -> None:
        super().__init__()
        self.runner = runner
        # Each example deletes every account, so each gets a database with a new account-id cache.
        self.db = Database(url, session_info=service.AccountIdCache().session_info())
        self.model = Model()
        self.serial = 0
        self.accounts: dict[Asset, list[int]] = {}
        self.ops: dict[str, Operation] = {}
        self.run(self._reset())

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(coroutine)

    async def _reset(self) -> None:
        async with self.db.unit_of_work() as session:
            await session.execute(text("DELETE FROM ledger_transfers"))
            await session.execute(text("DELETE FROM ledger_accounts"))
            for asset in Asset:
                owners = [
                    (OwnerType.custody, "solana"),
                    (OwnerType.platform, "ece"),
                    *((OwnerType.user, f"user-{i}") for i in range(3)),
                ]
                ids = [await service.account_for(session, t, o, asset) for t, o in owners]
                self.accounts[asset] = ids
                for (owner_type, _), account in zip(owners, ids, strict=True):
                    self.model.balances[account] = [0, 0, 0, 0]
                    if owner_type is OwnerType.user:
                        self.model.guarded.add(account)

    def new_id(self) -> str:
        self.serial += 1
        return f"op-{self.serial}"

    def draw_spec(self, data: st.DataObject) -> TransferSpec:
        asset = data.draw(st.sampled_from(list(Asset)))
        debit, credit = data.draw(st.permutations(self.accounts[asset]))[:2]
        return TransferSpec(
            self.new_id(),
            debit,
            credit,
            asset,
            data.draw(st.integers(1, 400)),
            data.draw(st.sampled_from([TransferCode.trade, TransferCode.deposit])),
            reference=data.draw(st.none() | st.just("order-1")),
            pending=data.draw(st.booleans()),
        )

    def draw_resolution(self, data: st.DataObject) -> Operation:
        holds = sorted(i for i, r in self.model.stored.items() if r[0] == TransferKind.pending)
        target = data.draw(st.sampled_from(holds))
        if data.draw(st.booleans()):
            return VoidPending(self.new_id(), target)
        return PostPending(self.new_id(), target, data.draw(st.none() | st.integers(1, 420)))

    def submit(self, ops: list[Operation]) -> None:
        expected, error = self.model.apply(ops)

        async def call() -> list[TransferResult]:
            async with self.db.unit_of_work() as session:
                return await service.create_transfers(session, ops)

        try:
            results = self.run(call())
        except DomainError as exc:
            refused: str | None = exc.instance_code
        else:
            refused = None
        assert refused == error, (refused, error, ops)
        if refused is not None:
            return
        created = [r == TransferResult.created for r in results]
        assert created == [op.id not in self.model.stored for op in ops]
        self.model = expected
        self.ops.update((op.id, op) for op in ops)

    @rule(data=st.data())
    def single_transfer(self, data: st.DataObject) -> None:
        self.submit([self.draw_spec(data)])

    @precondition(lambda self: any(r[0] == "pending" for r in self.model.stored.values()))
    @rule(data=st.data())
    def resolve_hold(self, data: st.DataObject) -> None:
        self.submit([self.draw_resolution(data)])

    @rule(data=st.data())
    def linked_batch(self, data: st.DataObject) -> None:
        ops: list[Operation] = []
        for _ in range(data.draw(st.integers(2, 4))):
            can_resolve = any(r[0] == "pending" for r in self.model.stored.values())
            if can_resolve and data.draw(st.booleans()):
                ops.append(self.draw_resolution(data))
            else:
                ops.append(self.draw_spec(data))
        self.submit(ops)

    @precondition(lambda self: bool(self.ops))
    @rule(data=st.data(), altered=st.booleans())
    def repeat_an_id(self, data: st.DataObject, altered: bool) -> None:
        op = self.ops[data.draw(st.sampled_from(sorted(self.ops)))]
        if altered and isinstance(op, TransferSpec):
            op = TransferSpec(**{**_fields(op), "amount": op.amount + 1})
        self.submit([op])

    @invariant()
    def balances_match_the_model_and_sum_to_zero(self) -> None:
        async def read() -> dict[int, list[int]]:
            async with self.db.unit_of_work(write=False) as session:
                rows = await session.execute(select(LedgerAccount.__table__))
                return {
                    r.id: [r.debits_posted, r.credits_posted, r.debits_pending, r.credits_pending]
                    for r in rows
                }

        stored = self.run(read())
        assert stored == self.model.balances
        for asset, ids in self.accounts.items():
            assert sum(stored[a][1] - stored[a][0] for a in ids) == 0, asset
            assert sum(stored[a][3] - stored[a][2] for a in ids) == 0, asset
        for account in self.model.guarded:
            dp, cp, dpend, _ = stored[account]
            assert cp - dp - dpend >= 0

    def teardown(self) -> None:
        # The ledger check must agree, including balances recomputed from the stored transfers.
        try:
            result = self.run(service.run_check(self.db))
            assert result.ok, result
        finally:
            self.run(self.db.dispose())


def _fields(spec: TransferSpec) -> dict[str, Any]:
    return {name: getattr(spec, name) for name in TransferSpec.__slots__}


def test_ledger_matches_a_simple_model(settings: Settings) -> None:
    with asyncio.Runner() as runner:
        run_state_machine_as_test(
            lambda: LedgerMachine(runner, settings.resolved_database_url),
            settings=settings_for_machine,
        )


settings_for_machine = settings(
    max_examples=30,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
