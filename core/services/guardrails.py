"""An agent draft's guardrail policies and caller verification methods: read, and replaced
whole (each a list of stored documents, already normalised by the caller)."""

from __future__ import annotations

from typing import Any

from core.runtime import Runtime
from core.store.repository import owned
from core.store.tables import AgentRow


class Guardrails:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def agent(self, org_id: str, agent_id: str) -> AgentRow:
        async with self.runtime.sessions() as session:
            return await owned(session, AgentRow, org_id, agent_id, "agent")

    async def replace_policies(
        self, org_id: str, agent_id: str, documents: list[dict[str, Any]]
    ) -> AgentRow:
        return await self._replace(org_id, agent_id, "guardrails", documents)

    async def replace_methods(
        self, org_id: str, agent_id: str, documents: list[dict[str, Any]]
    ) -> AgentRow:
        return await self._replace(org_id, agent_id, "caller_verification", documents)

    async def _replace(
        self, org_id: str, agent_id: str, column: str, documents: list[dict[str, Any]]
    ) -> AgentRow:
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, org_id, agent_id, "agent")
            setattr(row, column, documents)
            row.updated_ms = self.runtime.now_ms()
            await session.commit()
        return row
