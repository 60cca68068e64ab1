"""The auth domain's decisions, with no I/O: roles, which credential may do what, the checks a
signed SIWS message must pass, and when nonces and credentials expire."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final, Literal

from ece.auth import siws
from ece.core.errors import Conflict, Forbidden, Unauthorized


class Role(StrEnum):
    user = "user"
    developer = "developer"
    compliance = "compliance"
    treasury_signer = "treasury_signer"
    admin = "admin"


class ApiKeyScope(StrEnum):
    """What a developer API key may do; a session may do everything its user may."""

    read = "read"  # every GET
    trade = "trade"  # orders, offers, trade offers, deposits: value stays on the platform
    withdraw = "withdraw"  # withdrawals: value leaves the platform


SESSION_PREFIX: Final = "ece_s_"
API_KEY_PREFIX: Final = "ece_k_"
# Who may hold API keys; a key stops working the moment its owner holds none of these.
KEY_HOLDER_ROLES: Final = (Role.developer, Role.admin)

# --- roles ---------------------------------------------------------------------------------------


def role_names(stored: Iterable[str]) -> list[Role]:
    """Every user has the ``user`` role; the others are stored."""
    return sorted({Role.user, *(Role(r) for r in stored)})


def holds_any(held: Collection[Role], *roles: Role) -> bool:
    return any(role in held for role in roles)


def may_hold_api_keys(held: Collection[Role]) -> bool:
    return holds_any(held, *KEY_HOLDER_ROLES)


def roles_to_store(actor_id: str, user_id: str, wanted: Iterable[Role]) -> list[Role]:
    """The roles to store for a "set roles" request (``user`` is implicit). An admin cannot
    remove their own admin role: 409 ``cannot_demote_self``."""
    stored = {r for r in wanted if r is not Role.user}
    if user_id == actor_id and Role.admin not in stored:
        raise Conflict("You cannot remove your own admin role.", code="cannot_demote_self")
    return sorted(stored)


def staff_refusal(
    is_api_key: bool, held: Collection[Role], needed: Collection[Role]
) -> Forbidden | None:
    """Staff routes: one of ``needed`` roles, exercised from a signed-in session only."""
    if is_api_key:
        return Forbidden("Staff routes need a signed-in session.", code="session_required")
    if not holds_any(held, *needed):
        return Forbidden(
            "This needs the role " + " or ".join(r.value for r in needed) + ".", code="forbidden"
        )
    return None


# --- API keys and their scopes -------------------------------------------------------------------

KeyAccess = ApiKeyScope | Literal["session", "any"]


def scopes_text(scopes: Iterable[ApiKeyScope]) -> str:
    """How a key's scopes are stored: sorted, comma-separated, each once."""
    return ",".join(sorted(set(scopes)))


def parse_scopes(stored: str | None) -> list[ApiKeyScope]:
    return sorted(ApiKeyScope(s) for s in (stored or "").split(",") if s)


def needed_access(marked: str | None, safe_method: bool) -> str:
    """What an API key needs on a route: its mark, else ``read`` to read and ``trade`` to write."""
    if marked:
        return marked
    return (ApiKeyScope.read if safe_method else ApiKeyScope.trade).value


def key_access_refusal(needed: str, scopes: Collection[ApiKeyScope]) -> Forbidden | None:
    """Why an API key with ``scopes`` may not use a route that needs ``needed``, if it may not."""
    if needed == "any":
        return None
    if needed == "session":
        return Forbidden(
            "This needs a signed-in session; API keys cannot.", code="session_required"
        )
    if ApiKeyScope(needed) not in scopes:
        return Forbidden(f"This API key lacks the {needed} scope.", code="insufficient_scope")
    return None


@dataclass(frozen=True, slots=True)
class CredentialState:
    revoked: bool
    expires_at: datetime
    is_api_key: bool


def credential_refusal(
    credential: CredentialState, owner_roles: Collection[Role], now: datetime
) -> Unauthorized | None:
    """Why a presented credential does not authenticate its user, if it does not. An API key's
    owner must still hold a key-holder role: checked on every use, so no path can miss it."""
    if credential.revoked:
        return Unauthorized("The credential is not valid.", code="invalid_token")
    if credential.expires_at <= now:
        return Unauthorized("The credential has expired.", code="token_expired")
    if credential.is_api_key and not may_hold_api_keys(owner_roles):
        return Unauthorized("The API key's owner is no longer a developer.", code="invalid_token")
    return None


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough to make a database leak useless.
    return hashlib.sha256(token.encode()).hexdigest()


