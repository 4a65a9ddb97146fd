"""SQLite for the async engine without a thread hop per call.

aiosqlite runs every call (cursor, execute, fetch, close, commit) on a worker thread, and
SQLAlchemy makes four such calls per statement: about 0.3 ms of hand-offs for work SQLite
itself does in tens of microseconds. That overhead was most of a chat turn's added latency.
This module gives SQLAlchemy's aiosqlite dialect (through `async_creator`) connections of
the same shape whose calls run right here on the event loop, because none of them waits:

- COMMIT writes the WAL without syncing it (the database runs `synchronous=NORMAL`, see
  db.py). The commit that takes the WAL past SQLite's threshold (1000 pages, a few hundred
  turns) also checkpoints it into the database file, a pause of a few milliseconds; doing
  that anywhere else lets the WAL grow without bound under steady writes.
- While ANOTHER connection to the same file holds an open write transaction (one whose
  coroutine awaits something mid-transaction), a write that would start a transaction goes
  to a worker thread. Run inline, it would sit in SQLite's busy handler on the loop thread,
  and the transaction it waits for could never finish.

Reads never wait (WAL readers do not block), and a write that finds no other transaction
open in this process can only be held up by another process's write (an admin command's
single short transaction). Connections are registered per database file across every
engine in the process, because a serving core and an admin helper may open the same file.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

T = TypeVar("T")

# Writes that may wait sit in SQLite's busy handler, each holding a thread, until the lock
# holder (which never needs a thread) commits.
_WAITING_WRITES = ThreadPoolExecutor(max_workers=16, thread_name_prefix="sqlite-write")
# Opening a connection touches the file system: kept off the loop.
_CONNECTING = ThreadPoolExecutor(max_workers=2, thread_name_prefix="sqlite-connect")
_OPEN: dict[str, weakref.WeakSet[InlineConnection]] = {}


class InlineCursor:
    """The aiosqlite cursor surface SQLAlchemy uses. Rows are fetched in the same call as
    the statement, so a hand-off (when one is needed) is one per statement."""

    arraysize = 1

    def __init__(self, connection: InlineConnection):
        self._connection = connection
        self._cursor = connection.raw.cursor()
        self._rows: list[Any] = []

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> InlineCursor:
        reads = sql.lstrip()[:6].upper() == "SELECT"  # a WAL reader never waits for a lock
        self._rows = await self._connection.run(self._execute, sql, parameters, reads=reads)
        return self

    def _execute(self, sql: str, parameters: Sequence[Any]) -> list[Any]:
        self._cursor.execute(sql, parameters)
        return self._cursor.fetchall() if self._cursor.description else []

    async def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> InlineCursor:
        await self._connection.run(self._cursor.executemany, sql, rows)
        self._rows = []
        return self

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        count = size or self.arraysize
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def close(self) -> None:
        self._cursor.close()


class InlineConnection:
    """The aiosqlite connection surface SQLAlchemy's dialect uses."""

    def __init__(self, database: str, raw: sqlite3.Connection):
        self.database = database
        self.raw = raw
        # The dialect reads these two aiosqlite attributes: `_connection` to tell an open
        # connection from a closed one, `_conn` for the underlying sqlite3 connection.
        self._connection: sqlite3.Connection | None = raw
        self._conn = raw
        _OPEN.setdefault(database, weakref.WeakSet()).add(self)

    @classmethod
    async def connect(cls, database: str) -> InlineConnection:
        # Used from the loop thread and, for hand-offs, a worker thread, never both at once:
        # SQLAlchemy's pool lends a connection to one coroutine, which awaits each call.
        raw = await asyncio.get_running_loop().run_in_executor(
            _CONNECTING, lambda: sqlite3.connect(database, check_same_thread=False)
        )
        return cls(database, raw)

    def _may_wait(self) -> bool:
        """Whether a write here could wait for a lock that this process holds: when another
        connection has a transaction open and this one has none. (One that has a transaction
        open wrote in it, so it holds the write lock and never waits.)"""
        if self.raw.in_transaction:
            return False
        return any(
            other is not self and other._connection is not None and other.raw.in_transaction
            for other in _OPEN.get(self.database, ())
        )

    async def run(self, call: Callable[..., T], *args: Any, reads: bool = False) -> T:
        if not reads and self._may_wait():
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(_WAITING_WRITES, call, *args)
        return call(*args)

    def cursor(self) -> InlineCursor:
        return InlineCursor(self)

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    @property
    def isolation_level(self) -> str | None:
        return self.raw.isolation_level

    async def commit(self) -> None:
        if self.raw.in_transaction:
            self.raw.commit()

    async def rollback(self) -> None:
        if self.raw.in_transaction:  # never waits: rolling back only lets go
            self.raw.rollback()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self.raw.create_function(*args, **kwargs)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection = None
            self.raw.close()

    def stop(self) -> None:
        """aiosqlite's forced close, used when SQLAlchemy terminates a connection."""
        if self._connection is not None:
            self._connection = None
            self.raw.close()


def creator(database: str) -> Callable[[], Any]:
    """An `async_creator` for `create_async_engine` on the file (or :memory:) `database`."""

    async def connect() -> InlineConnection:
        return await InlineConnection.connect(database)

    return connect


async def inline_connection(session: AsyncSession) -> InlineConnection | None:
    """The inline SQLite connection under `session`'s transaction (begun if it was not),
    or None when the session is on another database."""
    return await driver_of(await session.connection())


async def driver_of(connection: AsyncConnection) -> InlineConnection | None:
    """The inline SQLite connection `connection` runs on, or None on another driver."""
    driver = (await connection.get_raw_connection()).driver_connection
    return driver if isinstance(driver, InlineConnection) else None


class Prepared:
    """A Core statement compiled once, for running straight on an inline connection's
    sqlite3 cursor: the SQL SQLAlchemy would send, with parameters bound positionally
    through the column types' own processors (JSON to text). A hot write path uses it to
    skip SQLAlchemy's per-execution machinery, about 0.1 ms a statement; the statement
    itself stays the one Core builds."""

    def __init__(
        self,
        statement: ClauseElement,
        dialect: Dialect,
        column_keys: Sequence[str] | None = None,
    ):
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        assert isinstance(compiled, SQLCompiler)
        self.sql = compiled.string
        defaults = compiled.construct_params(_check=False)
        self._slots = [
            (name, defaults.get(name), compiled.binds[name].type.bind_processor(dialect))
            for name in compiled.positiontup or ()
        ]

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        bound = []
        for name, default, process in self._slots:
            value = values.get(name, default)
            bound.append(value if process is None else process(value))
        return tuple(bound)
