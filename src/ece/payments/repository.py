"""Every SQL statement on the payments tables: deposits, receipts, unclaimed payments, chain
cursors, withdrawals and their daily quotas. No decisions here: the conditions that filter rows
mirror ``rules`` (pinned together by ``tests/payments/test_rules_sql.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import CursorResult, Select, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.clock import as_utc, utcnow
from ece.core.db import insert_or_ignore
from ece.core.money import Asset
from ece.core.pagination import PageParams, SortKey, newest_first, paginate
from ece.payments.models import (
    ChainCursor,
    Deposit,
    DepositReceipt,
    DepositStatus,
    PaymentAsset,
    ReceiptOutcome,
    UnclaimedPayment,
    UnclaimedStatus,
    Withdrawal,
    WithdrawalQuota,
    WithdrawalStatus,
)

PAGE = 200  # deposits per read


Row = Deposit | UnclaimedPayment | Withdrawal
R = TypeVar("R", Deposit, UnclaimedPayment, Withdrawal)


async def add(session: AsyncSession, row: Row) -> None:
    session.add(row)
    await session.flush()


async def get(
    session: AsyncSession, model: type[R], row_id: str, *, fresh: bool = False
) -> R | None:
    return await session.get(model, row_id, populate_existing=fresh)


async def history(
    session: AsyncSession, model: type[R], params: PageParams, *where: Any
) -> tuple[list[R], str | None]:
    """Rows of ``model`` matching ``where``, newest first, one page."""
    return await newest_first(session, select(model).where(*where), model, params)


# --- deposits ---------------------------------------------------------------------------------


def _open_deposits(user_id: str) -> Select[Deposit]:
    return select(Deposit).where(
        Deposit.user_id == user_id, Deposit.status == DepositStatus.awaiting_transfer.value
    )


async def deposit_by_pay_token(session: AsyncSession, token: str) -> Deposit | None:
    return await session.scalar(select(Deposit).where(Deposit.pay_token == token))


async def open_deposit_of_card(session: AsyncSession, user_id: str, card_id: str) -> str | None:
    query = _open_deposits(user_id).where(Deposit.card_id == card_id)
    found = await session.scalar(query.order_by(Deposit.created_at).limit(1))
    return None if found is None else found.id


async def count_open_deposits(session: AsyncSession, user_id: str) -> int:
    count = await session.scalar(
        select(func.count()).select_from(_open_deposits(user_id).subquery())
    )
    return count or 0


async def lock_deposits_by_reference(
    session: AsyncSession, references: Sequence[str]
) -> Sequence[Deposit]:
    return (
        await session.scalars(
            select(Deposit)
            .where(Deposit.reference.in_(references))
            .order_by(Deposit.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()


def watched_by_reference(late_since: datetime) -> Any:
    """SQL twin of ``rules.is_watched_by_reference``."""
    return or_(
        Deposit.status == DepositStatus.awaiting_transfer.value,
        and_(
            Deposit.asset == PaymentAsset.CARD.value,
            Deposit.status == DepositStatus.expired.value,
            Deposit.expires_at > late_since,
        ),
    )


async def watched_references(
    session: AsyncSession, late_since: datetime, after: tuple[datetime, str] | None
) -> list[tuple[datetime, str, str]]:
    """A page of (created_at, id, reference) of deposits scanned by reference, after ``after``."""
    query = select(Deposit.created_at, Deposit.id, Deposit.reference).where(
        watched_by_reference(late_since)
    )
    if after is not None:
        query = query.where(
            or_(
                Deposit.created_at > after[0],
                and_(Deposit.created_at == after[0], Deposit.id > after[1]),
            )
        )
    rows = await session.execute(query.order_by(Deposit.created_at, Deposit.id).limit(PAGE))
    return [(created, deposit_id, reference) for created, deposit_id, reference in rows]


def due_to_expire(deadline: datetime) -> Any:
    """SQL twin of ``rules.is_due_to_expire``."""
    return and_(
        Deposit.status == DepositStatus.awaiting_transfer.value, Deposit.expires_at < deadline
    )


async def claim_due_to_expire(session: AsyncSession, deadline: datetime) -> Sequence[Deposit]:
    return (
        await session.scalars(
            select(Deposit)
            .where(due_to_expire(deadline))
            .order_by(Deposit.expires_at, Deposit.id)
            .limit(PAGE)
            .with_for_update(skip_locked=True)
        )
    ).all()


# --- receipts and the chain cursor ------------------------------------------------------------


async def insert_receipt(session: AsyncSession, **values: Any) -> bool:
    """Record one transfer into custody; False if it was recorded before (by anyone)."""
    result = await session.execute(
        insert_or_ignore(session, DepositReceipt).values(created_at=utcnow(), **values)
    )
    return getattr(result, "rowcount", 0) == 1


async def list_receipts(
    session: AsyncSession, outcome: ReceiptOutcome | None, params: PageParams
) -> tuple[list[DepositReceipt], str | None]:
    query = select(DepositReceipt)
    if outcome is not None:
        query = query.where(DepositReceipt.outcome == outcome.value)
    # Receipts have no id column: the signature and instruction index order them instead.
    return await paginate(
        session,
        query,
        [
            SortKey(DepositReceipt.created_at, True),
            SortKey(DepositReceipt.signature, True),
            SortKey(DepositReceipt.instruction_index, True),
        ],
        params,
        lambda row: (row.created_at, row.signature, row.instruction_index),
    )


async def cursor_of(session: AsyncSession, account: str) -> str | None:
    return await session.scalar(select(ChainCursor.signature).where(ChainCursor.account == account))


async def advance_cursor(session: AsyncSession, account: str, signature: str) -> None:
    # Insert-or-ignore, then update: two first runs at once cannot collide on the new row.
    await session.execute(
        insert_or_ignore(session, ChainCursor).values(
            account=account, signature=signature, updated_at=utcnow()
        )
    )
    await session.execute(
        update(ChainCursor)
        .where(ChainCursor.account == account)
        .values(signature=signature, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


# --- unclaimed payments -----------------------------------------------------------------------


async def lock_unclaimed(session: AsyncSession, unclaimed_id: str) -> UnclaimedPayment | None:
    return await session.scalar(
        select(UnclaimedPayment)
        .where(UnclaimedPayment.id == unclaimed_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _open_parked_cards() -> Any:
    return and_(
        UnclaimedPayment.status == UnclaimedStatus.open.value, UnclaimedPayment.card_id.is_not(None)
    )


async def open_unclaimed_of_card(session: AsyncSession, card_id: str) -> str | None:
    return await session.scalar(
        select(UnclaimedPayment.id).where(_open_parked_cards(), UnclaimedPayment.card_id == card_id)
    )


async def open_unclaimed_card_ids(session: AsyncSession) -> set[str]:
    found = await session.scalars(select(UnclaimedPayment.card_id).where(_open_parked_cards()))
    return {card_id for card_id in found if card_id is not None}


# --- withdrawals ------------------------------------------------------------------------------


def _quota(user_id: str, asset: str, day: str) -> Any:
    return and_(
        WithdrawalQuota.user_id == user_id,
        WithdrawalQuota.asset == asset,
        WithdrawalQuota.day == day,
    )


async def use_quota(
    session: AsyncSession, user_id: str, asset: str, day: str, amount: int, limit: int
) -> bool:
    """Count ``amount`` against the day's quota if ``rules.fits_quota``; one conditional UPDATE,
    so concurrent withdrawals cannot both slip under the limit."""
    await session.execute(
        insert_or_ignore(session, WithdrawalQuota).values(
            user_id=user_id, asset=asset, day=day, used=0
        )
    )
    result = await session.execute(
        update(WithdrawalQuota)
        .where(_quota(user_id, asset, day), WithdrawalQuota.used + amount <= limit)
        .values(used=WithdrawalQuota.used + amount)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def give_back_quota(session: AsyncSession, withdrawal: Withdrawal) -> None:
    await session.execute(
        update(WithdrawalQuota)
        .where(_quota(withdrawal.user_id, withdrawal.asset, withdrawal.quota_day))
        .values(used=WithdrawalQuota.used - withdrawal.amount)
        .execution_options(synchronize_session=False)
    )


async def claim_pending(session: AsyncSession, limit: int) -> Sequence[Withdrawal]:
    return (
        await session.scalars(
            select(Withdrawal)
            .where(Withdrawal.status == WithdrawalStatus.pending.value)
            .order_by(Withdrawal.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()


async def sent(session: AsyncSession, limit: int) -> list[tuple[str, str, bytes, int]]:
    """(id, signature, signed transaction, last valid height) of ``sent`` withdrawals."""
    rows = await session.execute(
        select(
            Withdrawal.id,
            Withdrawal.signature,
            Withdrawal.signed_transaction,
            Withdrawal.last_valid_block_height,
        )
        .where(Withdrawal.status == WithdrawalStatus.sent.value)
        .order_by(Withdrawal.sent_at)
        .limit(limit)
    )
    found = []
    for withdrawal_id, signature, raw, last_valid in rows:
        # A sent row always carries them (set in the same UPDATE as the status).
        assert signature is not None and raw is not None and last_valid is not None
        found.append((withdrawal_id, signature, raw, last_valid))
    return found


async def finish_sent(
    session: AsyncSession, withdrawal_id: str, status: WithdrawalStatus, reason: str | None
) -> bool:
    """Move a ``sent`` withdrawal to ``status``; False if another worker finished it first."""
    result = await session.execute(
        update(Withdrawal)
        .where(Withdrawal.id == withdrawal_id, Withdrawal.status == WithdrawalStatus.sent.value)
        .values(status=status.value, finished_at=utcnow(), failure_reason=reason)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


async def leave_review(session: AsyncSession, withdrawal_id: str, status: WithdrawalStatus) -> bool:
    """Move a withdrawal out of ``review`` (to ``pending``, or ``rejected``); False if it is not
    in review (decided already)."""
    finished = None if status is WithdrawalStatus.pending else utcnow()
    result = await session.execute(
        update(Withdrawal)
        .where(Withdrawal.id == withdrawal_id, Withdrawal.status == WithdrawalStatus.review.value)
        .values(status=status.value, finished_at=finished)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


class InFlight(NamedTuple):
    asset: str
    amount: int
    card_id: str | None
    signature: str


async def in_flight(session: AsyncSession) -> list[InFlight]:
    """``sent`` withdrawals: signed and broadcast, their outcome not recorded yet."""
    rows = await session.execute(
        select(Withdrawal.asset, Withdrawal.amount, Withdrawal.card_id, Withdrawal.signature).where(
            Withdrawal.status == WithdrawalStatus.sent.value
        )
    )
    found = []
    for asset, amount, card_id, signature in rows:
        assert signature is not None  # set together with status "sent"
        found.append(InFlight(asset, amount, card_id, signature))
    return found


async def withdrawn_since(session: AsyncSession, user_id: str, since: datetime) -> dict[Asset, int]:
    """Coins ``user_id`` withdrew (not failed) since ``since``, per asset: one query on the
    ``user_id, created_at`` index, counted by the KYC withdrawal limit."""
    rows = await session.execute(
        select(Withdrawal.asset, func.sum(Withdrawal.amount))
        .where(
            Withdrawal.user_id == user_id,
            Withdrawal.created_at >= since,
            Withdrawal.asset.in_([a.value for a in Asset]),
            Withdrawal.status != WithdrawalStatus.failed.value,
        )
        .group_by(Withdrawal.asset)
    )
    return {Asset(asset): int(total) for asset, total in rows.all()}


async def oldest_unfinished_withdrawal(session: AsyncSession) -> datetime | None:
    """When the oldest withdrawal not yet final on chain (pending or sent) was requested."""
    unfinished = (WithdrawalStatus.pending.value, WithdrawalStatus.sent.value)
    oldest: datetime | None = await session.scalar(
        select(func.min(Withdrawal.created_at)).where(Withdrawal.status.in_(unfinished))
    )
    return None if oldest is None else as_utc(oldest)
