"""API shapes for sign-in, users and API keys."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ece.auth.models import ApiKeyScope, Role, User
from ece.core.patterns import ADDRESS_PATTERN, stated

EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]{1,189}\.[A-Za-z]{2,}$"


class ChallengeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    address: str = Field(
        min_length=1,
        max_length=64,
        description="Base58 Solana public key",
        json_schema_extra=stated(ADDRESS_PATTERN),
    )


class ChallengeOut(BaseModel):
    message: str
    nonce: str
    expires_at: datetime


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    message: str = Field(min_length=1, max_length=2000)
    signature: str = Field(
        min_length=1, max_length=128, description="Base58 ed25519 signature of the UTF-8 message"
    )


class UserOut(BaseModel):
    id: str
    address: str
    display_name: str | None
    roles: list[Role]
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(
            id=user.id,
            address=user.address,
            display_name=user.display_name,
            roles=user.role_names,
            created_at=user.created_at,
        )


class MeOut(UserOut):
    email: str | None

    @classmethod
    def of(cls, user: User) -> MeOut:
        return cls(**UserOut.of(user).model_dump(), email=user.email)


class LoginOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    user: MeOut


class ProfileIn(BaseModel):
    """Only these fields can be changed by their owner; anything else (such as roles) is refused."""

    model_config = ConfigDict(extra="forbid")
    display_name: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[^\x00-\x1f<>]+$"
    )
    email: str | None = Field(default=None, max_length=254, pattern=EMAIL_PATTERN)


class ApiKeyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)
    scopes: list[ApiKeyScope] = Field(
        min_length=1,
        max_length=3,
        description="What the key may do: `read` (every GET), `trade` (orders, offers, trade "
        "offers, deposits), `withdraw` (withdrawals). A key never manages keys, uses the "
        "faucet or admin routes: those need a signed-in session.",
    )


class ApiKeyOut(BaseModel):
    id: str
    name: str | None
    prefix: str
    created_at: datetime
    expires_at: datetime
    revoked: bool
    scopes: list[ApiKeyScope]


class ApiKeyCreated(ApiKeyOut):
    key: str = Field(description="The secret; shown once, store it now")


class RolesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    roles: list[Role]


class UserPage(BaseModel):
    items: list[UserOut]
    next_cursor: str | None
