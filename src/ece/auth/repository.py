"""Every SQL statement on the auth domain's tables: users, user_roles, credentials (sessions and
API keys) and signin_nonces."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnExpressionArgument,
    CursorResult,
    ScalarSelect,
    Subquery,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from ece.auth.models import Credential, SigninNonce, User
from ece.core.pagination import PageParams, SortKey, paginate

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


async def credential_with_user(
    session: AsyncSession, token_hash: str
) -> tuple[Credential, User] | None:
    """One statement on every authenticated request: the credential, its user and their roles."""
    row = (
        (
            await session.execute(
                select(Credential, User)
                .join(User, User.id == Credential.user_id)
                .where(Credential.token_hash == token_hash)
                .options(joinedload(User.roles))
            )
        )
        .unique()
        .first()
    )
    return None if row is None else (row.Credential, row.User)


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
