"""The one read a refusal made before routing needs of its caller (``ece.market.middleware``):
is the bearer a live sign-in session, and is the request's ``Idempotency-Key`` unused?

One prepared statement, never through the ORM: the credential by its hash (the unique index
every authentication uses) and, in the same statement, whether the key has a record under its
user. The answer is never cached: a session revoked or expired, by any process, is refused on
the very next request (no revocation latency), and a key stored by another process is seen.
An API key is never accepted here (its scopes are the route's to check).

On SQLite the read runs on a read-only connection of its own, on the event loop's thread: a
point read by a unique index in WAL mode waits on no writer and takes microseconds, where a
trip through the async driver's thread costs far more than the read. It never waits for a lock
(a busy file leaves the request to the full path). On PostgreSQL it is one round trip on the
application's pool, in autocommit (no BEGIN, no ROLLBACK).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy
from sqlalchemy import StaticPool, bindparam, literal, select
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

from ece.auth.models import Credential
from ece.auth.rules import CredentialState, credential_refusal, hash_token
from ece.core import idempotency
from ece.core.clock import utcnow
from ece.core.db import Database

_credentials: Any = Credential.__table__
_by_hash = _credentials.c.token_hash == bindparam("token_hash")
_columns = (
    _credentials.c.user_id,
    _credentials.c.kind,
    _credentials.c.revoked_at,
    _credentials.c.expires_at,
)
_WITHOUT_KEY = select(*_columns, literal(True).label("unused")).where(_by_hash)
_WITH_KEY = select(
    *_columns,
    (~idempotency.recorded(_credentials.c.user_id, bindparam("key"))).label("unused"),
).where(_by_hash)


def _read_only_sqlite(db: Database) -> Engine | None:
    path = make_url(db.url).database
    if not path or path == ":memory:":
        return None  # a private in-memory database: only the app's own pool sees it
    return sqlalchemy.create_engine(
        f"sqlite:///file:{path}?mode=ro&uri=true",
        poolclass=StaticPool,
        connect_args={"check_same_thread": False, "timeout": 0},
    )


class SessionCheck:
    """``user_with_fresh_key`` for one ``Database``; ``close`` at shutdown."""

    def __init__(self, db: Database) -> None:
        self._lite = _read_only_sqlite(db) if db.is_sqlite else None
        self._pooled = db.engine.execution_options(isolation_level="AUTOCOMMIT")

    @property
    def engine(self) -> Engine:
        """The engine the read runs on (its statements, for tests and budgets)."""
        return self._lite or self._pooled.sync_engine

    async def user_with_fresh_key(self, token: str, key: str | None) -> str | None:
        """The user signed in by the session ``token``, if it is live (not revoked, not
        expired) and ``key`` (when sent) was never recorded for them; otherwise None: the full
        path, which answers 401, replays or refuses the key, decides."""
        params = {"token_hash": hash_token(token)}
        statement = _WITHOUT_KEY
        if key is not None:
            params["key"] = key
            statement = _WITH_KEY
        if self._lite is not None:
            try:
                with self._lite.connect() as conn:
                    row = conn.execute(statement, params).first()
            except OperationalError:
                return None  # busy (or gone): the full path waits its turn instead
        else:
            async with self._pooled.connect() as conn:
                row = (await conn.execute(statement, params)).first()
        if row is None or row.kind != "session" or not row.unused:
            return None
        state = CredentialState(row.revoked_at is not None, row.expires_at, False)
        if credential_refusal(state, (), utcnow()) is not None:
            return None
        return str(row.user_id)

    def close(self) -> None:
        if self._lite is not None:
            self._lite.dispose()
