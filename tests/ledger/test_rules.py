"""The ledger's rules without a database: refusals, holds resolved once, and the arithmetic
(every batch sums to zero per asset; guarded accounts never go below zero)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ece.core.errors import Conflict, DomainError, InsufficientFunds, NotFound, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset
from ece.ledger.models import TransferCode, TransferKind
from ece.ledger.rules import (
    Balance,
    Operation,
    Plan,
    PostPending,
    TransferRecord,
    TransferResult,
    TransferSpec,
    VoidPending,
    check_shape,
    plan,
    record_of,
)

USDC, ECE = Asset.USDC.value, Asset.ECE.value
# Accounts 1-3 hold USDC, 4-5 ECE; 1 and 4 are unguarded (custody), the others users.
ACCOUNTS = {
    1: Balance(USDC, guarded=False),
    2: Balance(USDC, guarded=True),
    3: Balance(USDC, guarded=True),
    4: Balance(ECE, guarded=False),
    5: Balance(ECE, guarded=True),
}
ASSET_ACCOUNTS = {Asset.USDC: [1, 2, 3], Asset.ECE: [4, 5]}


def spec(id: str, debit: int, credit: int, amount: int, *, pending: bool = False) -> TransferSpec:
    asset = Asset.USDC if debit in ASSET_ACCOUNTS[Asset.USDC] else Asset.ECE
    return TransferSpec(id, debit, credit, asset, amount, TransferCode.trade, pending=pending)


def run(
    ops: Sequence[Operation],
    *,
    balances: Mapping[int, Balance] = ACCOUNTS,
    holds: Mapping[str, TransferRecord] | None = None,
    existing: Mapping[str, TransferRecord] | None = None,
    resolved: set[str] | None = None,
) -> Plan:
    check_shape(ops)
    return plan(
        ops,
        balances=balances,
        stored_holds=holds or {},
        existing=existing or {},
        resolved=resolved or set(),
    )


def code_of(ops: Sequence[Operation], **state: object) -> str | None:
    try:
        run(ops, **state)  # type: ignore[arg-type]
    except DomainError as exc:
        return exc.instance_code
    return None


# ---------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    "op",
    [
        spec("", 1, 2, 1),
        spec("x" * 101, 1, 2, 1),
        spec("t", 1, 2, 0),
        spec("t", 1, 2, -5),
        spec("t", 1, 2, MAX_AMOUNT + 1),
        spec("t", 1, 2, True),
        spec("t", 2, 2, 1),
        PostPending("t", "h", 0),
        TransferSpec("t", 1, 2, Asset.USDC, 1, TransferCode.trade, reference="r" * 129),
    ],
)
def test_a_malformed_transfer_is_invalid(op: Operation) -> None:
    with pytest.raises(Unprocessable) as refused:
        check_shape([op])
    assert refused.value.instance_code == "invalid_transfer"


def test_an_id_twice_in_one_batch_is_invalid() -> None:
    with pytest.raises(Unprocessable):
        check_shape([spec("t", 1, 2, 1), spec("t", 1, 3, 1)])


def test_accounts_must_exist_and_hold_the_asset() -> None:
    assert code_of([spec("t", 1, 9, 1)]) == "account_not_found"
    assert code_of([TransferSpec("t", 1, 5, Asset.USDC, 1, TransferCode.trade)]) == (
        "asset_mismatch"
    )


def test_a_user_cannot_spend_what_they_do_not_have() -> None:
    with pytest.raises(InsufficientFunds):
        run([spec("in", 1, 2, 10), spec("out", 2, 3, 11)])
    # Custody mirrors value outside the ledger: it may go below zero.
    assert (
        run([spec("in", 1, 2, 10), spec("out", 2, 3, 10)]).results == [TransferResult.created] * 2
    )


def test_a_balance_cannot_overflow() -> None:
    full = {**ACCOUNTS, 2: Balance(USDC, True, credits_posted=MAX_AMOUNT)}
    assert code_of([spec("t", 1, 2, 1)], balances=full) == "balance_overflow"


def test_a_repeated_id_is_a_no_op_or_a_conflict() -> None:
    stored = record_of(spec("t", 1, 2, 5))
    repeat = run([spec("t", 1, 2, 5)], existing={"t": stored})
    assert repeat.results == [TransferResult.exists]
    assert repeat.records == [] and repeat.changes == {}
    assert code_of([spec("t", 1, 2, 6)], existing={"t": stored}) == "transfer_exists_different"


def test_a_hold_is_posted_or_voided_exactly_once() -> None:
    hold = record_of(spec("h", 1, 2, 10, pending=True))
    holds = {"h": hold}
    assert code_of([PostPending("p", "missing")]) == "pending_not_found"
    posted = record_of(spec("x", 1, 2, 10))
    assert code_of([VoidPending("v", "x")], holds={"x": posted}) == "not_pending"
    assert code_of([PostPending("p", "h", 11)], holds=holds) == "post_exceeds_pending"
    assert code_of([VoidPending("v", "h")], holds=holds, resolved={"h"}) == (
        "pending_already_resolved"
    )
    twice = [PostPending("p", "h", 4), VoidPending("v", "h")]
    assert code_of(twice, holds=holds) == "pending_already_resolved"


def test_a_partial_post_releases_the_rest() -> None:
    hold = record_of(spec("h", 1, 2, 10, pending=True))
    before = {
        **ACCOUNTS,
        1: Balance(USDC, False, debits_pending=10),
        2: Balance(USDC, True, credits_pending=10),
    }
    batch = run([PostPending("p", "h", 4)], balances=before, holds={"h": hold})
    assert batch.records[0].kind == TransferKind.post_pending
    assert batch.records[0].amount == 4
    assert batch.balances[1] == Balance(USDC, False, debits_posted=4)
    assert batch.balances[2] == Balance(USDC, True, credits_posted=4)


def test_one_failing_operation_refuses_the_whole_batch() -> None:
    ops = [spec("ok", 1, 2, 5), spec("bad", 3, 2, 1)]
    assert code_of(ops) == "insufficient_funds"


# ---------------------------------------------------------------------------------------------
# The arithmetic, over random batches


@st.composite
def batches(draw: st.DrawFn) -> list[Operation]:
    """Transfers and holds between the accounts, and posts and voids of the batch's holds."""
    ops: list[Operation] = []
    holds: list[str] = []
    for i in range(draw(st.integers(1, 12))):
        if holds and draw(st.booleans()):
            target = draw(st.sampled_from(holds))
            amount = draw(st.none() | st.integers(1, 60))
            ops.append(
                PostPending(f"r{i}", target, amount)
                if draw(st.booleans())
                else VoidPending(f"r{i}", target)
            )
            continue
        asset = draw(st.sampled_from(list(ASSET_ACCOUNTS)))
        debit, credit = draw(st.permutations(ASSET_ACCOUNTS[asset]))[:2]
        pending = draw(st.booleans())
        ops.append(spec(f"t{i}", debit, credit, draw(st.integers(1, 50)), pending=pending))
        if pending:
            holds.append(f"t{i}")
    return ops


