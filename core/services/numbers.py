"""Phone numbers: imported from the organization's SIP trunk, assigned to an agent, and the
calls they brought (an agent's voice sessions, with their events).

A number belongs to one organization at all: an incoming call finds its agent by the
number it dialled, so a number another organization already imported cannot be imported
again (ALREADY_EXISTS, worded the same whichever organization has it).
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain import validation
from core.domain.errors import AlreadyExists, NotFound
from core.domain.ids import new_id
from core.runtime import Runtime
from core.store.repository import org_query, owned, page
from core.store.tables import AgentRow, AuditEventRow, PhoneNumberRow, SessionRow

# What a call is: a session on the voice channel.
CALL_CHANNEL = "voice"


class Numbers:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def import_number(self, org_id: str, e164: str, agent_id: str = "") -> PhoneNumberRow:
        number = validation.phone_number(e164, "e164")
        row = PhoneNumberRow(
            id=new_id("number"),
            org_id=org_id,
            e164=number,
            agent_id=agent_id or None,
            created_ms=self.runtime.now_ms(),
        )
        async with self.runtime.sessions() as session:
            if agent_id:
                await owned(session, AgentRow, org_id, agent_id, "agent")
            session.add(row)
            try:
                await session.commit()
            except IntegrityError:
                raise AlreadyExists(
                    f"{number} is already imported; a number belongs to one organization",
                    field="e164",
                ) from None
        return row

    async def list_page(
        self, org_id: str, after: str | None, size: int
    ) -> tuple[list[PhoneNumberRow], str | None]:
        async with self.runtime.sessions() as session:
            query = org_query(PhoneNumberRow, org_id)
            return await page(session, query, PhoneNumberRow.id, after, size)

    async def assign(self, org_id: str, number_id: str, agent_id: str) -> PhoneNumberRow:
        async with self.runtime.sessions() as session:
            row = await owned(session, PhoneNumberRow, org_id, number_id, "number")
            # Another organization's agent is NOT_FOUND, like one that never existed.
            await owned(session, AgentRow, org_id, agent_id, "agent")
            row.agent_id = agent_id
            await session.commit()
        return row

    async def unassign(self, org_id: str, number_id: str) -> PhoneNumberRow:
        async with self.runtime.sessions() as session:
            row = await owned(session, PhoneNumberRow, org_id, number_id, "number")
            row.agent_id = None
            await session.commit()
        return row

    async def agent_for(self, org_id: str, e164: str) -> str:
        """The agent the organization's number `e164` is assigned to. An unknown number,
        one not assigned, and another organization's are all NOT_FOUND."""
        async with self.runtime.sessions() as session:
            agent_id = await session.scalar(
                select(PhoneNumberRow.agent_id).where(
                    PhoneNumberRow.e164 == e164, PhoneNumberRow.org_id == org_id
                )
            )
        if not agent_id:
            raise NotFound("an agent assigned to the called number")
        return agent_id

    async def calls(
        self, org_id: str, agent_id: str, before: str | None, size: int
    ) -> tuple[list[tuple[SessionRow, list[AuditEventRow]]], str | None]:
        """The agent's calls newest first, each with its events in order; `before` is a
        page token (a session id)."""
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, org_id, agent_id, "agent")
            query = select(SessionRow).where(
                SessionRow.org_id == org_id,
                SessionRow.agent_id == agent_id,
                SessionRow.channel == CALL_CHANNEL,
            )
            rows, last = await page(session, query, SessionRow.id, before, size, descending=True)
            events = await _events_of(session, [r.id for r in rows])
        return [(r, events[r.id]) for r in rows], last


async def _events_of(
    session: AsyncSession, session_ids: list[str]
) -> dict[str, list[AuditEventRow]]:
    found: dict[str, list[AuditEventRow]] = defaultdict(list)
    if not session_ids:
        return found
    rows = await session.scalars(
        select(AuditEventRow)
        .where(AuditEventRow.session_id.in_(session_ids))
        .order_by(AuditEventRow.session_id, AuditEventRow.seq)
    )
    for row in rows:
        found[row.session_id].append(row)
    return found
