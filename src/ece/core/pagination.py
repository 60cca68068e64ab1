"""Keyset (cursor) pagination: stable order, opaque cursors, limit at most 200 (a larger one is
refused with 422, like every bounded query parameter, never silently cut)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar, cast

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import ColumnElement, DateTime, Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.db import UTCDateTime
from ece.core.errors import Unprocessable
from ece.core.patterns import CURSOR_DESCRIPTION, CURSOR_PATTERN, stated

MAX_LIMIT = 200
DEFAULT_LIMIT = 50

T = TypeVar("T")
R = TypeVar("R")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


async def page_params(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT} (more: 422)")
    ] = DEFAULT_LIMIT,
    cursor: Annotated[
        str | None,
        Query(
            max_length=512, description=CURSOR_DESCRIPTION, json_schema_extra=stated(CURSOR_PATTERN)
        ),
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    return value


_BIGINT = 2**63
_MAX_TEXT = 256


def _invalid_cursor() -> Unprocessable:
    return Unprocessable("The cursor is not valid.", code="invalid_cursor")


def _decode_value(value: Any) -> Any:
    """One cursor value, refused unless the database can compare it: an aware datetime, an int
    in BIGINT range, or a short string without NUL (PostgreSQL rejects NUL in text)."""
    if isinstance(value, dict) and set(value) == {"dt"} and isinstance(value["dt"], str):
        try:
            moment = datetime.fromisoformat(value["dt"])
        except ValueError as exc:
            raise _invalid_cursor() from exc
        if moment.tzinfo is None:
            raise _invalid_cursor()
        return moment
    if isinstance(value, bool):
        raise _invalid_cursor()
    if isinstance(value, int) and -_BIGINT <= value < _BIGINT:
        return value
    if isinstance(value, str) and len(value) <= _MAX_TEXT and "\x00" not in value:
        return value
    raise _invalid_cursor()


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, width: int, types: Sequence[type] | None = None) -> list[Any]:
    """The values of a cursor made by ``encode_cursor``; 422 ``invalid_cursor`` for anything
    else, including values of the wrong type for their sort key (``types``, when given)."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise _invalid_cursor() from exc
    if not isinstance(values, list) or len(values) != width:
        raise _invalid_cursor()
    decoded = [_decode_value(v) for v in values]
    for value, expected in zip(decoded, types or (), strict=False):
        if not isinstance(value, expected):
            raise _invalid_cursor()
    return decoded


def _python_type(column: Any) -> type:
    """What a sort key's values are in Python (``object`` when the column type does not say)."""
    sql_type = getattr(column, "type", None)
    if isinstance(sql_type, UTCDateTime | DateTime):
        return datetime
    try:
        python_type: type = sql_type.python_type  # type: ignore[union-attr]
    except (AttributeError, NotImplementedError):
        return object
    return python_type if python_type in (int, str) else object


@dataclass(frozen=True)
class SortKey:
    column: Any  # a column or ORM attribute
    descending: bool = False


def _after(keys: Sequence[SortKey], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows strictly after ``values`` in the order given by ``keys``."""
    clauses: list[ColumnElement[bool]] = []
    for i, key in enumerate(keys):
        equal_prefix = [keys[j].column == values[j] for j in range(i)]
        step = key.column < values[i] if key.descending else key.column > values[i]
        clauses.append(and_(*equal_prefix, step))
    # Implied by the clauses, but only this form bounds an index range on the first key: a deep
    # page starts where the cursor is instead of reading (and dropping) every row before it.
    first = keys[0].column
    bound = first <= values[0] if keys[0].descending else first >= values[0]
    return and_(bound, or_(*clauses))


async def paginate(
    session: AsyncSession,
    stmt: Select[*tuple[Any, ...]],
    keys: Sequence[SortKey],
    params: PageParams,
    key_of: Callable[[R], Sequence[Any]],
    *,
    rows: bool = False,
) -> tuple[list[R], str | None]:
    """Run ``stmt`` ordered by ``keys`` (the last key must be unique) from ``params.cursor``.

    The page holds the first column of each result row, or whole rows with ``rows=True``.
    """
    if params.cursor:
        types = [_python_type(k.column) for k in keys]
        stmt = stmt.where(_after(keys, decode_cursor(params.cursor, len(keys), types)))
    stmt = stmt.order_by(*(k.column.desc() if k.descending else k.column.asc() for k in keys))
    stmt = stmt.limit(params.limit + 1)
    result = await session.execute(stmt) if rows else await session.scalars(stmt)
    page = list(cast(Sequence[R], result.all()))
    next_cursor = None
    if len(page) > params.limit:
        page = page[: params.limit]
        next_cursor = encode_cursor(key_of(page[-1]))
    return page, next_cursor


async def newest_first(
    session: AsyncSession, stmt: Select[*tuple[Any, ...]], model: type[Any], params: PageParams
) -> tuple[list[Any], str | None]:
    """``paginate`` for a history: rows of ``model`` newest first (``created_at``, then the
    unique ``id``)."""
    return await paginate(
        session,
        stmt,
        [SortKey(model.created_at, True), SortKey(model.id, True)],
        params,
        lambda row: (row.created_at, row.id),
    )
