"""The auth domain's public face: reading users (the only way other domains see the ``users``
table), sign-in, sessions, API keys and roles."""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnExpressionArgument, ScalarSelect, Subquery
from sqlalchemy.ext.asyncio import AsyncSession

from ece.audit import service as audit
from ece.auth import repository, rules, siws
from ece.auth.models import Credential, SigninNonce, User, UserRole
from ece.auth.repository import UserRef
from ece.auth.rules import KEY_HOLDER_ROLES, SESSION_PREFIX, ApiKeyScope, Role, hash_token
from ece.auth.session_check import SessionCheck
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import Forbidden, NotFound, Unauthorized, Unprocessable
from ece.core.pagination import PageParams

__all__ = [
    "KEY_HOLDER_ROLES",
    "SESSION_PREFIX",
    "ApiKeyScope",
    "Credential",
    "Role",
    "SessionCheck",
    "User",
    "UserRef",
    "hash_token",
]


# --- reading users (for every domain) ------------------------------------------------------------


async def get_user(session: AsyncSession, user_id: str) -> User:
    """The user with this id. 404 ``user_not_found``."""
    user = await repository.user_by_id(session, user_id)
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    return user


async def find_user(session: AsyncSession, user_id: str) -> User | None:
    """The user with this id, or None."""
    return await repository.user_by_id(session, user_id)


async def user_by_address(session: AsyncSession, address: str) -> User | None:
    """The user whose wallet this is, or None (they never signed in)."""
    return await repository.user_by_address(session, address)


async def user_by_id_or_address(session: AsyncSession, id_or_address: str) -> User | None:
    """The user named by id or by wallet address, or None."""
    return await repository.user_by_id_or_address(session, id_or_address)


async def user_id_for(session: AsyncSession, id_or_address: str) -> str | None:
    """The id of the user named by id or by wallet address, or None."""
    return await repository.user_id_by_id_or_address(session, id_or_address)


async def existing_user_ids(session: AsyncSession, user_ids: Collection[str]) -> set[str]:
    """Those of ``user_ids`` that are users."""
    return await repository.existing_user_ids(session, user_ids)


async def addresses_of(session: AsyncSession, user_ids: Collection[str]) -> dict[str, str]:
    """User id → wallet address, for the known ids among ``user_ids``."""
    return await repository.addresses_by_id(session, user_ids)


async def user_refs(session: AsyncSession, user_ids: Collection[str]) -> dict[str, UserRef]:
    """User id → (id, wallet, display name), for the known ids among ``user_ids``."""
    return await repository.user_refs(session, user_ids)


def address_subquery(user_id: ColumnExpressionArgument[str]) -> ScalarSelect[str]:
    """For another domain's SELECT: the wallet of the user whose id is in ``user_id``."""
    return repository.address_of(user_id)


async def lock_user(session: AsyncSession, user_id: str) -> bool:
    """Serialize work on one user until the transaction ends; False for an unknown user."""
    return await repository.lock_user(session, user_id)


async def has_users(session: AsyncSession) -> bool:
    return await repository.any_user(session)


async def list_users(session: AsyncSession, params: PageParams) -> tuple[list[User], str | None]:
    return await repository.users_page(session, params)


# --- sign-in -------------------------------------------------------------------------------------


def _site(settings: Settings) -> rules.Site:
    return rules.Site(settings.domain, settings.uri, rules.chain_id_for(settings.env.value))


def invalid_signin(detail: str) -> Unauthorized:
    return Unauthorized(detail, code="invalid_signin")


@dataclass(frozen=True)
class Challenge:
    message: str | None  # the text to sign; only when the challenge names the wallet
    sign_in_input: dict[str, str]  # Wallet Standard ``SolanaSignInInput``
    nonce: str
    expires_at: datetime


async def create_challenge(
    session: AsyncSession, settings: Settings, address: str | None
) -> Challenge:
    """Issue a one-time SIWS challenge bound to our domain: for ``address`` (the message text to
    sign, and the same as a sign-in input), or for whichever wallet signs it (a sign-in input
    the wallet completes with its account, as ``solana:signIn`` does)."""
    if address is not None:
        try:
            siws.parse_pubkey(address)
        except ValueError as exc:
            raise Unprocessable(str(exc), code="invalid_address") from exc
    now, expires = rules.challenge_window(utcnow(), settings.signin_nonce_ttl_seconds)
    nonce, site = secrets.token_urlsafe(24), _site(settings)
    issued = siws.SiwsMessage(
        domain=site.domain,
        address=address or "",
        statement=siws.STATEMENT,
        uri=site.uri,
        version=siws.VERSION,
        chain_id=site.chain_id,
        nonce=nonce,
        issued_at=now,
        expiration_time=expires,
    )
    message = issued.text() if address is not None else None
    session.add(
        SigninNonce(
            nonce=nonce,
            address=address,
            message_hash=rules.message_hash(message) if message is not None else "",
            issued_at=now,
            expires_at=expires,
        )
    )
    return Challenge(
        message=message,
        sign_in_input=issued.sign_in_input(with_address=address is not None),
        nonce=nonce,
        expires_at=expires,
    )


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class SigninAttempt:
    """What a wallet sent back: the exact bytes it signed, their ed25519 signature, and the
    account it says signed (a ``SolanaSignInOutput``; None for the message-text flow)."""

    signed: bytes
    signature: bytes
    account: str | None = None


