"""The ledger's rules, without I/O: what a batch of transfers does to the balances it touches.

``plan`` takes a batch and the state it was read against (the locked balances, the stored
transfers the batch names, the holds already resolved) and returns the transfers to write and
each account's change, or raises the first refusal. A batch is one linked group: one refusal
refuses it all, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from ece.core.errors import Conflict, InsufficientFunds, NotFound, Unprocessable
from ece.core.money import MAX_AMOUNT, Asset, format_amount
from ece.ledger.models import TransferCode, TransferKind

MAIN = "main"  # the purpose of an owner's spendable account
MAX_ID_LENGTH = 100
MAX_REFERENCE_LENGTH = 128


@dataclass(frozen=True, slots=True)
class TransferSpec:
    """Move ``amount`` from the debit account to the credit account, at once or as a hold."""

    id: str
    debit_account_id: int
    credit_account_id: int
    asset: Asset
    amount: int
    code: TransferCode
    reference: str | None = None
    pending: bool = False


@dataclass(frozen=True, slots=True)
class PostPending:
    """Post a pending transfer: all of it (``amount=None``) or part, releasing the rest."""

    id: str
    pending_id: str
    amount: int | None = None


@dataclass(frozen=True, slots=True)
class VoidPending:
    """Release a pending transfer in full."""

    id: str
    pending_id: str


Operation = TransferSpec | PostPending | VoidPending


class TransferResult(StrEnum):
    created = "created"
    exists = "exists"  # the same transfer was applied before: nothing changed


@dataclass(frozen=True, slots=True)
class TransferRecord:
    """A transfer as stored (without its time): what a repeated id is compared against."""

    id: str
    kind: TransferKind
    debit_account_id: int
    credit_account_id: int
    asset: str
    amount: int
    code: str
    reference: str | None = None
    pending_id: str | None = None

    def same_details(self, other: TransferRecord) -> bool:
        return all(
            getattr(self, f.name) == getattr(other, f.name) for f in fields(self) if f.name != "id"
        )

    def as_row(self, created_at: datetime) -> dict[str, Any]:
        row = {f.name: getattr(self, f.name) for f in fields(self)}
        return {**row, "kind": self.kind.value, "created_at": created_at}


@dataclass(frozen=True, slots=True)
class Balance:
    """An account's four balances (TigerBeetle's), with what bounds them."""

    asset: str
    guarded: bool  # debits (posted + pending) must never exceed posted credits
    debits_posted: int = 0
    credits_posted: int = 0
    debits_pending: int = 0
    credits_pending: int = 0

    def debited(self, posted: int, pending: int) -> Balance:
        return replace(
            self,
            debits_posted=self.debits_posted + posted,
            debits_pending=self.debits_pending + pending,
        )

    def credited(self, posted: int, pending: int) -> Balance:
        return replace(
            self,
            credits_posted=self.credits_posted + posted,
            credits_pending=self.credits_pending + pending,
        )

    @property
    def below_zero(self) -> bool:
        """True when a guarded account owes more than it holds (the no-negative rule)."""
        return self.guarded and self.debits_posted + self.debits_pending > self.credits_posted

    @property
    def shortfall(self) -> int:
        """How far a guarded account is below zero (0 when it is not)."""
        return max(0, self.debits_posted + self.debits_pending - self.credits_posted)

    def minus(self, before: Balance) -> BalanceChange:
        return BalanceChange(
            self.debits_posted - before.debits_posted,
            self.credits_posted - before.credits_posted,
            self.debits_pending - before.debits_pending,
            self.credits_pending - before.credits_pending,
        )


@dataclass(frozen=True, slots=True)
class BalanceChange:
    """What a batch adds to one account's balances (pending ones may shrink)."""

    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int


def invalid(detail: str) -> Unprocessable:
    return Unprocessable(detail, code="invalid_transfer")


