"""Users, their roles, their credentials (sessions and API keys) and sign-in nonces."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ece.auth.rules import ApiKeyScope, Role, holds_any, parse_scopes, role_names
from ece.core.db import Base, IdMixin, TimestampMixin

__all__ = ["ApiKeyScope", "Credential", "Role", "SigninNonce", "User", "UserRole"]


class User(IdMixin, TimestampMixin, Base):
    __tablename__ = "users"

    address: Mapped[str] = mapped_column(String(44), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(64))
    email: Mapped[str | None] = mapped_column(String(254))
    # The verified KYC level, mirrored here by compliance (``set_kyc_level``, in the same
    # transaction as its decision) so the buy path reads it off the signed-in user for free.
    kyc_level: Mapped[str] = mapped_column(String(8), default="none", server_default="none")
    roles: Mapped[list[UserRole]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    @property
    def role_names(self) -> list[Role]:
        return role_names(r.role for r in self.roles)

    def has_role(self, *roles: Role) -> bool:
        return holds_any(self.role_names, *roles)


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(32), primary_key=True)


class Credential(IdMixin, TimestampMixin, Base):
    """A bearer secret: a sign-in session or a developer API key. Only its hash is stored."""

    __tablename__ = "credentials"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # session | api_key
    name: Mapped[str | None] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    # API keys only: the comma-separated ``ApiKeyScope`` values chosen at creation.
    scopes: Mapped[str | None] = mapped_column(String(64), default=None)

    @property
    def is_api_key(self) -> bool:
        return self.kind == "api_key"

    @property
    def scope_list(self) -> list[ApiKeyScope]:
        return parse_scopes(self.scopes)


class SigninNonce(TimestampMixin, Base):
    __tablename__ = "signin_nonces"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    # None: the challenge left the wallet to name its account (Wallet Standard ``solana:signIn``).
    address: Mapped[str | None] = mapped_column(String(44))
    message_hash: Mapped[str] = mapped_column(String(64))  # of the issued text, "" when none
    issued_at: Mapped[datetime | None] = mapped_column(default=None)
    expires_at: Mapped[datetime] = mapped_column(index=True)
    used_at: Mapped[datetime | None] = mapped_column(default=None)