funded = st.fixed_dictionaries({a: st.integers(0, 100) for a in (2, 3, 5)}).map(
    lambda credits: {
        **ACCOUNTS,
        **{a: Balance(ACCOUNTS[a].asset, True, credits_posted=c) for a, c in credits.items()},
        # Custody's side of those deposits, so the starting balances sum to zero too.
        1: Balance(USDC, False, debits_posted=credits[2] + credits[3]),
        4: Balance(ECE, False, debits_posted=credits[5]),
    }
)


@given(ops=batches(), start=funded)
def test_a_batch_sums_to_zero_and_leaves_no_user_below_zero(
    ops: list[Operation], start: dict[int, Balance]
) -> None:
    try:
        batch = run(ops, balances=start)
    except (Conflict, InsufficientFunds, NotFound):
        return  # refused as a whole: nothing planned is written
    for asset, ids in ASSET_ACCOUNTS.items():
        after = [batch.balances[a] for a in ids]
        assert sum(b.credits_posted - b.debits_posted for b in after) == 0, asset
        assert sum(b.credits_pending - b.debits_pending for b in after) == 0, asset
    for account_id, after in batch.balances.items():
        if after.guarded:  # available = credits posted - debits posted - debits held
            assert after.credits_posted - after.debits_posted - after.debits_pending >= 0, (
                account_id
            )
        assert min(after.debits_pending, after.credits_pending) >= 0
    # The changes written are exactly the difference the batch made.
    for account_id, change in batch.changes.items():
        before, after = start[account_id], batch.balances[account_id]
        assert after.debits_posted == before.debits_posted + change.debits_posted
        assert after.credits_pending == before.credits_pending + change.credits_pending
    assert set(batch.changes) <= set(start)


@given(ops=batches(), start=funded)
def test_each_hold_resolves_at_most_once_and_within_its_amount(
    ops: list[Operation], start: dict[int, Balance]
) -> None:
    try:
        batch = run(ops, balances=start)
    except (Conflict, InsufficientFunds, NotFound):
        return
    by_id = {r.id: r for r in batch.records}
    resolutions = [r for r in batch.records if r.pending_id is not None]
    assert len({r.pending_id for r in resolutions}) == len(resolutions)
    for r in resolutions:
        assert r.pending_id is not None
        hold = by_id[r.pending_id]
        assert hold.kind == TransferKind.pending
        assert r.amount <= hold.amount
    assert batch.results == [TransferResult.created] * len(ops)


@given(ops=batches(), start=funded)
def test_a_batch_replayed_against_its_own_records_changes_nothing(
    ops: list[Operation], start: dict[int, Balance]
) -> None:
    try:
        first = run(ops, balances=start)
    except (Conflict, InsufficientFunds, NotFound):
        return
    stored = {r.id: r for r in first.records}
    holds = {r.id: r for r in first.records if r.kind == TransferKind.pending}
    again = run(ops, balances=first.balances, holds=holds, existing=stored, resolved=set())
    assert again.results == [TransferResult.exists] * len(ops)
    assert again.records == [] and again.changes == {}
