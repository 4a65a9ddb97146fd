"""Calls (any Converse stream): their start with the greeting, events outside a turn, their end."""

from __future__ import annotations

from typing import Any

from core.domain import conversations as rules
from core.domain.errors import FailedPrecondition
from core.store import transcripts
from core.store.repository import owned
from core.store.tables import SessionRow
from core.store.transcripts import NewEvent, StoredEvent

from .records import Turn, trace_id
from .sessions import Sessions
from .thinking import Thinker


class Calls:
    """A Converse stream's life on its session."""

    def __init__(self, sessions: Sessions, thinker: Thinker):
        self.runtime = sessions.runtime
        self.sessions = sessions
        self.thinker = thinker

    async def start_call(self, org_id: str, session_id: str) -> Turn:
        """A call (or any Converse stream) begins on the session: `call_started`, and on a
        session nobody has spoken in yet the agent's greeting (the brain's turn on silence)."""
        async with self.sessions.lock(session_id):
            row = await self.sessions.read(org_id, session_id)
            snapshot = await self.sessions.snapshot(row)
            if row.status == "ended":
                raise FailedPrecondition("this session has ended", "SESSION_ENDED")
            started = NewEvent(
                "call_started", {"callerNumber": row.caller_number} if row.caller_number else {}
            )
            events = [started]
            changes: dict[str, Any] = {}
            reply = ""
            if row.turns == 0 and row.status == "active":
                result = await self.thinker.think_on(row, snapshot, "")
                reply = result.reply
                events += [NewEvent(e.event_type, dict(e.payload)) for e in result.events]
                events.append(NewEvent("agent_message", {"text": reply, "from": "agent"}))
                changes = {"state": rules.json_safe(result.state)}
            events = [
                NewEvent(e.event_type, self.sessions.stored_payload(snapshot, e.payload))
                for e in events
            ]
            async with self.runtime.sessions() as session:
                if changes:
                    rows = await self.sessions.append_turn(session, row, events, changes)
                else:
                    append = transcripts.Append(
                        session_id, row.channel, trace_id(), events, at_ms=self.runtime.now_ms()
                    )
                    rows = await transcripts.write(session, append)
                await session.commit()
            if changes:
                row.state = changes["state"]
                row.turns += 1
            row.last_seq = rows[-1].seq
            self.sessions.remember(row)
            return Turn(reply, rows, row)

    async def record(
        self, org_id: str, session_id: str, event_type: str, payload: dict[str, Any]
    ) -> StoredEvent:
        """One audit event outside a turn (a barge-in)."""
        async with self.runtime.sessions() as session:
            row = await owned(session, SessionRow, org_id, session_id, "session")
            new = [NewEvent(event_type, payload)]
            append = transcripts.Append(
                session_id, row.channel, trace_id(), new, at_ms=self.runtime.now_ms()
            )
            (event,) = await transcripts.write(session, append)
            await session.commit()
        return event

    async def end_call(self, org_id: str, session_id: str, reason: str) -> SessionRow:
        """The stream is over: `call_ended`, and the session ends with it (a handoff stays
        in the team's inbox)."""
        async with self.sessions.lock(session_id):
            async with self.runtime.sessions() as session:
                row = await owned(session, SessionRow, org_id, session_id, "session")
                changes: dict[str, Any] = {}
                if row.status != "ended":
                    changes = {"status": "ended", "ended_ms": self.runtime.now_ms()}
                ended = [NewEvent("call_ended", {"reason": reason})]
                append = transcripts.Append(
                    session_id,
                    row.channel,
                    trace_id(),
                    ended,
                    changes=changes,
                    at_ms=self.runtime.now_ms(),
                )
                await transcripts.write(session, append)
                await session.commit()
                await session.refresh(row)
            return row