async def _issued(db: Database, nonce: str) -> rules.IssuedNonce | None:
    """The unused challenge with this nonce, read in its own short transaction."""
    async with db.unit_of_work() as session:
        row = await repository.nonce(session, nonce)
        if row is None or row.used_at is not None:
            return None
        return rules.IssuedNonce(row.address, row.issued_at, row.expires_at)


async def _burn_nonce(db: Database, nonce: str) -> SigninNonce | None:
    """Mark the nonce used in its own committed transaction: it is spent whatever happens next."""
    async with db.unit_of_work() as session:
        return await repository.burn_nonce(session, nonce, utcnow())


SigninScreen = Callable[[str], Awaitable[None]]
"""Refuses a wallet that proved its key but may not sign in (compliance's deny list) by
raising; given by the edge, since auth sits below compliance."""


async def _verified_address(db: Database, settings: Settings, attempt: SigninAttempt) -> str:
    """The wallet that signed the challenge, once every field matches what we issued and the
    signature is right; the nonce is burnt only then, so a refused attempt leaves it usable."""
    try:
        stated = siws.parse(attempt.signed.decode("utf-8"))
    except (UnicodeDecodeError, siws.MalformedMessage) as exc:
        raise invalid_signin("The sign-in message is malformed.") from exc
    if attempt.account is not None and attempt.account != stated.address:
        raise invalid_signin("The signed message names another account than the output's.")
    issued = None if stated.nonce is None else await _issued(db, stated.nonce)
    if issued is None or stated.nonce is None:
        raise invalid_signin("The sign-in nonce is unknown or already used.")
    refusal = rules.signin_refusal(stated, issued, _site(settings), utcnow())
    if refusal is not None:
        raise invalid_signin(refusal)
    if not siws.verify_signature(stated.address, attempt.signed, attempt.signature):
        raise invalid_signin("The signature does not match the address.")
    if await _burn_nonce(db, stated.nonce) is None:  # another request used it first
        raise invalid_signin("The sign-in nonce is unknown or already used.")
    return stated.address


async def login(
    db: Database,
    session: AsyncSession,
    settings: Settings,
    attempt: SigninAttempt,
    screen: SigninScreen | None = None,
) -> SignedIn:
    """Check a signed SIWS message field by field and its signature, ``screen`` its wallet, and
    open a session. From the signature on, the nonce is spent whatever happens next."""
    address = await _verified_address(db, settings, attempt)
    if screen is not None:
        await screen(address)  # before this session writes anything
    user = await _user_for_address(session, address)
    if rules.becomes_admin(address, settings.admin_addresses, user.role_names):
        before = _role_values(user)
        user.roles.append(UserRole(role=Role.admin.value))
        await session.flush()
        await _record_roles(session, audit.SYSTEM, user, before, "ECE_ADMIN_ADDRESSES")
    token, expires = await _issue(session, user, "session", None, settings.session_ttl_seconds)
    await session.flush()
    return SignedIn(user=user, token=token, expires_at=expires)


async def _user_for_address(session: AsyncSession, address: str) -> User:
    user = await repository.user_by_address(session, address)
    if user is None:
        user = await repository.add_user(session, User(address=address, roles=[]))
    return user


# --- credentials ---------------------------------------------------------------------------------


async def _issue(
    session: AsyncSession,
    user: User,
    kind: str,
    name: str | None,
    ttl_seconds: int,
    scopes: Sequence[ApiKeyScope] = (),
) -> tuple[str, datetime]:
    token = rules.token_prefix(kind) + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(seconds=ttl_seconds)
    session.add(
        Credential(
            user_id=user.id,
            kind=kind,
            name=name,
            token_hash=hash_token(token),
            prefix=rules.shown_prefix(token, kind),
            expires_at=expires,
            scopes=rules.scopes_text(scopes) if kind == "api_key" else None,
        )
    )
    return token, expires


async def authenticate(session: AsyncSession, token: str) -> tuple[User, Credential]:
    """The user behind a bearer token; 401 when unknown, revoked or expired."""
    found = await repository.credential_with_user(session, hash_token(token))
    if found is None:
        raise Unauthorized("The credential is not valid.", code="invalid_token")
    credential, user = found
    state = rules.CredentialState(
        credential.revoked_at is not None, credential.expires_at, credential.is_api_key
    )
    refusal = rules.credential_refusal(state, user.role_names, utcnow())
    if refusal is not None:
        raise refusal
    return user, credential


async def revoke_credential(session: AsyncSession, credential_id: str) -> None:
    await repository.revoke_credential(session, credential_id, utcnow())


async def update_profile(
    session: AsyncSession, user: User, display_name: str | None, email: str | None
) -> User:
    if display_name is not None:
        user.display_name = display_name
    if email is not None:
        user.email = email
    await session.flush()
    return user


