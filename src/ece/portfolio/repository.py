"""Every SQL statement on the portfolio's tables (``watchlist_items``, ``price_alerts``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ece.portfolio.models import CollectorProfile, PriceAlert, WatchlistItem


async def watchlist(session: AsyncSession, user_id: str) -> Sequence[WatchlistItem]:
    return (
        await session.scalars(
            select(WatchlistItem)
            .where(WatchlistItem.user_id == user_id)
            .order_by(WatchlistItem.created_at, WatchlistItem.id)
        )
    ).all()


async def watchlist_count(session: AsyncSession, user_id: str) -> int:
    count = await session.scalar(
        select(func.count()).select_from(WatchlistItem).where(WatchlistItem.user_id == user_id)
    )
    return int(count or 0)


async def watched(session: AsyncSession, user_id: str, target: str) -> WatchlistItem | None:
    return await session.scalar(
        select(WatchlistItem).where(
            WatchlistItem.user_id == user_id, WatchlistItem.target == target
        )
    )


async def add_watched(session: AsyncSession, item: WatchlistItem) -> bool:
    """Insert in a savepoint; False when the user already watches the target (a concurrent
    add of the same target meets the unique constraint)."""
    try:
        async with session.begin_nested():
            session.add(item)
            await session.flush()
    except IntegrityError:
        return False
    return True


async def remove_watched(session: AsyncSession, user_id: str, item_id: str) -> bool:
    result = await session.execute(
        delete(WatchlistItem).where(WatchlistItem.id == item_id, WatchlistItem.user_id == user_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def alerts(session: AsyncSession, user_id: str) -> Sequence[PriceAlert]:
    return (
        await session.scalars(
            select(PriceAlert)
            .where(PriceAlert.user_id == user_id)
            .order_by(PriceAlert.created_at, PriceAlert.id)
        )
    ).all()


async def alert_count(session: AsyncSession, user_id: str) -> int:
    count = await session.scalar(
        select(func.count()).select_from(PriceAlert).where(PriceAlert.user_id == user_id)
    )
    return int(count or 0)


async def remove_alert(session: AsyncSession, user_id: str, alert_id: str) -> bool:
    result = await session.execute(
        delete(PriceAlert).where(PriceAlert.id == alert_id, PriceAlert.user_id == user_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def alerts_page(
    session: AsyncSession, after_id: str, limit: int
) -> Sequence[tuple[str, str | None, str | None, str, int, str, bool]]:
    """Alerts after ``after_id`` by id: (id, company, card, condition, price, currency,
    armed)."""
    rows = await session.execute(
        select(
            PriceAlert.id,
            PriceAlert.company_id,
            PriceAlert.card_id,
            PriceAlert.condition,
            PriceAlert.price,
            PriceAlert.currency,
            PriceAlert.armed,
        )
        .where(PriceAlert.id > after_id)
        .order_by(PriceAlert.id)
        .limit(limit)
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


async def disarm(session: AsyncSession, alert_id: str, now: datetime) -> str | None:
    """Fire: disarm the alert only if it is armed (a conditional UPDATE, so of two workers
    evaluating it at once exactly one fires). Returns its user, or None (already fired)."""
    result = await session.execute(
        update(PriceAlert)
        .where(PriceAlert.id == alert_id, PriceAlert.armed.is_(True))
        .values(armed=False, fired_count=PriceAlert.fired_count + 1, last_fired_at=now)
        .returning(PriceAlert.user_id)
    )
    return result.scalar_one_or_none()


async def rearm(session: AsyncSession, alert_id: str) -> None:
    await session.execute(
        update(PriceAlert)
        .where(PriceAlert.id == alert_id, PriceAlert.armed.is_(False))
        .values(armed=True)
    )


async def profile(session: AsyncSession, user_id: str) -> CollectorProfile | None:
    return await session.get(CollectorProfile, user_id)


async def save_profile(session: AsyncSession, profile: CollectorProfile) -> CollectorProfile:
    """Insert or replace the user's row (``merge``: a concurrent first save of the same user
    meets the primary key and is retried once as an update)."""
    try:
        async with session.begin_nested():
            merged = await session.merge(profile)
            await session.flush()
    except IntegrityError:
        merged = await session.merge(profile)
        await session.flush()
    return merged
