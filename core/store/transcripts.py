"""Appending audit events to a session: consecutive seq numbers, on any number of replicas.

The seq numbers come from one `UPDATE sessions SET last_seq = last_seq + n … RETURNING`:
on PostgreSQL the row lock serialises appenders until they commit, on SQLite the write
lock does, so two appenders can never take the same numbers and a rolled-back append
leaves no gap. The unique (session_id, seq) constraint is the backstop.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias, cast

from sqlalchemy import Select, Table, Update, bindparam, insert, select, update
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from core.domain.errors import Conflict, NotFound
from core.domain.ids import new_id

from . import change_tracking, live, sqlite_inline
from .read_cache import ReadCache
from .tables import AuditEventRow, SessionRow

_SESSIONS = cast(Table, SessionRow.__table__)
_EVENTS = cast(Table, AuditEventRow.__table__)
_INSERT_EVENTS = insert(_EVENTS)


@dataclass(frozen=True)
class NewEvent:
    event_type: str
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as `write` wrote it: AuditEventRow's columns, without an ORM instance's
    cost (building four of those took as long as writing them)."""

    id: str
    session_id: str
    seq: int
    ts_ms: int
    channel: str
    event_type: str
    payload: dict[str, Any]
    trace_id: str


# An audit event as a reader gets it: read back from the table, or just appended.
Event: TypeAlias = AuditEventRow | StoredEvent


class Append:
    """One append worked out: `events` in order, and `changes` (new column values) to the
    session row in the same statement; `counts_turn` adds one to its turns. With
    `expect_turns` (and `expect_status`) it happens only if no other turn committed (and the
    status did not change) since the caller read the session, else Conflict. Holds the
    session row's bump with its parameters, and makes the event rows once the bump has
    said which seq numbers they take."""

    def __init__(
        self,
        session_id: str,
        channel: str,
        trace_id: str,
        events: Sequence[NewEvent],
        *,
        changes: Mapping[str, Any] | None = None,
        counts_turn: bool = False,
        expect_turns: int | None = None,
        expect_status: str | None = None,
        at_ms: int,
    ):
        changes = dict(changes or {})
        self.session_id = session_id
        self.conditional = expect_turns is not None or expect_status is not None
        self.bump = _bump(
            tuple(sorted(changes)),
            counts_turn,
            expect_turns is not None,
            expect_status is not None,
        )
        self.params = {f"new_{column}": value for column, value in changes.items()}
        self.params.update(
            session_id=session_id,
            events=len(events),
            expect_turns=expect_turns,
            expect_status=expect_status,
        )
        self._channel = channel
        self._trace_id = trace_id
        self._events = events
        self._at_ms = at_ms

    def rows(self, last: int) -> list[dict[str, Any]]:
        first = last - len(self._events) + 1
        stamp = self._at_ms
        return [
            {
                "id": new_id("event"),
                "session_id": self.session_id,
                "seq": first + offset,
                "ts_ms": stamp,
                "channel": self._channel,
                "event_type": event.event_type,
                "payload": event.payload,
                "trace_id": self._trace_id,
            }
            for offset, event in enumerate(self._events)
        ]

    def refused(self) -> Exception:
        """Why the bump matched no row: a turn raced this one, or there is no session."""
        if self.conditional:
            return Conflict(
                "another turn of this session finished first; send the message again",
                "TURN_CONFLICT",
            )
        return NotFound("session")


async def write(session: AsyncSession, plan: Append) -> list[StoredEvent]:
    """`plan` inside the caller's transaction. Streams open on the session, on any replica,
    hear of the events when the transaction commits."""
    session_id = plan.session_id
    if session.new or session.dirty or session.deleted:
        await session.flush()  # as an ORM execute would: the bump may need a pending row
    inline = await sqlite_inline.inline_connection(session)
    if inline is not None:
        # Both statements in one call on SQLite's driver, in the session's transaction.
        prepared = _prepared(plan.bump, session.get_bind().dialect)
        last, values = await inline.run(_write, inline.raw, prepared, plan, False)
        change_tracking.written(session.sync_session, _SESSIONS, [session_id])
    else:
        # The read cache drops this one session, not every session (change_tracking.py).
        last = await session.scalar(
            plan.bump, plan.params, execution_options={"cache_keys": [session_id]}
        )
        values = [] if last is None else plan.rows(last)
        if values:
            # One multi-row INSERT rather than the unit of work: a turn writes several
            # events, and nothing reads them back in this transaction.
            await session.execute(_INSERT_EVENTS, values)
    if last is None:
        raise plan.refused()
    await live.mark_changed(session, session_id, last)
    return [StoredEvent(**row) for row in values]


