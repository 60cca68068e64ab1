"""Keyset (cursor) pagination: stable order, opaque cursors, limit capped at 200."""

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
from sqlalchemy import ColumnElement, Select, and_, or_
from sqlalchemy.ext.asyncio import AsyncSession

from ece.core.errors import Unprocessable

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
    limit: Annotated[int, Query(ge=1, description=f"Page size, capped at {MAX_LIMIT}")] = (
        DEFAULT_LIMIT
    ),
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> PageParams:
    return PageParams(limit=min(limit, MAX_LIMIT), cursor=cursor)


def _encode_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"dt": value.isoformat()}
    return value


def _decode_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"dt"}:
        return datetime.fromisoformat(value["dt"])
    return value


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps([_encode_value(v) for v in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise Unprocessable("The cursor is not valid.", code="invalid_cursor") from exc
    if not isinstance(values, list) or len(values) != width:
        raise Unprocessable("The cursor is not valid.", code="invalid_cursor")
    try:
        return [_decode_value(v) for v in values]
    except (TypeError, ValueError) as exc:
        raise Unprocessable("The cursor is not valid.", code="invalid_cursor") from exc


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
    return or_(*clauses)


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
        stmt = stmt.where(_after(keys, decode_cursor(params.cursor, len(keys))))
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
