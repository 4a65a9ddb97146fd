"""A session's transcript: pages of it, and a watch that follows it live across cores."""

from __future__ import annotations

from collections.abc import AsyncIterator

from core.runtime import Runtime
from core.store import transcripts
from core.store.repository import owned
from core.store.tables import AuditEventRow, SessionRow


class Transcripts:
    """Reads of a session's audit events."""

    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def watch(
        self, org_id: str, session_id: str, after: int, heartbeat: float | None = None
    ) -> AsyncIterator[AuditEventRow | None]:
        """The session's events after seq `after`: those stored, then each new one as it is
        committed on any core, until the session ends. None when `heartbeat` seconds pass
        with nothing new (then it reads again anyway, so a lost notification costs at most
        that long); by default the core's `watch_heartbeat_s`."""
        quiet = heartbeat or self.runtime.settings.watch_heartbeat_s
        with self.runtime.live.watch(session_id) as watcher:  # before reading: none is missed
            seen = after
            while True:
                async with self.runtime.sessions() as session:
                    row = await owned(session, SessionRow, org_id, session_id, "session")
                    query = transcripts.events_query(session_id).where(AuditEventRow.seq > seen)
                    fresh = list(
                        await session.scalars(query.order_by(AuditEventRow.seq).limit(200))
                    )
                for event in fresh:
                    yield event
                    seen = event.seq
                if len(fresh) == 200:
                    continue  # more stored: read on at once
                if row.status == "ended":
                    return
                if not await watcher.wait(quiet):
                    yield None

    async def events(
        self, org_id: str, session_id: str, after: int | None, size: int
    ) -> tuple[list[AuditEventRow], int | None]:
        async with self.runtime.sessions() as session:
            await owned(session, SessionRow, org_id, session_id, "session")
            query = transcripts.events_query(session_id)
            if after is not None:
                query = query.where(AuditEventRow.seq > after)
            rows = list(
                (await session.scalars(query.order_by(AuditEventRow.seq).limit(size + 1))).all()
            )
        if len(rows) > size:
            return rows[:size], rows[size - 1].seq
        return rows, None