def token_prefix(kind: str) -> str:
    return SESSION_PREFIX if kind == "session" else API_KEY_PREFIX


def shown_prefix(token: str, kind: str) -> str:
    """The part of a token kept in clear to tell keys apart: its prefix and 4 characters."""
    return token[: len(token_prefix(kind)) + 4]


# --- Sign-In With Solana -------------------------------------------------------------------------


def chain_id_for(env: str) -> str:
    return "localnet" if env != "production" else "mainnet"


def message_hash(message: str) -> str:
    return hashlib.sha256(message.encode()).hexdigest()


def challenge_window(now: datetime, ttl_seconds: int) -> tuple[datetime, datetime]:
    """Issued-at and expiry of a challenge, to the millisecond (the message's ISO precision)."""
    issued = now.replace(microsecond=(now.microsecond // 1000) * 1000)
    return issued, issued + timedelta(seconds=ttl_seconds)


def nonce_expired(expires_at: datetime, now: datetime) -> bool:
    return expires_at <= now


@dataclass(frozen=True, slots=True)
class Site:
    """Where a sign-in message must be bound: our domain, URI and chain."""

    domain: str
    uri: str
    chain_id: str


@dataclass(frozen=True, slots=True)
class IssuedNonce:
    """What the server recorded when it issued the challenge: the wallet it was asked for (None
    when the wallet was left to name itself, as ``solana:signIn`` does) and its times."""

    address: str | None
    issued_at: datetime | None  # None: issued before sign-in inputs were recorded
    expires_at: datetime


def same_instant(stated: str | None, issued: datetime) -> bool:
    """A wallet's timestamp names the instant we issued: the same instant in any RFC 3339 form,
    or the same second written without fractional seconds."""
    parsed = None if stated is None else siws.parse_time(stated)
    if parsed is None:
        return False
    value, has_fraction = parsed
    return value == issued or (not has_fraction and value == issued.replace(microsecond=0))


def _not_before_passed(stated: str | None, now: datetime) -> bool:
    if stated is None:
        return True
    parsed = siws.parse_time(stated)
    return parsed is not None and parsed[0] <= now


def signin_refusal(
    stated: siws.StatedFields, issued: IssuedNonce, site: Site, now: datetime
) -> str | None:
    """The first reason the message a wallet signed does not match the challenge we issued, or
    None: every field against the issued challenge and our site. Fields we did not issue
    (``Request ID``, ``Resources``) may be added; the signature is checked after this."""
    issued_at = issued.issued_at
    checks = [
        (not nonce_expired(issued.expires_at, now), "The sign-in message has expired."),
        (issued_at is not None, "The challenge is from an older version: ask for a new one."),
        (stated.domain == site.domain, "The sign-in message is for another domain."),
        (stated.uri == site.uri, "The sign-in message is for another site."),
        (stated.version == siws.VERSION, "Unsupported sign-in message version."),
        (stated.chain_id == site.chain_id, "The sign-in message is for another chain."),
        (
            issued.address is None or stated.address == issued.address,
            "The address does not match the challenge.",
        ),
        (stated.statement == siws.STATEMENT, "The sign-in message differs from the one issued."),
        (
            issued_at is None or same_instant(stated.issued_at, issued_at),
            "The sign-in message's Issued At differs from the one issued.",
        ),
        (
            same_instant(stated.expiration_time, issued.expires_at),
            "The sign-in message's Expiration Time differs from the one issued.",
        ),
        (_not_before_passed(stated.not_before, now), "The sign-in message is not valid yet."),
    ]
    for ok, reason in checks:
        if not ok:
            return reason
    return None


def becomes_admin(address: str, admin_addresses: Collection[str], held: Collection[Role]) -> bool:
    """A wallet listed in the settings' admin addresses is made admin when it signs in."""
    return address in admin_addresses and Role.admin not in held