def check_shape(ops: Sequence[Operation]) -> None:
    """Refuse a malformed batch before anything is read: ids, amounts, accounts, enums."""
    seen: set[str] = set()
    for op in ops:
        if not isinstance(op.id, str) or not 1 <= len(op.id) <= MAX_ID_LENGTH:
            raise invalid(f"A transfer id is 1 to {MAX_ID_LENGTH} characters.")
        if op.id in seen:
            raise invalid(f"Transfer id {op.id!r} appears twice in one batch.")
        seen.add(op.id)
        amount = op.amount if isinstance(op, TransferSpec | PostPending) else 1
        if amount is not None and not valid_amount(amount):
            raise invalid(f"Transfer {op.id!r}: the amount must be 1 to {MAX_AMOUNT} base units.")
        if isinstance(op, TransferSpec):
            if op.debit_account_id == op.credit_account_id:
                raise invalid(f"Transfer {op.id!r} debits and credits the same account.")
            Asset(op.asset)
            TransferCode(op.code)
            if op.reference is not None and len(op.reference) > MAX_REFERENCE_LENGTH:
                raise invalid(
                    f"Transfer {op.id!r}: the reference is over {MAX_REFERENCE_LENGTH} characters."
                )


def valid_amount(amount: object) -> bool:
    return isinstance(amount, int) and not isinstance(amount, bool) and 0 < amount <= MAX_AMOUNT


def accounts_named(ops: Sequence[Operation], holds: Mapping[str, TransferRecord]) -> set[int]:
    """Every account the batch can move: its specs' and the stored holds' it resolves."""
    ids: set[int] = set()
    for op in ops:
        if isinstance(op, TransferSpec):
            ids.update((op.debit_account_id, op.credit_account_id))
    for hold in holds.values():
        ids.update((hold.debit_account_id, hold.credit_account_id))
    return ids


def record_of(spec: TransferSpec) -> TransferRecord:
    return TransferRecord(
        id=spec.id,
        kind=TransferKind.pending if spec.pending else TransferKind.posted,
        debit_account_id=spec.debit_account_id,
        credit_account_id=spec.credit_account_id,
        asset=Asset(spec.asset).value,
        amount=spec.amount,
        code=TransferCode(spec.code).value,
        reference=spec.reference,
    )


def resolution_of(op: PostPending | VoidPending, hold: TransferRecord | None) -> TransferRecord:
    """The transfer that posts or voids ``hold`` (all of it unless a post names an amount)."""
    if hold is None:
        raise NotFound(f"No pending transfer {op.pending_id!r}.", code="pending_not_found")
    if hold.kind != TransferKind.pending:
        raise Conflict(f"Transfer {op.pending_id!r} is not pending.", code="not_pending")
    is_post = isinstance(op, PostPending)
    return replace(
        hold,
        id=op.id,
        kind=TransferKind.post_pending if is_post else TransferKind.void_pending,
        amount=(op.amount if isinstance(op, PostPending) else None) or hold.amount,
        pending_id=op.pending_id,
    )


def is_repeat(record: TransferRecord, stored: TransferRecord | None) -> bool:
    """True for an idempotent repeat; raises when the id is taken by a different transfer."""
    if stored is None:
        return False
    if not record.same_details(stored):
        raise Conflict(
            f"Transfer {record.id!r} exists with different details.",
            code="transfer_exists_different",
        )
    return True


def check_accounts(record: TransferRecord, balances: Mapping[int, Balance]) -> None:
    """Both accounts exist and hold the transfer's asset."""
    for account_id in (record.debit_account_id, record.credit_account_id):
        found = balances.get(account_id)
        if found is None:
            raise NotFound(f"No ledger account {account_id}.", code="account_not_found")
        if found.asset != record.asset:
            raise Conflict(
                f"Transfer {record.id!r}: account {account_id} does not hold {record.asset}.",
                code="asset_mismatch",
            )


def check_resolvable(record: TransferRecord, hold: TransferRecord, resolved: set[str]) -> None:
    """A hold resolves exactly once, posting at most what it holds."""
    if hold.id in resolved:
        raise Conflict(
            f"Pending transfer {hold.id!r} was already posted or voided.",
            code="pending_already_resolved",
        )
    if record.amount > hold.amount:
        raise Conflict(
            f"Cannot post {record.amount} of a transfer holding {hold.amount}.",
            code="post_exceeds_pending",
        )


