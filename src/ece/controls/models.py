"""The pauses in force: one row per paused scope (no row: the scope runs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ece.controls.rules import REASON_MAX
from ece.core.db import Base


class Pause(Base):
    __tablename__ = "pauses"

    scope: Mapped[str] = mapped_column(String(16), primary_key=True)
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    actor: Mapped[str] = mapped_column(String(64))  # who paused it last (a user id)
    at: Mapped[datetime]  # paused since (a second pause of the scope keeps it)
