"""Every SQL statement on the battle tables: the row lock, the job's claims, the conditional
close and the reads. No decisions: those are in ``rules``."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, Subquery, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ece.battles.models import Battle, BattleCard, BattleEntry, BattleVote
from ece.battles.rules import BattleState, Phase
from ece.core import lifecycle
from ece.core.pagination import PageParams, newest_first


async def add(session: AsyncSession, *rows: Battle | BattleEntry | BattleCard | BattleVote) -> None:
    session.add_all(rows)
    await session.flush()


async def locked_battle(session: AsyncSession, battle_id: str) -> Battle | None:
    """The battle row, locked until the transaction ends (PostgreSQL; SQLite writers are
    serialized already): every entry, vote, cancel and the settlement take it first."""
    return await session.scalar(
        select(Battle)
        .where(Battle.id == battle_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def battle(session: AsyncSession, battle_id: str) -> Battle | None:
    return await session.get(Battle, battle_id, populate_existing=True)


async def announce_voting(session: AsyncSession, now: datetime) -> list[str]:
    """Mark every open battle whose enrolment ended as announced (once: a conditional UPDATE
    per row) and return the ids this call marked."""
    due = list(
        await session.scalars(
            select(Battle.id).where(
                Battle.state == BattleState.open.value,
                Battle.voting_announced.is_(False),
                Battle.enrol_until <= now,
            )
        )
    )
    marked = []
    for battle_id in due:
        result = await session.execute(
            update(Battle)
            .where(Battle.id == battle_id, Battle.voting_announced.is_(False))
            .values(voting_announced=True)
            .execution_options(synchronize_session=False)
        )
        assert isinstance(result, CursorResult)
        if result.rowcount == 1:
            marked.append(battle_id)
    return marked


async def next_due(
    session: AsyncSession, now: datetime, skip: Collection[str] = ()
) -> Battle | None:
    """One open battle past its end (not in ``skip``), locked; several workers settle different
    battles."""
    return await lifecycle.next_due(
        session,
        Battle,
        open_state=BattleState.open.value,
        due_at=Battle.vote_until,
        now=now,
        skip=skip,
    )


async def close(
    session: AsyncSession, battle_id: str, state: BattleState, now: datetime, **values: Any
) -> bool:
    """Move an open battle to ``state``: one conditional UPDATE, so it happens once."""
    return await lifecycle.close(
        session,
        Battle,
        battle_id,
        open_state=BattleState.open.value,
        state=state.value,
        now=now,
        **values,
    )


async def entries(session: AsyncSession, battle_id: str) -> list[BattleEntry]:
    return list(
        await session.scalars(
            select(BattleEntry)
            .where(BattleEntry.battle_id == battle_id)
            .order_by(BattleEntry.created_at, BattleEntry.id)
            .execution_options(populate_existing=True)
        )
    )


async def entry_of(session: AsyncSession, battle_id: str, user_id: str) -> BattleEntry | None:
    return await session.scalar(
        select(BattleEntry).where(
            BattleEntry.battle_id == battle_id, BattleEntry.user_id == user_id
        )
    )


async def side_count(session: AsyncSession, battle_id: str, side: str) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(BattleEntry)
        .where(BattleEntry.battle_id == battle_id, BattleEntry.side == side)
    )
    return int(count or 0)


async def staked_cards(session: AsyncSession, battle_id: str) -> list[BattleCard]:
    return list(
        await session.scalars(
            select(BattleCard)
            .where(BattleCard.battle_id == battle_id)
            .order_by(BattleCard.entry_id, BattleCard.card_id)
        )
    )


async def votes(session: AsyncSession, battle_id: str) -> list[BattleVote]:
    return list(
        await session.scalars(
            select(BattleVote)
            .where(BattleVote.battle_id == battle_id)
            .order_by(BattleVote.created_at, BattleVote.id)
            .execution_options(populate_existing=True)
        )
    )


async def vote_of(session: AsyncSession, battle_id: str, user_id: str) -> BattleVote | None:
    return await session.scalar(
        select(BattleVote).where(BattleVote.battle_id == battle_id, BattleVote.user_id == user_id)
    )


async def count_owned(session: AsyncSession, owned: Subquery, company_ids: Sequence[str]) -> int:
    """How many rows of ``owned`` (a user's cards) belong to one of ``company_ids``."""
    count = await session.scalar(
        select(func.count()).select_from(owned).where(owned.c.company_id.in_(list(company_ids)))
    )
    return int(count or 0)


async def set_payout(session: AsyncSession, entry_id: str, amount: int) -> None:
    await session.execute(
        update(BattleEntry)
        .where(BattleEntry.id == entry_id)
        .values(payout=amount)
        .execution_options(synchronize_session=False)
    )


# --- reads ----------------------------------------------------------------------------------


def phase_filter(seen: Phase, now: datetime) -> ColumnElement[bool]:
    """SQL twin of ``rules.phase(...) == seen``."""
    is_open = Battle.state == BattleState.open.value
    if seen is Phase.enrolment:
        return and_(is_open, Battle.enrol_until > now)
    if seen is Phase.voting:
        return and_(is_open, Battle.enrol_until <= now, Battle.vote_until > now)
    if seen is Phase.reveal:
        return and_(is_open, Battle.vote_until <= now)
    return Battle.state == seen.value


async def battle_page(
    session: AsyncSession, conditions: Sequence[ColumnElement[bool]], params: PageParams
) -> tuple[list[Battle], str | None]:
    return await newest_first(session, select(Battle).where(*conditions), Battle, params)


async def battles_of_company(session: AsyncSession, company_id: str, limit: int) -> list[Battle]:
    return list(
        await session.scalars(
            select(Battle)
            .where(
                or_(
                    Battle.acquirer_company_id == company_id,
                    Battle.target_company_id == company_id,
                )
            )
            .order_by(Battle.created_at.desc(), Battle.id.desc())
            .limit(limit)
        )
    )


async def battles_of_card(session: AsyncSession, card_id: str, limit: int) -> list[Battle]:
    return list(
        await session.scalars(
            select(Battle)
            .join(BattleCard, BattleCard.battle_id == Battle.id)
            .where(BattleCard.card_id == card_id)
            .order_by(Battle.created_at.desc(), Battle.id.desc())
            .limit(limit)
        )
    )
