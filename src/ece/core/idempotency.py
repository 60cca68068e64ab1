"""Idempotency keys for value-moving POSTs.

By default a claim row is committed before the endpoint runs, so a concurrent duplicate sees it
(409 ``idempotency_key_in_use``). The stored response is written in the *same* transaction as
the endpoint's own work (see ``ece.runtime.routing``): either both commit or neither does, so a
crash cannot leave value moved without a replayable answer. A claim whose worker died is taken
over after ``idempotency_lock_seconds``.

A hot endpoint whose work runs on the request's own session (a buy, a bid) claims *inside* that
work's transaction instead (``commit=False``): one commit less, and no claim to delete when the
work is refused (the rollback takes it). A concurrent duplicate then waits on the key's row (the
unique index on PostgreSQL, the writer lock on SQLite) and, once the first commits, reads and
replays the stored answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import Request
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Exists,
    Integer,
    Row,
    String,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    delete,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from ece.core.clock import utcnow
from ece.core.db import Base, Database, IdMixin, TimestampMixin, new_id
from ece.core.errors import Conflict, Unprocessable

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"


class IdempotencyRecord(IdMixin, TimestampMixin, Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    scope: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))  # running | done
    locked_until: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)
    response_content_type: Mapped[str | None] = mapped_column(String(128))


@dataclass(frozen=True)
class IdempotencyClaim:
    record_id: str
    committed: bool = True  # False: claimed in the work's transaction, its rollback frees it


class IdempotentReplay(Exception):
    """Raised by the claim when the stored answer must be sent again."""

    def __init__(self, status: int, body: str, content_type: str) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type


def _request_hash(request: Request, body: bytes) -> str:
    digest = hashlib.sha256()
    digest.update(request.method.encode())
    digest.update(b"\0" + request.url.path.encode() + b"\0")
    try:
        # Same JSON with other whitespace or key order is the same request.
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    except (ValueError, UnicodeDecodeError):
        canonical = body
    digest.update(canonical)
    return digest.hexdigest()


def _in_use() -> Conflict:
    return Conflict(
        "A request with this Idempotency-Key is still being processed.",
        code="idempotency_key_in_use",
        headers={"Retry-After": "1"},
    )


def _refuse_or_replay(
    existing: Row[Any, Any, Any, Any, Any, Any, Any, Any], request_hash: str, now: datetime
) -> None:
    """Raise what a key seen before answers: 422 for another body, the stored answer again,
    or 409 while its first request still runs; return when that request died (take it over)."""
    if existing.request_hash != request_hash:
        raise Unprocessable(
            "This Idempotency-Key was used with a different request.",
            code="idempotency_key_reused",
        )
    if existing.state == "done":
        assert existing.response_status is not None
        raise IdempotentReplay(
            existing.response_status,
            existing.response_body or "",
            existing.response_content_type or "application/json",
        )
    if existing.locked_until > now:
        raise _in_use()


_RECORDS: Table = IdempotencyRecord.__table__  # type: ignore[assignment]
_WHERE_KEY = (_RECORDS.c.scope == bindparam("scope"), _RECORDS.c.key == bindparam("key"))
_CLAIM_VALUES: dict[str, BindParameter[Any]] = {
    name: bindparam(name)
    for name in (
        "id",
        "created_at",
        "scope",
        "key",
        "request_hash",
        "state",
        "locked_until",
        "expires_at",
    )
}
# Core statements built once (their cache keys too), run on the session's connection: no ORM
# statement to compile, no identity map, no flush. A claim is one INSERT that ignores a key
# already there; only a key seen before is read.
_CLAIM = {
    "postgresql": postgresql.insert(_RECORDS)
    .values(_CLAIM_VALUES)
    .on_conflict_do_nothing()
    .returning(_RECORDS.c.id),
    "sqlite": sqlite.insert(_RECORDS)
    .values(_CLAIM_VALUES)
    .on_conflict_do_nothing()
    .returning(_RECORDS.c.id),
}
_SEEN = select(
    _RECORDS.c.id,
    _RECORDS.c.request_hash,
    _RECORDS.c.state,
    _RECORDS.c.locked_until,
    _RECORDS.c.expires_at,
    _RECORDS.c.response_status,
    _RECORDS.c.response_body,
    _RECORDS.c.response_content_type,
).where(*_WHERE_KEY)
_FREE_EXPIRED = delete(_RECORDS).where(*_WHERE_KEY, _RECORDS.c.expires_at <= bindparam("now"))
_TAKE_OVER = (
    update(_RECORDS)
    .where(_RECORDS.c.id == bindparam("record_id"))
    .values(locked_until=bindparam("locked_until"))
)
_COMPLETE = (
    update(_RECORDS)
    .where(_RECORDS.c.id == bindparam("record_id"))
    .values(
        state="done",
        response_status=bindparam("response_status"),
        response_body=bindparam("response_body"),
        response_content_type=bindparam("response_content_type"),
    )
)
_KEY_SEEN = select(_RECORDS.c.id).where(*_WHERE_KEY)


async def claim(
    request: Request,
    session: AsyncSession,
    *,
    scope: str,
    ttl: timedelta,
    lock: timedelta,
    commit: bool = True,
) -> IdempotencyClaim | None:
    """Claim the request's ``Idempotency-Key`` for ``scope`` (or do nothing without one).

    Runs on the request's own session. With ``commit`` it commits, so the claim is visible to a
    concurrent duplicate before the endpoint starts (on SQLite a second connection would wait
    on our own write lock). Without, the claim belongs to the work's own transaction: only an
    endpoint that does all its work on this session may ask for that.
    """
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= 255 or not key.isprintable():
        raise Unprocessable(
            "Idempotency-Key must be 1 to 255 printable characters.",
            code="invalid_idempotency_key",
        )
    request_hash = _request_hash(request, await request.body())
    now = utcnow()
    connection = await session.connection()
    where = {"scope": scope, "key": key}
    for _ in range(2):
        record_id = new_id()
        inserted = (
            await connection.execute(
                _CLAIM[connection.dialect.name],
                {
                    **where,
                    "id": record_id,
                    "created_at": now,
                    "request_hash": request_hash,
                    "state": "running",
                    "locked_until": now + lock,
                    "expires_at": now + ttl,
                },
            )
        ).scalar()
        if inserted is not None:
            if commit:
                await session.commit()
            return IdempotencyClaim(record_id, committed=commit)
        existing = (await connection.execute(_SEEN, where)).one_or_none()
        if existing is None or existing.expires_at <= now:
            # Expired (or purged meanwhile): the key is free again; claim it afresh.
            await connection.execute(_FREE_EXPIRED, {**where, "now": now})
            continue
        break
    else:
        raise _in_use()
    _refuse_or_replay(existing, request_hash, now)
    # The first attempt died without an answer: take it over.
    await connection.execute(_TAKE_OVER, {"record_id": existing.id, "locked_until": now + lock})
    if commit:
        await session.commit()
    return IdempotencyClaim(existing.id, committed=commit)


async def complete(
    session: AsyncSession, claim_: IdempotencyClaim, status: int, body: bytes, content_type: str
) -> None:
    """Store the answer inside the endpoint's own transaction."""
    await complete_all(session, [(claim_, status, body, content_type)])


