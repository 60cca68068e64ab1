"""Every SQL statement on the auth domain's tables: users, user_roles, credentials (sessions and
API keys) and signin_nonces."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ColumnExpressionArgument,
    CursorResult,
    ScalarSelect,
    Select,
    Subquery,
    Table,
    bindparam,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value

from ece.auth.models import Credential, SigninNonce, User, UserRole
from ece.core.db import Base
from ece.core.pagination import PageParams, SortKey, paginate

_M = TypeVar("_M", bound=Base)

# --- users ---------------------------------------------------------------------------------------


async def user_by_id(session: AsyncSession, user_id: str) -> User | None:
    return await session.get(User, user_id)


async def user_by_address(session: AsyncSession, address: str) -> User | None:
    return await session.scalar(select(User).where(User.address == address))


async def user_by_id_or_address(session: AsyncSession, id_or_address: str) -> User | None:
    return await session.scalar(
        select(User).where(or_(User.id == id_or_address, User.address == id_or_address))
    )


async def user_id_by_id_or_address(session: AsyncSession, id_or_address: str) -> str | None:
    return await session.scalar(
        select(User.id).where(or_(User.id == id_or_address, User.address == id_or_address))
    )


@dataclass(frozen=True, slots=True)
class UserRef:
    """How other domains show a user: id, wallet and chosen name."""

    id: str
    address: str
    display_name: str | None


async def user_refs(session: AsyncSession, user_ids: Collection[str]) -> dict[str, UserRef]:
    if not user_ids:
        return {}
    rows = await session.execute(
        select(User.id, User.address, User.display_name).where(User.id.in_(user_ids))
    )
    return {row.id: UserRef(row.id, row.address, row.display_name) for row in rows}


async def existing_user_ids(session: AsyncSession, user_ids: Collection[str]) -> set[str]:
    if not user_ids:
        return set()
    return set(await session.scalars(select(User.id).where(User.id.in_(user_ids))))


async def addresses_by_id(session: AsyncSession, user_ids: Collection[str]) -> dict[str, str]:
    if not user_ids:
        return {}
    rows = await session.execute(select(User.id, User.address).where(User.id.in_(user_ids)))
    return {user_id: address for user_id, address in rows.tuples()}


def address_of(user_id: ColumnExpressionArgument[str]) -> ScalarSelect[str]:
    """A correlated subquery: the wallet of the user whose id is ``user_id`` (NULL if none)."""
    return select(User.address).where(User.id == user_id).scalar_subquery()


async def lock_user(session: AsyncSession, user_id: str) -> bool:
    """Lock the user's row until the transaction ends (FOR UPDATE on PostgreSQL)."""
    found = await session.scalar(select(User.id).where(User.id == user_id).with_for_update())
    return found is not None


async def add_user(session: AsyncSession, user: User) -> User:
    session.add(user)
    await session.flush()
    return user


async def any_user(session: AsyncSession) -> bool:
    return await session.scalar(select(User.id).limit(1)) is not None


async def users_page(session: AsyncSession, params: PageParams) -> tuple[list[User], str | None]:
    return await paginate(
        session,
        select(User),
        [SortKey(User.created_at), SortKey(User.id)],
        params,
        lambda u: (u.created_at, u.id),
    )


# --- credentials ---------------------------------------------------------------------------------


def _principal_statement() -> Select[Any]:
    """Credential ⋈ user ⟕ roles for one token hash, as a Core statement built once (its cache
    key is computed once too): the credential's and the user's columns, one row per role."""
    credentials: Table = Credential.__table__  # type: ignore[assignment]
    users: Table = User.__table__  # type: ignore[assignment]
    roles: Table = UserRole.__table__  # type: ignore[assignment]
    return (
        select(
            *(c.label("c_" + c.key) for c in credentials.c),
            *(c.label("u_" + c.key) for c in users.c),
            roles.c.role.label("role"),
        )
        .select_from(
            credentials.join(users, users.c.id == credentials.c.user_id).outerjoin(
                roles, roles.c.user_id == users.c.id
            )
        )
        .where(credentials.c.token_hash == bindparam("token_hash"))
    )


