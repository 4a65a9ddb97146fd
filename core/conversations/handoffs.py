"""Handoffs: conversations a person takes over. Each step a person takes is also an audit
event of the session, so the transcript tells the whole story."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from core.domain import conversations as rules
from core.domain.errors import Conflict
from core.store import transcripts
from core.store.repository import owned, page
from core.store.tables import AuditEventRow, HandoffRow, SessionRow
from core.store.transcripts import NewEvent, StoredEvent

from .service import Conversations, trace_id

MAX_TRANSCRIPT = 2000


class Handoffs:
    def __init__(self, conversations: Conversations):
        self.conversations = conversations
        self.runtime = conversations.runtime

    async def inbox(
        self, org_id: str, status: str, before: str | None, size: int
    ) -> tuple[list[HandoffRow], str | None]:
        query = select(HandoffRow).where(HandoffRow.org_id == org_id)
        if status:
            query = query.where(HandoffRow.status == status)
        async with self.runtime.sessions() as session:
            rows, last = await page(session, query, HandoffRow.id, before, size, descending=True)
        return rows, last

    async def get(self, org_id: str, handoff_id: str) -> tuple[HandoffRow, list[AuditEventRow]]:
        async with self.runtime.sessions() as session:
            row = await owned(session, HandoffRow, org_id, handoff_id, "handoff")
            events = await session.scalars(
                transcripts.events_query(row.session_id)
                .order_by(AuditEventRow.seq)
                .limit(MAX_TRANSCRIPT)
            )
            return row, list(events.all())

    async def claim(self, org_id: str, handoff_id: str, claimed_by: str) -> HandoffRow:
        async with self.runtime.sessions() as session:
            row = await owned(session, HandoffRow, org_id, handoff_id, "handoff")
            if row.status == "closed":
                raise Conflict("this handoff is closed", "HANDOFF_CLOSED")
            if row.status == "open" and await self._take(session, row, claimed_by):
                await self._mark(session, row, {"action": "claimed", "by": claimed_by})
                await session.commit()
                return row
            if row.status == "closed":
                raise Conflict("this handoff is closed", "HANDOFF_CLOSED")
            if row.claimed_by != claimed_by:
                raise Conflict(f"{row.claimed_by} has claimed this handoff", "HANDOFF_CLAIMED")
        return row

    async def _take(self, session: Any, row: HandoffRow, by: str) -> bool:
        """Claims an open handoff for `by`, in the caller's transaction; False (the row
        re-read) when someone else's claim or close got there first. The status check is
        in the UPDATE itself: two transactions that both read "open" cannot both win."""
        taken = await session.execute(
            update(HandoffRow)
            .where(HandoffRow.id == row.id, HandoffRow.status == "open")
            .values(status="claimed", claimed_by=by, claimed_ms=self.runtime.now_ms())
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount == 1:
            await session.refresh(row)
            return True
        await session.rollback()
        await session.refresh(row)
        return False

    async def reply(
        self, org_id: str, handoff_id: str, text: str, sender: str
    ) -> tuple[HandoffRow, StoredEvent]:
        """A person's words into the customer's session, as an agent_message from a human."""
        text = rules.content(text)
        async with self.runtime.sessions() as session:
            row = await owned(session, HandoffRow, org_id, handoff_id, "handoff")
            if row.status == "closed":
                raise Conflict("this handoff is closed", "HANDOFF_CLOSED")
            # Replying is taking it, unless someone else's claim got there first.
            taken = row.status != "open" or await self._take(session, row, sender)
            if not taken and row.status == "closed":
                raise Conflict("this handoff is closed", "HANDOFF_CLOSED")
            conversation = await owned(session, SessionRow, org_id, row.session_id, "session")
            snapshot = await self.conversations.snapshot(conversation)
            payload = {"text": text, "from": "human", "handoffId": row.id, "by": row.claimed_by}
            reply = NewEvent("agent_message", self.conversations.stored_payload(snapshot, payload))
            append = transcripts.Append(
                row.session_id,
                conversation.channel,
                trace_id(),
                [reply],
                at_ms=self.runtime.now_ms(),
            )
            (event,) = await transcripts.write(session, append)
            await session.commit()
        return row, event

    async def close(self, org_id: str, handoff_id: str) -> HandoffRow:
        async with self.runtime.sessions() as session:
            row = await owned(session, HandoffRow, org_id, handoff_id, "handoff")
            if row.status == "closed":
                return row
            conversation = await session.get(SessionRow, row.session_id)
            changes: dict[str, Any] = {}
            if conversation is not None and conversation.status == "handed_off":
                changes["status"] = "active"  # the agent answers again
            await self._mark(session, row, {"action": "closed"}, changes)
            row.status, row.closed_ms = "closed", self.runtime.now_ms()
            await session.commit()
        return row

    async def _mark(
        self,
        session: Any,
        row: HandoffRow,
        payload: dict[str, Any],
        changes: dict[str, Any] | None = None,
    ) -> None:
        conversation = await session.get(SessionRow, row.session_id)
        channel = conversation.channel if conversation is not None else "chat"
        event = NewEvent("handoff", {"handoffId": row.id, **payload})
        append = transcripts.Append(
            row.session_id,
            channel,
            trace_id(),
            [event],
            changes=changes,
            at_ms=self.runtime.now_ms(),
        )
        await transcripts.write(session, append)