async def complete_all(
    session: AsyncSession, answers: Sequence[tuple[IdempotencyClaim, int, bytes, str]]
) -> None:
    """``complete`` for several claims (claim, status, body, content type) in one statement
    (work that applies several requests in one transaction: the bids of a batch)."""
    if not answers:
        return
    connection = await session.connection()
    await connection.execute(
        _COMPLETE,
        [
            {
                "record_id": claim_.record_id,
                "response_status": status,
                "response_body": body.decode(),
                "response_content_type": content_type,
            }
            for claim_, status, body, content_type in answers
        ],
    )


async def release(db: Database, claim_: IdempotencyClaim) -> None:
    """Forget a claim whose request changed nothing, so the client may retry with the key."""
    if not claim_.committed:
        return  # the work's rollback took the claim with it
    async with db.unit_of_work() as session:
        await session.execute(
            delete(IdempotencyRecord).where(
                IdempotencyRecord.id == claim_.record_id, IdempotencyRecord.state == "running"
            )
        )


async def purge_expired(session: AsyncSession) -> int:
    result: Any = await session.execute(
        delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())
    )
    return int(result.rowcount or 0)


async def key_seen(session: AsyncSession, scope: str, key: str) -> bool:
    """Whether ``key`` has a record under ``scope`` (stored, running or expired but not yet
    purged): a cheap refusal must then leave the request to the full path, which replays,
    refuses a reused key or waits on the running one."""
    connection = await session.connection()
    found = (await connection.execute(_KEY_SEEN, {"scope": scope, "key": key})).scalar()
    return found is not None


def recorded(scope: ColumnElement[str], key: ColumnElement[str] | str) -> Exists:
    """SQL: whether ``key`` has a record under ``scope`` (as ``key_seen``), for a cheap refusal
    that asks it in the same statement as its other read."""
    return (
        select(IdempotencyRecord.id)
        .where(IdempotencyRecord.scope == scope, IdempotencyRecord.key == key)
        .exists()
    )
