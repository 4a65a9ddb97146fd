"""The widget config: the draft's (on the agent, edited by the team), and the published
version's (in the version snapshot, what storefronts see); and the embed snippet."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.domain import widgets as rules
from core.domain.errors import FailedPrecondition
from core.runtime import Runtime
from core.store.repository import owned
from core.store.tables import AgentRow, AgentVersionRow

from .keys import PublishableKeys


@dataclass(frozen=True)
class Published:
    """What a storefront's widget draws itself with: the published version's."""

    agent_meta: dict[str, Any]
    config: dict[str, Any]


class WidgetConfigs:
    def __init__(self, runtime: Runtime, keys: PublishableKeys):
        self.runtime = runtime
        self.keys = keys

    async def draft(self, org_id: str, agent_id: str) -> dict[str, Any]:
        async with self.runtime.sessions() as session:
            agent = await owned(session, AgentRow, org_id, agent_id, "agent")
            return dict(agent.widget or {})

    async def update(self, org_id: str, agent_id: str, config: dict[str, Any]) -> dict[str, Any]:
        kept = rules.config(config)
        async with self.runtime.sessions() as session:
            agent = await owned(session, AgentRow, org_id, agent_id, "agent")
            agent.widget = kept
            agent.updated_ms = self.runtime.now_ms()
            await session.commit()
        return kept

    async def embed(
        self, org_id: str, agent_id: str, key_id: str, widget_base_url: str
    ) -> tuple[str, str]:
        base = rules.base_url(widget_base_url, "widget_base_url")
        key = await self.keys.get(org_id, agent_id, key_id)
        return rules.embed_snippet(base, key.key_public), key.key_public

    async def published(self, org_id: str, agent_id: str) -> Published:
        async with self.runtime.sessions() as session:
            agent = await owned(session, AgentRow, org_id, agent_id, "agent")
            if agent.published_version == 0:
                raise FailedPrecondition(
                    "this agent has no published version", "NO_PUBLISHED_VERSION"
                )
            version = await session.get(AgentVersionRow, (agent_id, agent.published_version))
        snapshot = version.snapshot if version is not None else {}
        settings = snapshot.get("agent", {})
        meta = {
            "agentId": agent_id,
            "displayName": settings.get("display_name", ""),
            "greeting": settings.get("greeting", ""),
            "language": settings.get("language", "") or "en-US",
            "version": agent.published_version,
        }
        return Published(meta, dict(snapshot.get("widget", {})))