async def create_api_key(
    session: AsyncSession,
    settings: Settings,
    user: User,
    name: str,
    scopes: Sequence[ApiKeyScope],
) -> tuple[Credential, str]:
    """A developer API key limited to ``scopes`` (at least one); the secret is returned once."""
    if not rules.may_hold_api_keys(user.role_names):
        raise Forbidden("API keys are for users with the developer role.", code="not_a_developer")
    if not scopes:
        raise Unprocessable("Choose at least one scope.", code="invalid_scopes")
    ttl = settings.api_key_ttl_days * 86400
    token, _ = await _issue(session, user, "api_key", name, ttl, scopes)
    await session.flush()
    credential = await repository.credential_by_hash(session, hash_token(token))
    assert credential is not None
    return credential, token


async def list_api_keys(session: AsyncSession, user: User) -> Sequence[Credential]:
    return await repository.api_keys_of(session, user.id)


async def revoke_api_key(session: AsyncSession, user: User, key_id: str) -> None:
    credential = await repository.credential_by_id(session, key_id)
    if credential is None or credential.user_id != user.id or credential.kind != "api_key":
        raise NotFound("No such API key.", code="api_key_not_found")
    await revoke_credential(session, key_id)


async def purge_expired_nonces(session: AsyncSession) -> None:
    """Forget sign-in nonces past their expiry (used or not: none can sign anyone in now)."""
    await repository.delete_nonces_expired_by(session, utcnow())


# --- users and roles -----------------------------------------------------------------------------


async def create_user(
    session: AsyncSession,
    address: str,
    *,
    display_name: str | None = None,
    roles: Collection[Role] = (),
) -> User:
    """A user who has not signed in yet (demo data, ``ece admin grant``)."""
    stored = [UserRole(role=r.value) for r in rules.role_names(roles) if r is not Role.user]
    user = User(address=address, display_name=display_name, roles=stored)
    return await repository.add_user(session, user)


async def set_roles(session: AsyncSession, actor: User, user_id: str, roles: list[Role]) -> User:
    """Replace a user's roles (admins only; an admin cannot remove their own admin role)."""
    user = await get_user(session, user_id)
    wanted = rules.roles_to_store(actor.id, user.id, roles)
    before = _role_values(user)
    user.roles = [UserRole(role=r.value) for r in wanted]
    await session.flush()
    await _revoke_keys_unless_holder(session, user)
    await _record_roles(session, actor.id, user, before, "api")
    return user


async def set_kyc_level(session: AsyncSession, user_id: str, level: str) -> None:
    """Record the user's verified KYC level (called by compliance only, with its decision)."""
    user = await get_user(session, user_id)
    user.kyc_level = level
    await session.flush()


async def grant_role(session: AsyncSession, address: str, role: Role) -> User:
    """Used by ``ece admin grant``: creates the user if it never signed in."""
    siws.parse_pubkey(address)
    user = await _user_for_address(session, address)
    before = _role_values(user)
    if role is not Role.user and not user.has_role(role):
        user.roles.append(UserRole(role=role.value))
    await session.flush()
    await _record_roles(session, audit.OPERATOR, user, before, "cli")
    return user


async def revoke_role(session: AsyncSession, address: str, role: Role) -> User:
    user = await repository.user_by_address(session, address)
    if user is None:
        raise NotFound("No user with that address.", code="user_not_found")
    before = _role_values(user)
    user.roles = [r for r in user.roles if r.role != role.value]
    await session.flush()
    await _revoke_keys_unless_holder(session, user)
    await _record_roles(session, audit.OPERATOR, user, before, "cli")
    return user


def _role_values(user: User) -> list[str]:
    return sorted(r.value for r in user.role_names)


async def _record_roles(
    session: AsyncSession, actor: str, user: User, before: list[str], via: str
) -> None:
    """Audit a role change (nothing when the roles did not change)."""
    after = _role_values(user)
    if after != before:
        await audit.record(
            session,
            actor=actor,
            action="user.roles_changed",
            object_type="user",
            object_id=user.id,
            details={"before": before, "after": after, "via": via},
        )


async def _revoke_keys_unless_holder(session: AsyncSession, user: User) -> None:
    """A user who lost the developer role loses their API keys for good (a later grant does not
    bring them back)."""
    if not rules.may_hold_api_keys(user.role_names):
        await repository.revoke_api_keys_of(session, user.id, utcnow())


# --- reads other domains ask for (settlement, market) ------------------------------------------


async def addresses(session: AsyncSession, user_ids: Iterable[str]) -> dict[str, str]:
    """Wallet address of each user id (unknown ids are left out)."""
    return await addresses_of(session, sorted(set(user_ids)))


def is_admin(user: User) -> bool:
    return user.has_role(Role.admin)


def address_of(user_id: ColumnExpressionArgument[str]) -> ScalarSelect[str]:
    """The wallet of the user ``user_id`` names (NULL for none), as a scalar subquery."""
    return repository.address_subquery(user_id)


def user_addresses() -> Subquery:
    """Every user's id and wallet address, to join a wallet onto another domain's rows."""
    return repository.user_addresses()
