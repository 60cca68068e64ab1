"""SQLAlchemy's aiosqlite adapter with one hop per statement.

aiosqlite runs every ``sqlite3`` call on the connection's own thread: each call is a hop from
the event loop to that thread and back (a queue put, a thread wake-up, a ``call_soon_threadsafe``
wake-up of the loop). SQLAlchemy's adapter makes four hops for a query (open a cursor, execute,
fetch all rows, close the cursor) and three for a write; a buy's transaction, held under
SQLite's writer gate, made ~17. This adapter's cursor runs the whole statement (cursor,
execute, every row, rowcount, lastrowid, close) as one function on that thread: one hop, the
rows and attributes SQLAlchemy reads afterwards already in hand, exactly what the stock cursor
would have collected (it also fetches every row before returning). Transaction control,
connection and server-side cursors are SQLAlchemy's own.

Handed to the engine as its DBAPI module (``create_async_engine(..., module=one_hop_dbapi())``),
so it is this project's engines only, not a patch of SQLAlchemy.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

_Outcome = tuple[Any, list[Any], int, int | None]


def _execute(conn: sqlite3.Connection, operation: str, parameters: Any) -> _Outcome:
    cursor = conn.cursor()
    try:
        if parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else []
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


def _executemany(conn: sqlite3.Connection, operation: str, parameters: Sequence[Any]) -> _Outcome:
    cursor = conn.cursor()
    try:
        cursor.executemany(operation, parameters)
        return cursor.description, [], cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor whose ``execute`` is one hop to the connection's thread (see the module)."""

    __slots__ = ("_arraysize", "_description", "_lastrowid", "_rowcount")

    def __init__(self, adapt_connection: Any) -> None:
        # No driver cursor is opened here (the stock adapter's first hop).
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    def _hop(self, work: Callable[[sqlite3.Connection], _Outcome]) -> None:
        # The queue every aiosqlite call goes through (ece.core.db.on_sqlite_thread's).
        driver: Any = self._connection
        try:
            description, rows, self._rowcount, self._lastrowid = await_(
                driver._execute(work, driver._conn)
            )
        except Exception as error:
            self._adapt_connection._handle_exception(error)
        self._description = description
        self._rows = deque(rows)

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._hop(lambda conn: _execute(conn, operation, parameters))

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        self._hop(lambda conn: _executemany(conn, operation, seq_of_parameters))

    async def _async_soft_close(self) -> None:
        return None  # nothing open on the thread: every statement closed its cursor there

    def close(self) -> None:
        self._rows.clear()

    def setinputsizes(self, *inputsizes: Any) -> None:
        return None

    def nextset(self) -> None:
        return None


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ()
    _cursor_cls = OneHopCursor


class OneHopDbapi(AsyncAdapt_aiosqlite_dbapi):
    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        stock = super().connect(*arg, **kw)
        return OneHopConnection(self, stock._connection)


def one_hop_dbapi() -> OneHopDbapi:
    """The DBAPI module to give a ``sqlite+aiosqlite`` engine (``module=``)."""
    return OneHopDbapi(aiosqlite, sqlite3)
