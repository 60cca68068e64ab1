"""Reading and writing the platform pins (``platform_pins``)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from ece.chain.models import PlatformPin


async def read_pins(session: AsyncSession) -> dict[str, str]:
    rows = await session.scalars(select(PlatformPin))
    return {row.name: row.value for row in rows}


async def write_pins(session: AsyncSession, pins: Mapping[str, str]) -> None:
    """Insert the pins not yet recorded; an existing pin is never overwritten."""
    existing = await read_pins(session)
    session.add_all(
        PlatformPin(name=name, value=value) for name, value in pins.items() if name not in existing
    )
    await session.flush()
