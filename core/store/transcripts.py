"""Appending audit events to a session: consecutive seq numbers, on any number of replicas.

The seq numbers come from one `UPDATE sessions SET last_seq = last_seq + n … RETURNING`:
on PostgreSQL the row lock serialises appenders until they commit, on SQLite the write
lock does, so two appenders can never take the same numbers and a rolled-back append
leaves no gap. The unique (session_id, seq) constraint is the backstop.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Select, Table, Update, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain.errors import Conflict, NotFound
from core.domain.ids import new_id, now_ms

from . import live
from .tables import AuditEventRow, SessionRow

_SESSIONS = cast(Table, SessionRow.__table__)
_EVENTS = cast(Table, AuditEventRow.__table__)
_INSERT_EVENTS = insert(_EVENTS)


@dataclass(frozen=True)
class NewEvent:
    event_type: str
    payload: dict[str, Any]


async def append(
    session: AsyncSession,
    session_id: str,
    channel: str,
    trace_id: str,
    events: Sequence[NewEvent],
    *,
    changes: Mapping[str, Any] | None = None,
    counts_turn: bool = False,
    expect_turns: int | None = None,
    expect_status: str | None = None,
) -> list[AuditEventRow]:
    """Adds `events` in order (inside the caller's transaction) and applies `changes` (new
    column values) to the session row in the same statement; `counts_turn` adds one to its
    turns. With `expect_turns` (and `expect_status`), the append happens only if no other
    turn committed (and the status did not change) since the caller read the session, else
    Conflict. Streams open on the session, on any replica, hear of the events when the
    transaction commits."""
    changes = dict(changes or {})
    statement = _bump(
        tuple(sorted(changes)), counts_turn, expect_turns is not None, expect_status is not None
    )
    params = {f"new_{column}": value for column, value in changes.items()}
    params.update(
        session_id=session_id,
        events=len(events),
        expect_turns=expect_turns,
        expect_status=expect_status,
    )
    # The read cache drops this one session, not every session (change_tracking.py).
    last = await session.scalar(statement, params, execution_options={"cache_keys": [session_id]})
    if last is None:
        if expect_turns is not None or expect_status is not None:
            raise Conflict(
                "another turn of this session finished first; send the message again",
                "TURN_CONFLICT",
            )
        raise NotFound("session")
    first = last - len(events) + 1
    stamp = now_ms()
    values = [
        {
            "id": new_id("event"),
            "session_id": session_id,
            "seq": first + offset,
            "ts_ms": stamp,
            "channel": channel,
            "event_type": event.event_type,
            "payload": event.payload,
            "trace_id": trace_id,
        }
        for offset, event in enumerate(events)
    ]
    # One multi-row INSERT rather than the unit of work: a turn writes several events, and
    # nothing reads them back in this transaction.
    await session.execute(_INSERT_EVENTS, values)
    await live.mark_appended(session, session_id, last)
    return [AuditEventRow(**row) for row in values]


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
