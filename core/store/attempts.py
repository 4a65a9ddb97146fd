"""Failed verifications per (organization, agent, order): the count that locks an order.

The count lives in the database, so every replica sees the same one, and it counts only
failures within LOCK_WINDOW_MS of the latest: after a quiet window the next failure starts
again at one. Without the window, a stranger's wrong guesses would lock an order for its
owner forever; with it, they lock it for the window (and the owner is offered a person).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from .tables import VerificationAttemptRow

LOCK_WINDOW_MS = 15 * 60 * 1000

# (failures, when the latest was recorded in epoch ms); (0, 0) when there were none.
Record = tuple[int, int]


def live_count(record: Record, now_ms: int) -> int:
    """The failures that still count at `now_ms` (the runtime's clock)."""
    failures, updated_ms = record
    return failures if now_ms - updated_ms < LOCK_WINDOW_MS else 0


def cache_key(org_id: str, agent_id: str, order_key: str) -> tuple[str, str, str]:
    """The read cache's key for one count (change_tracking.py)."""
    return (org_id, agent_id, order_key)


async def read(session: AsyncSession, org_id: str, agent_id: str, order_key: str) -> Record:
    row = (
        await session.execute(
            select(VerificationAttemptRow.failures, VerificationAttemptRow.updated_ms).where(
                VerificationAttemptRow.org_id == org_id,
                VerificationAttemptRow.agent_id == agent_id,
                VerificationAttemptRow.order_key == order_key,
            )
        )
    ).first()
    return (0, 0) if row is None else (int(row.failures), int(row.updated_ms))


async def failures(
    session: AsyncSession, org_id: str, agent_id: str, order_key: str, now_ms: int
) -> int:
    return live_count(await read(session, org_id, agent_id, order_key), now_ms)


async def record_failure(
    session: AsyncSession, org_id: str, agent_id: str, order_key: str, now_ms: int
) -> int:
    """One more failure at `now_ms`, atomically (INSERT … ON CONFLICT DO UPDATE … RETURNING
    on both SQLite and PostgreSQL); returns the live count including it."""
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table: Any = VerificationAttemptRow.__table__
    now = now_ms
    statement = insert(table).values(
        org_id=org_id, agent_id=agent_id, order_key=order_key, failures=1, updated_ms=now
    )
    restart = table.c.updated_ms <= now - LOCK_WINDOW_MS  # the last failure is out of the window
    upsert = (
        statement.on_conflict_do_update(
            index_elements=[table.c.org_id, table.c.agent_id, table.c.order_key],
            set_={
                "failures": case((restart, 1), else_=table.c.failures + 1),
                "updated_ms": statement.excluded.updated_ms,
            },
        )
        .returning(table.c.failures)
        .execution_options(cache_keys=[cache_key(org_id, agent_id, order_key)])
    )
    return int((await session.execute(upsert)).scalar_one())