_PRINCIPAL = _principal_statement()


def _attached(session: AsyncSession, model: type[_M], values: dict[str, Any]) -> _M:
    """``model`` with these column values, in the session as if loaded (no statement): the
    identity map's object when the row is there already, else a new persistent one."""
    mapper = model.__mapper__
    key = mapper.identity_key_from_primary_key(
        tuple(values[str(c.key)] for c in mapper.primary_key)
    )
    present = session.identity_map.get(key)
    if present is not None:
        return cast("_M", present)
    instance = cast("_M", mapper.class_manager.new_instance())
    for name, value in values.items():
        set_committed_value(instance, name, value)
    make_transient_to_detached(instance)
    return instance


async def credential_with_user(
    session: AsyncSession, token_hash: str
) -> tuple[Credential, User] | None:
    """One Core statement on every authenticated request: the credential, its user and their
    roles, put into the session as loaded objects (no ORM query to compile or load)."""
    connection = await session.connection()
    rows = (await connection.execute(_PRINCIPAL, {"token_hash": token_hash})).all()
    if not rows:
        return None
    first = rows[0]._mapping
    user = _attached(session, User, {k[2:]: v for k, v in first.items() if k[:2] == "u_"})
    credential = _attached(
        session, Credential, {k[2:]: v for k, v in first.items() if k[:2] == "c_"}
    )
    if user not in session:
        names = sorted(row.role for row in rows if row.role is not None)
        roles = [_attached(session, UserRole, {"user_id": user.id, "role": n}) for n in names]
        set_committed_value(user, "roles", roles)
        session.add(user)
    if credential not in session:
        session.add(credential)
    return credential, user


async def credential_by_hash(session: AsyncSession, token_hash: str) -> Credential | None:
    return await session.scalar(select(Credential).where(Credential.token_hash == token_hash))


async def credential_by_id(session: AsyncSession, credential_id: str) -> Credential | None:
    return await session.get(Credential, credential_id)


async def api_keys_of(session: AsyncSession, user_id: str) -> Sequence[Credential]:
    rows = await session.scalars(
        select(Credential)
        .where(Credential.user_id == user_id, Credential.kind == "api_key")
        .order_by(Credential.created_at.desc(), Credential.id)
    )
    return rows.all()


async def revoke_credential(session: AsyncSession, credential_id: str, now: datetime) -> None:
    await session.execute(
        update(Credential)
        .where(Credential.id == credential_id, Credential.revoked_at.is_(None))
        .values(revoked_at=now)
    )


async def revoke_api_keys_of(session: AsyncSession, user_id: str, now: datetime) -> None:
    await session.execute(
        update(Credential)
        .where(
            Credential.user_id == user_id,
            Credential.kind == "api_key",
            Credential.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


# --- sign-in nonces ------------------------------------------------------------------------------


async def nonce(session: AsyncSession, nonce: str) -> SigninNonce | None:
    return await session.get(SigninNonce, nonce)


async def burn_nonce(session: AsyncSession, nonce: str, now: datetime) -> SigninNonce | None:
    """Mark an unused nonce used; the row if this call was the one that used it."""
    row = await session.get(SigninNonce, nonce)
    if row is None or row.used_at is not None:
        return None
    result = await session.execute(
        update(SigninNonce)
        .where(SigninNonce.nonce == nonce, SigninNonce.used_at.is_(None))
        .values(used_at=now)
    )
    assert isinstance(result, CursorResult)
    return row if result.rowcount == 1 else None


async def delete_nonces_expired_by(session: AsyncSession, now: datetime) -> None:
    await session.execute(delete(SigninNonce).where(SigninNonce.expires_at <= now))


def address_subquery(user_id: ColumnExpressionArgument[str]) -> ScalarSelect[str]:
    return select(User.address).where(User.id == user_id).scalar_subquery()


def user_addresses() -> Subquery:
    return select(User.id, User.address).subquery("user_addresses")
