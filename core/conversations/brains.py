"""Which brain answers an agent's turn: the built-in one, or the LLM brain when the served
version says `brain.kind: BRAIN_KIND_LLM`.

For an LLM turn the organization's `openai` integration is read, its sealed credentials
are opened here (the brain gets the key in its constructor, nowhere else: not the prompt,
not an event, not a log line) and its api_base_url, checked against the allowed hosts when
the integration was connected, becomes the client's base URL. An LLM agent whose
integration is missing or unreadable is still answered: by the built-in brain, after an
error event that says why.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from core.domain.errors import VaultError
from core.engine.llm import DEFAULT_TIMEOUT_SECONDS, LlmBrain, ModelEndpoint, OpenAIChat
from core.engine.turn import Brain
from core.runtime import Runtime
from core.store.tables import AgentRow, IntegrationRow
from core.vault import associated_data

log = logging.getLogger(__name__)

LLM_KINDS = ("BRAIN_KIND_LLM", 2)
KIND = "openai"
_MIN_TIMEOUT, _MAX_TIMEOUT = 0.5, 60.0


def llm_config(snapshot: Mapping[str, Any]) -> tuple[str, float] | None:
    """(model, timeout seconds) when the agent's brain is the LLM; None for the built-in."""
    agent = snapshot.get("agent")
    brain = agent.get("brain") if isinstance(agent, Mapping) else None
    if not isinstance(brain, Mapping) or brain.get("kind") not in LLM_KINDS:
        return None
    model = brain.get("model")
    try:
        timeout = float(brain.get("timeout_seconds") or 0)
    except (TypeError, ValueError):
        timeout = 0.0
    if timeout <= 0:
        timeout = DEFAULT_TIMEOUT_SECONDS
    return (model if isinstance(model, str) else ""), min(max(timeout, _MIN_TIMEOUT), _MAX_TIMEOUT)


class BrainChooser:
    def __init__(self, runtime: Runtime, default: Brain):
        self.runtime = runtime
        self.default = default

    async def for_agent(self, snapshot: Mapping[str, Any], *, replaying: bool = False) -> Brain:
        """`replaying`: a completion's earlier message, which asks no model (the LLM brain
        only carries its words into the history), so no credentials are opened for it."""
        config = llm_config(snapshot)
        if config is None:
            return self.default
        model, timeout = config
        if replaying:
            return LlmBrain(None, self.default, model_name=model)
        agent = snapshot.get("agent")
        agent_id = str(agent.get("id") or "") if isinstance(agent, Mapping) else ""
        if not model:
            return LlmBrain(None, self.default, unavailable_reason="no_model")
        endpoint, reason = await self._endpoint(agent_id, model)
        if endpoint is None:
            return LlmBrain(
                None,
                self.default,
                model_name=model,
                timeout_seconds=timeout,
                unavailable_reason=reason,
            )
        return LlmBrain(
            lambda: OpenAIChat(endpoint, timeout),
            self.default,
            model_name=model,
            timeout_seconds=timeout,
        )

    async def _endpoint(self, agent_id: str, model: str) -> tuple[ModelEndpoint | None, str]:
        async with self.runtime.sessions() as session:
            row = await session.scalar(
                select(IntegrationRow)
                .join(AgentRow, AgentRow.org_id == IntegrationRow.org_id)
                .where(AgentRow.id == agent_id, IntegrationRow.kind == KIND)
            )
        if row is None:
            return None, "integration_not_connected"
        try:
            opened = json.loads(
                self.runtime.sealer.open(
                    row.sealed_credentials, associated_data("integration", row.org_id, row.id)
                )
            )
            key = opened.get("access_token") if isinstance(opened, dict) else None
        except (VaultError, ValueError):
            log.error("openai integration %s: its sealed credentials do not open", row.id)
            return None, "integration_unreadable"
        if not isinstance(key, str) or not key:
            return None, "integration_unreadable"
        return ModelEndpoint(model, row.api_base_url or None, key), ""
