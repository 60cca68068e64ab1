"""Sign-in, sessions, API keys and roles."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from ece.auth import siws
from ece.auth.models import ApiKeyScope, Credential, Role, SigninNonce, User, UserRole
from ece.config import Settings
from ece.core.clock import utcnow
from ece.core.db import Database
from ece.core.errors import Conflict, Forbidden, NotFound, Unauthorized, Unprocessable
from ece.core.pagination import PageParams, SortKey, paginate

SESSION_PREFIX = "ece_s_"
API_KEY_PREFIX = "ece_k_"
# Who may hold API keys; a key stops working the moment its owner holds none of these.
KEY_HOLDER_ROLES = (Role.developer, Role.admin)


def hash_token(token: str) -> str:
    # Tokens carry 256 random bits, so a fast hash is enough to make a database leak useless.
    return hashlib.sha256(token.encode()).hexdigest()


def chain_id_for(settings: Settings) -> str:
    return "localnet" if settings.env.value != "production" else "mainnet"


def invalid_signin(detail: str) -> Unauthorized:
    return Unauthorized(detail, code="invalid_signin")


@dataclass(frozen=True)
class Challenge:
    message: str
    nonce: str
    expires_at: datetime


async def create_challenge(session: AsyncSession, settings: Settings, address: str) -> Challenge:
    """Issue a one-time SIWS message for ``address``, bound to our domain."""
    try:
        siws.parse_pubkey(address)
    except ValueError as exc:
        raise Unprocessable(str(exc), code="invalid_address") from exc
    current = utcnow()
    # Millisecond precision: the message carries ISO timestamps with milliseconds.
    now = current.replace(microsecond=(current.microsecond // 1000) * 1000)
    expires = now + timedelta(seconds=settings.signin_nonce_ttl_seconds)
    nonce = secrets.token_urlsafe(24)
    message = siws.SiwsMessage(
        domain=settings.domain,
        address=address,
        statement=siws.STATEMENT,
        uri=settings.uri,
        version="1",
        chain_id=chain_id_for(settings),
        nonce=nonce,
        issued_at=now,
        expiration_time=expires,
    ).text()
    session.add(
        SigninNonce(
            nonce=nonce,
            address=address,
            message_hash=hashlib.sha256(message.encode()).hexdigest(),
            expires_at=expires,
        )
    )
    return Challenge(message=message, nonce=nonce, expires_at=expires)


@dataclass(frozen=True)
class SignedIn:
    user: User
    token: str
    expires_at: datetime


async def _burn_nonce(db: Database, nonce: str) -> SigninNonce | None:
    """Mark the nonce used in its own committed transaction: it is spent whatever happens next."""
    async with db.unit_of_work() as session:
        row = await session.get(SigninNonce, nonce)
        if row is None or row.used_at is not None:
            return None
        result = await session.execute(
            update(SigninNonce)
            .where(SigninNonce.nonce == nonce, SigninNonce.used_at.is_(None))
            .values(used_at=utcnow())
        )
        return row if result.rowcount == 1 else None  # type: ignore[attr-defined]


async def login(
    db: Database, session: AsyncSession, settings: Settings, message: str, signature: str
) -> SignedIn:
    """Check a signed SIWS message field by field and open a session."""
    try:
        parsed = siws.parse(message)
    except siws.MalformedMessage as exc:
        raise invalid_signin("The sign-in message is malformed.") from exc
    issued = await _burn_nonce(db, parsed.nonce)
    if issued is None:
        raise invalid_signin("The sign-in nonce is unknown or already used.")
    now = utcnow()
    checks = [
        (issued.expires_at > now, "The sign-in message has expired."),
        (parsed.expiration_time > now, "The sign-in message has expired."),
        (parsed.domain == settings.domain, "The sign-in message is for another domain."),
        (parsed.uri == settings.uri, "The sign-in message is for another site."),
        (parsed.version == "1", "Unsupported sign-in message version."),
        (parsed.chain_id == chain_id_for(settings), "The sign-in message is for another chain."),
        (parsed.address == issued.address, "The address does not match the challenge."),
        (
            hashlib.sha256(message.encode()).hexdigest() == issued.message_hash,
            "The sign-in message differs from the one issued.",
        ),
        (
            siws.verify_signature(parsed.address, message, signature),
            "The signature does not match the address.",
        ),
    ]
    for ok, reason in checks:
        if not ok:
            raise invalid_signin(reason)
    user = await _user_for_address(session, parsed.address)
    if parsed.address in settings.admin_addresses and not user.has_role(Role.admin):
        user.roles.append(UserRole(role=Role.admin.value))
    token, expires = await _issue(session, user, "session", None, settings.session_ttl_seconds)
    await session.flush()
    return SignedIn(user=user, token=token, expires_at=expires)


async def _user_for_address(session: AsyncSession, address: str) -> User:
    user = await session.scalar(select(User).where(User.address == address))
    if user is None:
        user = User(address=address, roles=[])
        session.add(user)
        await session.flush()
    return user


async def _issue(
    session: AsyncSession,
    user: User,
    kind: str,
    name: str | None,
    ttl_seconds: int,
    scopes: Sequence[ApiKeyScope] = (),
) -> tuple[str, datetime]:
    prefix = SESSION_PREFIX if kind == "session" else API_KEY_PREFIX
    token = prefix + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(seconds=ttl_seconds)
    session.add(
        Credential(
            user_id=user.id,
            kind=kind,
            name=name,
            token_hash=hash_token(token),
            prefix=token[: len(prefix) + 4],
            expires_at=expires,
            scopes=",".join(sorted(set(scopes))) if kind == "api_key" else None,
        )
    )
    return token, expires


async def authenticate(session: AsyncSession, token: str) -> tuple[User, Credential]:
    """The user behind a bearer token; 401 when unknown, revoked or expired.

    One statement on every authenticated request: the credential, its user and their roles.
    """
    row = (
        (
            await session.execute(
                select(Credential, User)
                .join(User, User.id == Credential.user_id)
                .where(Credential.token_hash == hash_token(token))
                .options(joinedload(User.roles))
            )
        )
        .unique()
        .first()
    )
    if row is None or row.Credential.revoked_at is not None:
        raise Unauthorized("The credential is not valid.", code="invalid_token")
    credential, user = row.Credential, row.User
    if credential.expires_at <= utcnow():
        raise Unauthorized("The credential has expired.", code="token_expired")
    if credential.is_api_key and not user.has_role(*KEY_HOLDER_ROLES):
        # Checked on every use, not only when the role is taken away: no path can miss it.
        raise Unauthorized("The API key's owner is no longer a developer.", code="invalid_token")
    return user, credential


async def revoke_credential(session: AsyncSession, credential_id: str) -> None:
    await session.execute(
        update(Credential)
        .where(Credential.id == credential_id, Credential.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


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
    if not user.has_role(*KEY_HOLDER_ROLES):
        raise Forbidden("API keys are for users with the developer role.", code="not_a_developer")
    if not scopes:
        raise Unprocessable("Choose at least one scope.", code="invalid_scopes")
    ttl = settings.api_key_ttl_days * 86400
    token, _ = await _issue(session, user, "api_key", name, ttl, scopes)
    await session.flush()
    credential = await session.scalar(
        select(Credential).where(Credential.token_hash == hash_token(token))
    )
    assert credential is not None
    return credential, token


async def list_api_keys(session: AsyncSession, user: User) -> Sequence[Credential]:
    rows = await session.scalars(
        select(Credential)
        .where(Credential.user_id == user.id, Credential.kind == "api_key")
        .order_by(Credential.created_at.desc(), Credential.id)
    )
    return rows.all()


async def revoke_api_key(session: AsyncSession, user: User, key_id: str) -> None:
    credential = await session.get(Credential, key_id)
    if credential is None or credential.user_id != user.id or credential.kind != "api_key":
        raise NotFound("No such API key.", code="api_key_not_found")
    await revoke_credential(session, key_id)


async def list_users(session: AsyncSession, params: PageParams) -> tuple[list[User], str | None]:
    return await paginate(
        session,
        select(User),
        [SortKey(User.created_at), SortKey(User.id)],
        params,
        lambda u: (u.created_at, u.id),
    )


async def get_user(session: AsyncSession, user_id: str) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    return user


async def set_roles(session: AsyncSession, actor: User, user_id: str, roles: list[Role]) -> User:
    """Replace a user's roles (admins only; an admin cannot remove their own admin role)."""
    user = await get_user(session, user_id)
    wanted = {r for r in roles if r is not Role.user}
    if user.id == actor.id and Role.admin not in wanted:
        raise Conflict("You cannot remove your own admin role.", code="cannot_demote_self")
    user.roles = [UserRole(role=r.value) for r in sorted(wanted)]
    await session.flush()
    await _revoke_keys_unless_holder(session, user)
    return user


