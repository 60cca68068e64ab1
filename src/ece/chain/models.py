"""What the database remembers about the platform's chain identity."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.db import Base


class PlatformPin(Base):
    """An address the platform committed to (custody wallet, mints), written once by ``ece init``.

    Every start compares the keys it loaded with these, so a lost or replaced key file can never
    silently become a new custody wallet.
    """

    __tablename__ = "platform_pins"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64))
