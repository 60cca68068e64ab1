"""API shapes for sign-in, users and API keys."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ece.auth.models import ApiKeyScope, Role, User
from ece.auth.siws import base58_of
from ece.core.patterns import (
    ADDRESS_PATTERN,
    BASE64_32_PATTERN,
    BASE64_64_PATTERN,
    BASE64_PATTERN,
    refused,
    shape,
    stated,
)

EMAIL_PATTERN = r"^[^@\s]{1,64}@[^@\s]{1,189}\.[A-Za-z]{2,}$"


class ChallengeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    address: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="Base58 Solana public key. Leave it out for a Wallet Standard "
        "`solana:signIn`: the wallet names its account when it signs the input.",
        json_schema_extra=stated(ADDRESS_PATTERN),
    )


class SignInInputOut(BaseModel):
    """A Wallet Standard ``SolanaSignInInput``: hand it to the wallet's ``solana:signIn``
    as is. ``address`` only when the challenge was asked for one."""

    model_config = ConfigDict(populate_by_name=True)

    domain: str
    address: str | None = None
    statement: str
    uri: str
    version: str
    chain_id: str = Field(alias="chainId")
    nonce: str
    issued_at: str = Field(alias="issuedAt")
    expiration_time: str = Field(alias="expirationTime")


class ChallengeOut(BaseModel):
    message: str | None = Field(
        default=None,
        description="The SIWS message text to sign with `signMessage` (only when an address "
        "was given)",
    )
    input: SignInInputOut
    nonce: str
    expires_at: datetime


def _base64(value: str, size: int | None, what: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"{what} is not base64") from exc
    if size is not None and len(raw) != size:
        raise ValueError(f"{what} is not {size} bytes")
    return raw


class SignInAccountIn(BaseModel):
    """The ``account`` of a ``SolanaSignInOutput`` (other Wallet Standard account fields, such as
    ``chains`` or ``features``, are ignored)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)
    address: str = Field(
        min_length=32,
        max_length=44,
        description="Base58 public key",
        json_schema_extra=stated(ADDRESS_PATTERN),
    )
    public_key: str | None = Field(
        default=None,
        alias="publicKey",
        max_length=64,
        description="Base64 of the 32-byte key; the key `address` names (else 422)",
        json_schema_extra=stated(BASE64_32_PATTERN),
    )

    @model_validator(mode="after")
    def _same_key(self) -> Self:
        if self.public_key is not None:
            key = _base64(self.public_key, 32, "publicKey")
            if base58_of(key) != self.address:
                raise ValueError("publicKey is not the key the address names")
        return self


class SignInOutputIn(BaseModel):
    """A Wallet Standard ``SolanaSignInOutput``, its byte arrays in base64."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    account: SignInAccountIn
    signed_message: str = Field(
        alias="signedMessage",
        min_length=1,
        max_length=4000,
        description="Base64 of the bytes signed",
        json_schema_extra=stated(BASE64_PATTERN),
    )
    signature: str = Field(
        min_length=1,
        max_length=128,
        description="Base64 of the 64-byte ed25519 signature",
        json_schema_extra=stated(BASE64_64_PATTERN),
    )
    signature_type: Literal["ed25519"] | None = Field(default=None, alias="signatureType")

    @model_validator(mode="after")
    def _decodes(self) -> Self:
        _base64(self.signed_message, None, "signedMessage")
        _base64(self.signature, 64, "signature")
        return self

    @property
    def signed_bytes(self) -> bytes:
        return base64.b64decode(self.signed_message)

    @property
    def signature_bytes(self) -> bytes:
        return base64.b64decode(self.signature)


class LoginIn(BaseModel):
    """Either the signed message text with its base58 signature (``signMessage``), or the
    wallet's ``SolanaSignInOutput`` (``solana:signIn``)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra=refused(
            shape(absent=["message", "signature", "output"]),
            shape(given=["message"], absent=["signature"]),
            shape(given=["signature"], absent=["message"]),
            shape(given=["message", "output"]),
        ),
    )
    message: str | None = Field(default=None, min_length=1, max_length=2000)
    signature: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        description="Base58 ed25519 signature of the UTF-8 message",
    )
    output: SignInOutputIn | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        text_form = self.message is not None and self.signature is not None
        partial = (self.message is None) != (self.signature is None)
        if partial or text_form == (self.output is not None):
            raise ValueError("send message and signature, or output, not both")
        return self


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
