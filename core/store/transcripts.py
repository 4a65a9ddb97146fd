"""Appending audit events to a session: consecutive seq numbers, on any number of replicas.

The seq numbers come from one `UPDATE sessions SET last_seq = last_seq + n … RETURNING`:
on PostgreSQL the row lock serialises appenders until they commit, on SQLite the write
lock does, so two appenders can never take the same numbers and a rolled-back append
leaves no gap. The unique (session_id, seq) constraint is the backstop.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain.errors import Conflict, NotFound
from core.domain.ids import new_id, now_ms

from . import live
from .tables import AuditEventRow, SessionRow, VerificationAttemptRow


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
    expect_turns: int | None = None,
) -> list[AuditEventRow]:
    """Adds `events` in order (inside the caller's transaction) and applies `changes` to the
    session row in the same statement. With `expect_turns`, the append happens only if no
    other turn committed since the caller read the session (else Conflict). Streams open on
    the session, on any replica, hear of the events when the transaction commits."""
    statement = (
        update(SessionRow)
        .where(SessionRow.id == session_id)
        .values(last_seq=SessionRow.last_seq + len(events), **dict(changes or {}))
        .returning(SessionRow.last_seq)
    )
    if expect_turns is not None:
        statement = statement.where(SessionRow.turns == expect_turns)
    last = await session.scalar(statement)
    if last is None:
        if expect_turns is not None:
            raise Conflict(
                "another turn of this session finished first; send the message again",
                "TURN_CONFLICT",
            )
        raise NotFound("session")
    first = last - len(events) + 1
    stamp = now_ms()
    rows = [
        AuditEventRow(
            id=new_id("event"),
            session_id=session_id,
            seq=first + offset,
            ts_ms=stamp,
            channel=channel,
            event_type=event.event_type,
            payload=event.payload,
            trace_id=trace_id,
        )
        for offset, event in enumerate(events)
    ]
    session.add_all(rows)
    await live.mark_appended(session, session_id, last)
    return rows


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


async def failures(session: AsyncSession, org_id: str, agent_id: str, order_key: str) -> int:
    count = await session.scalar(
        select(func.coalesce(func.max(VerificationAttemptRow.failures), 0)).where(
            VerificationAttemptRow.org_id == org_id,
            VerificationAttemptRow.agent_id == agent_id,
            VerificationAttemptRow.order_key == order_key,
        )
    )
    return int(count or 0)


async def record_failure(session: AsyncSession, org_id: str, agent_id: str, order_key: str) -> int:
    """One more failure, atomically (INSERT … ON CONFLICT DO UPDATE … RETURNING on both
    SQLite and PostgreSQL); returns the count including it."""
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table: Any = VerificationAttemptRow.__table__
    statement = insert(table).values(
        org_id=org_id, agent_id=agent_id, order_key=order_key, failures=1, updated_ms=now_ms()
    )
    upsert = statement.on_conflict_do_update(
        index_elements=[table.c.org_id, table.c.agent_id, table.c.order_key],
        set_={"failures": table.c.failures + 1, "updated_ms": statement.excluded.updated_ms},
    ).returning(table.c.failures)
    return int((await session.execute(upsert)).scalar_one())
