"""Store and model integrations of an organization (credentials sealed, never returned),
and their actions provisioned on an agent as skills."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from core.domain import integrations as rules
from core.domain import provisioning
from core.domain.errors import Conflict, FailedPrecondition, NotFound
from core.domain.ids import new_id
from core.runtime import Runtime
from core.store.repository import org_query, owned, page
from core.store.tables import AgentRow, IntegrationRow, SkillRow
from core.vault import associated_data

from .skills import insert_skill

# The skill an action becomes, from the action's description: (display name, definition).
SkillOf = Callable[[str], tuple[str, dict[str, Any]]]


class Integrations:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def connect(
        self,
        org_id: str,
        kind: str,
        creds: rules.Credentials,
        api_version: str,
        base_url: str,
    ) -> IntegrationRow:
        """Connects `kind` with credentials already checked; reconnecting replaces them."""
        plaintext = json.dumps(
            {
                "access_token": creds.access_token,
                "client_id": creds.client_id,
                "client_secret": creds.client_secret,
            }
        ).encode()
        async with self.runtime.sessions() as session:
            row = await session.scalar(
                org_query(IntegrationRow, org_id).where(IntegrationRow.kind == kind)
            )
            stamp = self.runtime.now_ms()
            if row is None:
                row = IntegrationRow(
                    id=new_id("integration"), org_id=org_id, kind=kind, created_ms=stamp
                )
                session.add(row)
            # Reconnecting replaces the credentials: that is how a merchant rotates a token.
            row.shop, row.status, row.auth_method = creds.shop, "connected", creds.auth_method
            row.status_reason = ""
            row.token_last4, row.api_base_url, row.updated_ms = creds.last4, base_url, stamp
            # What the store answered in was said to the old connection; the next lookup says.
            row.api_version, row.answered_api_version = api_version, ""
            row.sealed_credentials = self.runtime.sealer.seal(
                plaintext, associated_data("integration", org_id, row.id)
            )
            try:
                await session.commit()
            except IntegrityError:
                raise Conflict("the integration was connected at the same time; retry") from None
        return row

    async def get(self, org_id: str, kind: str) -> IntegrationRow:
        async with self.runtime.sessions() as session:
            row = await session.scalar(
                org_query(IntegrationRow, org_id).where(IntegrationRow.kind == kind)
            )
        if row is None:
            raise NotFound("integration")
        return row

    async def list_page(
        self, org_id: str, after: str | None, size: int
    ) -> tuple[list[IntegrationRow], str | None]:
        query = org_query(IntegrationRow, org_id)
        async with self.runtime.sessions() as session:
            return await page(session, query, IntegrationRow.kind, after, size)

    async def disconnect(self, org_id: str, kind: str) -> None:
        async with self.runtime.sessions() as session:
            result = await session.execute(
                delete(IntegrationRow).where(
                    IntegrationRow.org_id == org_id, IntegrationRow.kind == kind
                )
            )
            await session.commit()
        if not result.rowcount:  # type: ignore[attr-defined]
            raise NotFound("integration")

    async def provision(
        self,
        org_id: str,
        agent_id: str,
        kind: str,
        wanted: list[str],
        descriptions: dict[str, str],
        skill_of: SkillOf,
    ) -> list[tuple[SkillRow, bool]]:
        """Each wanted action as a skill of the agent: (the skill, whether it was made now).
        Secure unless the merchant loosens it: the first one also turns on verification."""
        async with self.runtime.sessions() as session:
            agent = await owned(session, AgentRow, org_id, agent_id, "agent")
            connected = await session.scalar(
                org_query(IntegrationRow, org_id).where(IntegrationRow.kind == kind)
            )
            if connected is None:
                raise FailedPrecondition(
                    f"connect a {kind} store first (POST /integrations/{kind}/connect)",
                    "INTEGRATION_NOT_CONNECTED",
                )
            results = []
            for action in wanted:
                existing = await session.scalar(
                    select(SkillRow).where(SkillRow.agent_id == agent_id, SkillRow.name == action)
                )
                if existing is not None:
                    results.append((existing, False))
                    continue
                display_name, document = skill_of(descriptions[action])
                row = await insert_skill(
                    session,
                    self.runtime.sealer,
                    org_id,
                    agent_id,
                    display_name,
                    document,
                    self.runtime.now_ms(),
                )
                results.append((row, True))
                # Secure unless the merchant loosens it: added only where none exists yet.
                if not any(
                    p.get("policy_type") == "POLICY_TYPE_VERIFY_BEFORE_DISCLOSE"
                    for p in agent.guardrails
                ):
                    agent.guardrails = [*agent.guardrails, provisioning.disclosure_policy()]
                if not any(
                    m.get("method") == "VERIFICATION_METHOD_ORDER_MATCH"
                    for m in agent.caller_verification
                ):
                    agent.caller_verification = [
                        *agent.caller_verification,
                        provisioning.order_match_method(row.id),
                    ]
                agent.updated_ms = self.runtime.now_ms()
            await session.commit()
        return results

    async def unprovision(self, org_id: str, agent_id: str, names: list[str]) -> list[str]:
        """Removes the agent's skills of those names; their ids."""
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, org_id, agent_id, "agent")
            rows = list(
                (
                    await session.scalars(
                        select(SkillRow).where(
                            SkillRow.agent_id == agent_id, SkillRow.name.in_(names)
                        )
                    )
                ).all()
            )
            for row in rows:
                await session.delete(row)
            await session.commit()
        return [r.id for r in rows]