def short_of_funds(asset: str, missing: int) -> InsufficientFunds:
    """409 ``insufficient_funds`` naming the asset and how much more it needs (a decimal)."""
    return InsufficientFunds(
        "Not enough available funds.",
        asset=asset,
        missing=format_amount(missing, Asset(asset)),
    )


def check_bounds(record: TransferRecord, debit: Balance, credit: Balance) -> None:
    """Guarded accounts never go below zero; no balance passes ``MAX_AMOUNT``."""
    if debit.below_zero:
        raise short_of_funds(record.asset, debit.shortfall)
    if (
        max(
            debit.debits_posted + debit.debits_pending,
            credit.credits_posted + credit.credits_pending,
        )
        > MAX_AMOUNT
    ):
        raise Conflict(f"Transfer {record.id!r} overflows a balance.", code="balance_overflow")


@dataclass(slots=True)
class Plan:
    """A batch worked out against the state it was read with: what to write, and the results."""

    balances: dict[int, Balance]
    holds: dict[str, TransferRecord]  # stored holds the batch names, then the batch's own
    existing: Mapping[str, TransferRecord]
    resolved: set[str]
    before: dict[int, Balance] = field(default_factory=dict)
    records: list[TransferRecord] = field(default_factory=list)
    results: list[TransferResult] = field(default_factory=list)

    def move(self, record: TransferRecord, posted: int, pending: int) -> None:
        debit_id, credit_id = record.debit_account_id, record.credit_account_id
        for account_id in (debit_id, credit_id):
            self.before.setdefault(account_id, self.balances[account_id])
        debit = self.balances[debit_id] = self.balances[debit_id].debited(posted, pending)
        credit = self.balances[credit_id] = self.balances[credit_id].credited(posted, pending)
        check_bounds(record, debit, credit)

    def add(self, op: Operation) -> None:
        if isinstance(op, TransferSpec):
            record = record_of(op)
            if is_repeat(record, self.existing.get(op.id)):
                self.results.append(TransferResult.exists)
                return
            check_accounts(record, self.balances)
            if op.pending:
                self.move(record, 0, op.amount)
                self.holds.setdefault(op.id, record)
            else:
                self.move(record, op.amount, 0)
        else:
            hold = self.holds.get(op.pending_id)
            record = resolution_of(op, hold)
            if is_repeat(record, self.existing.get(op.id)):
                self.results.append(TransferResult.exists)
                return
            assert hold is not None  # resolution_of refused a missing hold
            check_resolvable(record, hold, self.resolved)
            posted = record.amount if record.kind == TransferKind.post_pending else 0
            self.move(record, posted, -hold.amount)
            self.resolved.add(op.pending_id)
        self.records.append(record)
        self.results.append(TransferResult.created)

    @property
    def changes(self) -> dict[int, BalanceChange]:
        """Each moved account's change, in account-id order (the order rows are updated in)."""
        return {a: self.balances[a].minus(self.before[a]) for a in sorted(self.before)}


def plan(
    ops: Sequence[Operation],
    *,
    balances: Mapping[int, Balance],
    stored_holds: Mapping[str, TransferRecord],
    existing: Mapping[str, TransferRecord],
    resolved: set[str],
) -> Plan:
    """Work a batch out in order; raises the first refusal (then nothing may be written).

    ``ops`` passed ``check_shape`` (before anything was read for them)."""
    batch = Plan(dict(balances), dict(stored_holds), existing, set(resolved))
    for index, op in enumerate(ops):
        try:
            batch.add(op)
        except InsufficientFunds as refusal:
            if not isinstance(op, TransferSpec):
                raise
            raise _whole_shortfall(batch, op, ops[index + 1 :]) from refusal
    return batch


def _whole_shortfall(
    batch: Plan, failed: TransferSpec, rest: Sequence[Operation]
) -> InsufficientFunds:
    """The refusal saying how much the account is short for the whole batch (a sale's price,
    not only its first leg): the failed leg's shortfall plus what later legs debit from it."""
    account_id = failed.debit_account_id
    balance = batch.balances[account_id]  # the failed leg is already counted in it
    later = sum(
        op.amount
        for op in rest
        if isinstance(op, TransferSpec) and op.debit_account_id == account_id
    )
    return short_of_funds(balance.asset, balance.shortfall + later)
