"""Remembered ledger account ids, one cache per database (so per connection pool).

Account ids never change and accounts are never deleted, so the id of an (owner, asset, purpose)
can be remembered once it is known to be committed: a hot path (a sale touches four accounts)
then reads no account rows but the ones it locks. The cache travels in ``session.info``: whoever
builds a ``Database`` gives it ``AccountIdCache().session_info()``; a session without one simply
reads every time.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

AccountKey = tuple[str, str, str, str]  # owner type, owner id, asset, purpose

_SESSION_KEY = "ece.ledger.account_ids"
_CREATED_HERE = "ece.ledger.accounts_created"  # session.info: keys this session inserted


class AccountIdCache:
    """Ids of accounts known to be committed, by (owner type, owner id, asset, purpose)."""

    def __init__(self) -> None:
        self._ids: dict[AccountKey, int] = {}

    def session_info(self) -> dict[str, object]:
        """What a database's sessions carry in ``info`` to reach this cache."""
        return {_SESSION_KEY: self}

    def get(self, key: AccountKey) -> int | None:
        return self._ids.get(key)

    def remember(self, session: AsyncSession, key: AccountKey, account_id: int) -> None:
        """Remember ``key`` unless this transaction created it (it may yet be rolled back)."""
        if key not in session.info.get(_CREATED_HERE, ()):
            self._ids[key] = account_id


def cache_of(session: AsyncSession) -> AccountIdCache | None:
    cache = session.info.get(_SESSION_KEY)
    return cache if isinstance(cache, AccountIdCache) else None


def created_here(session: AsyncSession, key: AccountKey) -> None:
    """Note that this session inserted ``key``: not committed until the session commits."""
    session.info.setdefault(_CREATED_HERE, set()).add(key)