class DirectAppends:
    """Appends that are a transaction of their own, each committed in one call on SQLite's
    driver: for a turn that writes nothing else, no ORM session to open, flush, commit and
    close, and no connection to check out, which together cost more than the write. One
    pooled connection stays checked out for them, and they take turns on it (SQLite takes
    one writer at a time anyway). On any other database `write` returns None, having done
    nothing, and the caller appends in a session. No session hooks run, so after a commit
    this does what they would: drop the session from the read cache, and wake its
    watchers."""

    def __init__(self, engine: AsyncEngine, cache: ReadCache, live_events: live.LiveEvents):
        self._engine = engine
        self._cache = cache
        self._live = live_events
        self._turn = asyncio.Lock()
        self._connection: AsyncConnection | None = None
        self._inline: sqlite_inline.InlineConnection | None = None
        self._elsewhere = engine.dialect.name != "sqlite"

    async def write(self, plan: Append) -> list[StoredEvent] | None:
        """`plan`, committed; None on a database without the direct path."""
        if self._elsewhere:
            return None
        prepared = _prepared(plan.bump, self._engine.dialect)
        async with self._turn:
            inline = self._inline or await self._open()
            if inline is None:
                return None
            last, values = await inline.run(_write, inline.raw, prepared, plan, True)
        if last is None:
            raise plan.refused()
        self._cache.invalidate({("session", plan.session_id)})
        self._live.publish(plan.session_id, last)
        return [StoredEvent(**row) for row in values]

    async def _open(self) -> sqlite_inline.InlineConnection | None:
        connection = await self._engine.connect()
        driver = await sqlite_inline.driver_of(connection)
        if driver is None:  # e.g. aiosqlite proper
            await connection.close()
            self._elsewhere = True
            return None
        self._connection, self._inline = connection, driver
        return driver

    async def close(self) -> None:
        async with self._turn:
            if self._connection is not None:
                await self._connection.close()
            self._connection = self._inline = None


def _write(
    raw: sqlite3.Connection,
    prepared: tuple[sqlite_inline.Prepared, sqlite_inline.Prepared],
    plan: Append,
    commit: bool,
) -> tuple[int | None, list[dict[str, Any]]]:
    """The session row's bump, then its events, on SQLite's own cursor; with `commit`, as
    a transaction of their own (rolled back whole on any failure)."""
    bump, insert_events = prepared
    cursor = raw.cursor()
    try:
        found = cursor.execute(bump.sql, bump.parameters(plan.params)).fetchone()
        values = [] if found is None else plan.rows(found[0])
        if values:
            cursor.executemany(insert_events.sql, [insert_events.parameters(v) for v in values])
        if commit and found is not None:
            raw.commit()
        elif commit:
            raw.rollback()  # the bump matched nothing: nothing to keep
        return (None if found is None else found[0]), values
    except BaseException:
        if commit:
            raw.rollback()
        raise
    finally:
        cursor.close()


@functools.cache
def _prepared(
    bump: Update, dialect: Dialect
) -> tuple[sqlite_inline.Prepared, sqlite_inline.Prepared]:
    """One shape of append as SQLite runs it: the session bump and the event INSERT."""
    columns = [column.key for column in _EVENTS.columns]
    return (
        sqlite_inline.Prepared(bump, dialect),
        sqlite_inline.Prepared(_INSERT_EVENTS, dialect, column_keys=columns),
    )


@functools.cache
def _bump(
    columns: tuple[str, ...], counts_turn: bool, expect_turns: bool, expect_status: bool
) -> Update:
    """The session row's UPDATE … RETURNING for one shape of append, built once: building
    and caching a statement costs more than running it."""
    table = _SESSIONS
    values: dict[str, Any] = {"last_seq": table.c.last_seq + bindparam("events")}
    values.update({c: bindparam(f"new_{c}", type_=table.c[c].type) for c in columns})
    if counts_turn:
        values["turns"] = table.c.turns + 1
    statement = update(table).where(table.c.id == bindparam("session_id")).values(values)
    if expect_turns:
        statement = statement.where(table.c.turns == bindparam("expect_turns"))
    if expect_status:
        statement = statement.where(table.c.status == bindparam("expect_status"))
    return statement.returning(table.c.last_seq)


def events_query(session_id: str) -> Select[Any]:
    return select(AuditEventRow).where(AuditEventRow.session_id == session_id)


async def events_between(
    session: AsyncSession, session_id: str, first: int, last: int
) -> list[AuditEventRow]:
    rows = await session.scalars(
        events_query(session_id)
        .where(AuditEventRow.seq >= first, AuditEventRow.seq <= last)
        .order_by(AuditEventRow.seq)
    )
    return list(rows.all())
