"""Demo data: a living market for a newcomer, created deterministically into an empty database."""

from __future__ import annotations

import hashlib

from solders.keypair import Keypair
from sqlalchemy import func, select

from ece.auth.models import Role, User, UserRole
from ece.config import Settings
from ece.core.db import Database


def demo_keypair(name: str) -> Keypair:
    """Deterministic demo wallets, so every fresh demo market looks the same."""
    return Keypair.from_seed(hashlib.sha256(f"ece-demo:{name}".encode()).digest())


async def load_demo_if_empty(settings: Settings) -> bool:
    db = Database(settings.resolved_database_url)
    try:
        async with db.unit_of_work() as session:
            if await session.scalar(select(func.count()).select_from(User)):
                return False
            admin = str(demo_keypair("admin").pubkey())
            session.add(
                User(
                    address=admin,
                    display_name="ECE Admin",
                    roles=[UserRole(role=Role.admin.value)],
                )
            )
        return True
    finally:
        await db.dispose()
