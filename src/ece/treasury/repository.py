"""Every SQL statement on the treasury's tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.db import Base, insert_or_ignore
from ece.core.pagination import PageParams, newest_first
from ece.treasury.models import Payout, PayoutApproval, PayoutBatch, PayoutSignature
from ece.treasury.rules import PayoutStatus


async def add_batch(session: AsyncSession, batch: PayoutBatch) -> bool:
    """Insert a batch; False when its scheduled slot already has one (another worker ran it)."""
    if batch.slot is None:
        session.add(batch)
        await session.flush()
        return True
    result = await session.execute(
        insert_or_ignore(session, PayoutBatch).values(
            id=batch.id, slot=batch.slot, created_by=batch.created_by, created_at=batch.created_at
        )
    )
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


async def lock_batches(session: AsyncSession) -> None:
    """Serialize batch creation on PostgreSQL (SQLite writers are serialized already): the
    payables are read after this, so two batches never drain the same balance."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text

        await session.execute(text("SELECT pg_advisory_xact_lock(1818)"))


async def add_payout(session: AsyncSession, payout: Payout) -> None:
    session.add(payout)
    await session.flush()


async def get_payout(session: AsyncSession, payout_id: str, *, lock: bool = False) -> Payout | None:
    stmt = select(Payout).where(Payout.id == payout_id).execution_options(populate_existing=True)
    if lock:
        stmt = stmt.with_for_update()
    found: Payout | None = await session.scalar(stmt)
    return found


async def payouts_of_batch(session: AsyncSession, batch_id: str) -> Sequence[Payout]:
    return (
        await session.scalars(
            select(Payout).where(Payout.batch_id == batch_id).order_by(Payout.company_id)
        )
    ).all()


async def payouts_of_batches(
    session: AsyncSession, batch_ids: Sequence[str]
) -> dict[str, list[Payout]]:
    rows = await session.scalars(
        select(Payout).where(Payout.batch_id.in_(batch_ids)).order_by(Payout.company_id)
    )
    found: dict[str, list[Payout]] = {batch_id: [] for batch_id in batch_ids}
    for payout in rows:
        found[payout.batch_id].append(payout)
    return found


async def list_batches(
    session: AsyncSession, params: PageParams
) -> tuple[list[PayoutBatch], str | None]:
    return await newest_first(session, select(PayoutBatch), PayoutBatch, params)


async def approved_ids(session: AsyncSession, limit: int) -> list[str]:
    """Payouts compliance approved, waiting for their transaction, oldest first."""
    rows = await session.scalars(
        select(Payout.id)
        .where(Payout.status == PayoutStatus.approved.value)
        .order_by(Payout.created_at)
        .limit(limit)
    )
    return list(rows)


async def submitted_ids(session: AsyncSession, limit: int) -> list[str]:
    rows = await session.scalars(
        select(Payout.id)
        .where(Payout.status == PayoutStatus.submitted.value)
        .order_by(Payout.created_at)
        .limit(limit)
    )
    return list(rows)


async def finish(
    session: AsyncSession, payout_id: str, status: PayoutStatus, reason: str | None, at: datetime
) -> bool:
    """Move a submitted payout to its end, once: only the caller whose UPDATE wins goes on."""
    result = await session.execute(
        update(Payout)
        .where(Payout.id == payout_id, Payout.status == PayoutStatus.submitted.value)
        .values(status=status.value, reason=reason, updated_at=at, finished_at=at)
        .execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


async def signatures_of(session: AsyncSession, payout_id: str) -> Sequence[PayoutSignature]:
    return (
        await session.scalars(
            select(PayoutSignature)
            .where(PayoutSignature.payout_id == payout_id)
            .order_by(PayoutSignature.signed_at, PayoutSignature.signer)
        )
    ).all()


async def _insert_once(session: AsyncSession, model: type[Base], **values: Any) -> bool:
    """Insert one row unless its key exists; whether it was new (a signer acts once)."""
    result = await session.execute(insert_or_ignore(session, model).values(**values))
    assert isinstance(result, CursorResult)
    return bool(result.rowcount)


async def add_signature(session: AsyncSession, row: PayoutSignature) -> bool:
    return await _insert_once(
        session,
        PayoutSignature,
        payout_id=row.payout_id,
        signer=row.signer,
        signature=row.signature,
        user_id=row.user_id,
        signed_at=row.signed_at,
    )


async def approvals_of(session: AsyncSession, payout_id: str) -> Sequence[PayoutApproval]:
    return (
        await session.scalars(
            select(PayoutApproval)
            .where(PayoutApproval.payout_id == payout_id)
            .order_by(PayoutApproval.approved_at, PayoutApproval.signer)
        )
    ).all()


async def add_approval(session: AsyncSession, row: PayoutApproval) -> bool:
    return await _insert_once(
        session,
        PayoutApproval,
        payout_id=row.payout_id,
        signer=row.signer,
        user_id=row.user_id,
        approved_at=row.approved_at,
    )


async def delete_approvals(session: AsyncSession, payout_id: str, signer: str | None) -> int:
    """Delete one signer's approval (or all, ``signer`` None); how many went."""
    stmt = delete(PayoutApproval).where(PayoutApproval.payout_id == payout_id)
    if signer is not None:
        stmt = stmt.where(PayoutApproval.signer == signer)
    result = await session.execute(stmt.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return int(result.rowcount)


async def delete_signatures(session: AsyncSession, payout_id: str) -> None:
    await session.execute(
        delete(PayoutSignature)
        .where(PayoutSignature.payout_id == payout_id)
        .execution_options(synchronize_session=False)
    )


async def payouts_of_company(
    session: AsyncSession, company_id: str, since: datetime, until: datetime
) -> Sequence[Payout]:
    return (
        await session.scalars(
            select(Payout)
            .where(
                Payout.company_id == company_id,
                Payout.created_at >= since,
                Payout.created_at < until,
            )
            .order_by(Payout.created_at)
        )
    ).all()


async def open_amounts(session: AsyncSession) -> Sequence[Payout]:
    """Payouts not yet at an end (for the summary)."""
    ended = [PayoutStatus.confirmed.value, PayoutStatus.failed.value, PayoutStatus.rejected.value]
    return (await session.scalars(select(Payout).where(Payout.status.not_in(ended)))).all()