async def grant_role(session: AsyncSession, address: str, role: Role) -> User:
    """Used by ``ece admin grant``: creates the user if it never signed in."""
    siws.parse_pubkey(address)
    user = await _user_for_address(session, address)
    if role is not Role.user and not user.has_role(role):
        user.roles.append(UserRole(role=role.value))
    await session.flush()
    return user


async def revoke_role(session: AsyncSession, address: str, role: Role) -> User:
    user = await session.scalar(select(User).where(User.address == address))
    if user is None:
        raise NotFound("No user with that address.", code="user_not_found")
    user.roles = [r for r in user.roles if r.role != role.value]
    await session.flush()
    await _revoke_keys_unless_holder(session, user)
    return user


async def _revoke_keys_unless_holder(session: AsyncSession, user: User) -> None:
    """A user who lost the developer role loses their API keys for good (a later grant does not
    bring them back)."""
    if user.has_role(*KEY_HOLDER_ROLES):
        return
    await session.execute(
        update(Credential)
        .where(
            Credential.user_id == user.id,
            Credential.kind == "api_key",
            Credential.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )


# --- for payments: users read by id and by wallet, and the per-user row lock -------------------


async def lock_user(session: AsyncSession, user_id: str) -> None:
    """Take the user's row lock: serializes one user's requests (deposit limits)."""
    await session.execute(select(User.id).where(User.id == user_id).with_for_update())


async def user_id_by_address(session: AsyncSession, address: str) -> str | None:
    """The id of the user who signed in with wallet ``address``, if any."""
    return await session.scalar(select(User.id).where(User.address == address))
