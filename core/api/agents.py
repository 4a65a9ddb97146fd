"""AgentService: drafts, published versions, rollback and diff."""

from __future__ import annotations

import asyncio
from typing import Any

from google.protobuf import json_format
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

import flowyte.v1.agent_service_pb2 as pb
import flowyte.v1.agent_service_pb2_grpc as pb_grpc
from core.domain import agents as rules
from core.domain import prepublish, validation, versions
from core.domain.errors import Conflict, InvalidArgument, NotFound
from core.domain.guardrails import default_policies
from core.domain.ids import new_id
from core.domain.store_errors import StoreOutcome, StoreTemporarilyUnavailable
from core.runtime import Runtime
from core.shopify.lookup import OrderLookup
from core.store.repository import org_query, owned, page
from core.store.tables import AgentRow, AgentVersionRow, IntegrationRow, SkillRow
from flowyte import contract

from . import guardrails, paging, policy_settings, principal, skills
from .convert import (
    apply_update,
    checked_update_mask,
    from_document,
    resource_id,
    timestamp,
    to_document,
)

# How long the prepublish report waits for the store's answer to its connection check.
STORE_CHECK_SECONDS = 5.0
# What the stored settings document leaves out: what the server sets (the contract says
# which), and display_name, which has a column of its own.
_NOT_SETTINGS = (*sorted(contract.set_by_server(pb.Agent.DESCRIPTOR)), "display_name")
_CHANGE_KINDS = {
    "added": pb.CHANGE_KIND_ADDED,
    "removed": pb.CHANGE_KIND_REMOVED,
    "changed": pb.CHANGE_KIND_CHANGED,
}


def to_proto(row: AgentRow) -> pb.Agent:
    agent = from_document(row.settings, pb.Agent)
    agent.name = f"agents/{row.id}"
    agent.id = row.id
    agent.display_name = row.display_name
    agent.published_version = row.published_version
    agent.create_time.FromMilliseconds(row.created_ms)
    agent.update_time.FromMilliseconds(row.updated_ms)
    return agent


def settings_of(agent: pb.Agent) -> dict[str, Any]:
    return rules.normalise_settings(to_document(agent, _NOT_SETTINGS))


def version_proto(row: AgentVersionRow) -> pb.AgentVersion:
    snapshot = from_document(row.snapshot, pb.AgentSnapshot)
    for policy in snapshot.guardrails:
        policy_settings.answered(policy)
    return pb.AgentVersion(
        name=f"agents/{row.agent_id}/versions/{row.number}",
        number=row.number,
        note=row.note,
        create_time=timestamp(row.created_ms),
        snapshot=snapshot,
        rolled_back_from=row.rolled_back_from,
    )


async def snapshot_of(session: AsyncSession, row: AgentRow) -> dict[str, Any]:
    snapshot = pb.AgentSnapshot(
        agent=to_proto(row),
        skills=[skills.to_proto(s) for s in await skills.agent_skills(session, row.id)],
        guardrails=guardrails.policies(row),
        caller_verification=guardrails.methods(row),
    )
    # The widget config travels with the version (core/widgets/config.py reads it back).
    return {**to_document(snapshot), "widget": dict(row.widget or {})}


async def freeze(
    session: AsyncSession, row: AgentRow, note: str, at_ms: int, rolled_back_from: int = 0
) -> AgentVersionRow:
    """Publishes the draft as the next number; the primary key turns a race into a 409."""
    version = AgentVersionRow(
        agent_id=row.id,
        number=row.published_version + 1,
        org_id=row.org_id,
        note=note,
        snapshot=await snapshot_of(session, row),
        rolled_back_from=rolled_back_from,
        created_ms=at_ms,
    )
    session.add(version)
    row.published_version = version.number
    try:
        await session.commit()
    except IntegrityError:
        raise Conflict(
            "another publish of this agent happened at the same time; retry", "PUBLISH_RACE"
        ) from None
    return version


def _diff_view(snapshot: dict[str, Any]) -> dict[str, Any]:
    """What a person compares: settings, skills by name, policies; not ids or times."""
    agent = {k: v for k, v in snapshot.get("agent", {}).items() if k not in _NOT_SETTINGS}
    agent["name"] = snapshot.get("agent", {}).get("display_name", "")
    skill_view = []
    for skill in snapshot.get("skills", []):
        view = {k: v for k, v in skill.items() if k not in skills.NOT_IN_DEFINITION}
        view["name"] = skill.get("display_name", "")
        skill_view.append(view)
    return {
        "agent": agent,
        "skills": skill_view,
        "guardrails": snapshot.get("guardrails", []),
        "caller_verification": snapshot.get("caller_verification", []),
    }


class AgentServicer(pb_grpc.AgentServiceServicer):
    def __init__(self, runtime: Runtime, lookup: OrderLookup):
        self.runtime = runtime
        self.lookup = lookup  # the core's one OrderLookup: the store's budget and circuit

    async def _check_store(self, org_id: str) -> prepublish.StoreCheck:
        """Asks the connected store, as a lookup would, whether lookups will work. The
        report waits for it at most STORE_CHECK_SECONDS."""
        try:
            async with asyncio.timeout(STORE_CHECK_SECONDS):
                return await self.lookup.check(org_id)
        except StoreOutcome as problem:
            return prepublish.StoreCheck(problem=problem)
        except TimeoutError:
            late = StoreTemporarilyUnavailable(f"no answer in {STORE_CHECK_SECONDS:g} s")
            return prepublish.StoreCheck(problem=late)

    async def CreateAgent(
        self, request: pb.CreateAgentRequest, context: object
    ) -> pb.CreateAgentResponse:
        display_name = validation.display_name(request.agent.display_name, "agent.display_name")
        stamp = self.runtime.now_ms()
        row = AgentRow(
            id=new_id("agent"),
            org_id=principal.current().org_id,
            display_name=display_name,
            settings=settings_of(request.agent),
            guardrails=default_policies(),
            caller_verification=[],
            published_version=0,
            created_ms=stamp,
            updated_ms=stamp,
        )
        async with self.runtime.sessions() as session:
            session.add(row)
            await session.commit()
        return pb.CreateAgentResponse(agent=to_proto(row))

    async def GetAgent(self, request: pb.GetAgentRequest, context: object) -> pb.GetAgentResponse:
        agent_id = resource_id(request.name, "agents", "name")
        org_id = principal.current().org_id

        async def load() -> tuple[str, bytes]:
            async with self.runtime.sessions() as session:
                row = await owned(session, AgentRow, org_id, agent_id, "agent")
            return row.org_id, to_proto(row).SerializeToString()

        cached = await self.runtime.cache.get_or_load("agent", agent_id, load)
        assert cached is not None
        owner, agent = cached
        if owner != org_id:
            raise NotFound("agent")
        return pb.GetAgentResponse(agent=pb.Agent.FromString(agent))

    async def ListAgents(
        self, request: pb.ListAgentsRequest, context: object
    ) -> pb.ListAgentsResponse:
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        query = org_query(AgentRow, principal.current().org_id)
        if request.published_only:
            query = query.where(AgentRow.published_version > 0)
        async with self.runtime.sessions() as session:
            rows, last = await page(session, query, AgentRow.id, after, size)
        return pb.ListAgentsResponse(
            agents=[to_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def UpdateAgent(
        self, request: pb.UpdateAgentRequest, context: object
    ) -> pb.UpdateAgentResponse:
        mask = checked_update_mask(request.update_mask, pb.Agent)
        agent_id = resource_id(request.agent.name, "agents", "agent.name")
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, principal.current().org_id, agent_id, "agent")
            merged = to_proto(row)
            apply_update(mask, request.agent, merged)
            row.display_name = validation.display_name(merged.display_name, "agent.display_name")
            row.settings = settings_of(merged)
            row.updated_ms = self.runtime.now_ms()
            await session.commit()
        return pb.UpdateAgentResponse(agent=to_proto(row))

    async def DeleteAgent(
        self, request: pb.DeleteAgentRequest, context: object
    ) -> pb.DeleteAgentResponse:
        agent_id = resource_id(request.name, "agents", "name")
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, principal.current().org_id, agent_id, "agent")
            await session.delete(row)
            await session.commit()
        return pb.DeleteAgentResponse()

    async def PublishAgent(
        self, request: pb.PublishAgentRequest, context: object
    ) -> pb.PublishAgentResponse:
        agent_id = resource_id(request.name, "agents", "name")
        note = validation.text(request.note, "note", 1000)
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, principal.current().org_id, agent_id, "agent")
            version = await freeze(session, row, note, self.runtime.now_ms())
        return pb.PublishAgentResponse(version=version_proto(version))

    async def ListAgentVersions(
        self, request: pb.ListAgentVersionsRequest, context: object
    ) -> pb.ListAgentVersionsResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        size = paging.page_size(request.page_size)
        before = paging.decode(request.page_token)
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, principal.current().org_id, agent_id, "agent")
            if before is not None and not before.isdigit():
                raise InvalidArgument("page_token is not one this API issued", field="page_token")
            rows, last = await page(
                session,
                select(AgentVersionRow).where(AgentVersionRow.agent_id == agent_id),
                AgentVersionRow.number,
                int(before) if before is not None else None,
                size,
                descending=True,
            )
        return pb.ListAgentVersionsResponse(
            versions=[version_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def _version(self, session: AsyncSession, agent_id: str, number: int) -> AgentVersionRow:
        version = await session.get(AgentVersionRow, (agent_id, number))
        if version is None:
            raise NotFound("version")
        return version

    async def RollbackAgent(
        self, request: pb.RollbackAgentRequest, context: object
    ) -> pb.RollbackAgentResponse:
        agent_id = resource_id(request.name, "agents", "name")
        if request.version < 1:
            raise InvalidArgument("must be a published version number", field="version")
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, principal.current().org_id, agent_id, "agent")
            target = await self._version(session, agent_id, request.version)
            restored = from_document(target.snapshot, pb.AgentSnapshot)
            row.display_name = restored.agent.display_name
            row.settings = to_document(restored.agent, _NOT_SETTINGS)
            row.guardrails = [to_document(p) for p in restored.guardrails]
            row.caller_verification = [to_document(m) for m in restored.caller_verification]
            row.widget = dict(target.snapshot.get("widget", {}))
            row.updated_ms = self.runtime.now_ms()
            # The draft's skills become the version's skills again, under their old ids, so
            # references such as a verifier_skill_id keep pointing at the right skill.
            await session.execute(delete(SkillRow).where(SkillRow.agent_id == agent_id))
            for skill in restored.skills:
                session.add(
                    SkillRow(
                        id=skill.id,
                        org_id=row.org_id,
                        agent_id=agent_id,
                        name=skill.display_name,
                        definition=to_document(skill, skills.NOT_IN_DEFINITION),
                        created_ms=skill.create_time.ToMilliseconds(),
                        updated_ms=row.updated_ms,
                    )
                )
            await session.flush()
            version = await freeze(
                session,
                row,
                f"rollback to version {request.version}",
                row.updated_ms,
                request.version,
            )
        return pb.RollbackAgentResponse(version=version_proto(version))

    async def DiffAgentVersions(
        self, request: pb.DiffAgentVersionsRequest, context: object
    ) -> pb.DiffAgentVersionsResponse:
        parts = request.name.split("/")
        if (
            len(parts) != 4
            or parts[0] != "agents"
            or parts[2] != "versions"
            or not parts[3].isdigit()
        ):
            raise InvalidArgument("must look like agents/{agent}/versions/{number}", field="name")
        agent_id, number = parts[1], int(parts[3])
        against = request.against or number - 1
        if against < 0:
            raise InvalidArgument("must be a version number", field="against")
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, principal.current().org_id, agent_id, "agent")
            newer = await self._version(session, agent_id, number)
            older = (await self._version(session, agent_id, against)).snapshot if against else {}
        changes = [
            pb.FieldChange(
                field=field,
                before=json_format.ParseDict(before, pb.FieldChange().before),
                after=json_format.ParseDict(after, pb.FieldChange().after),
                kind=_CHANGE_KINDS[kind],
            )
            for field, before, after, kind in versions.diff(
                _diff_view(older), _diff_view(newer.snapshot)
            )
        ]
        return pb.DiffAgentVersionsResponse(changes=changes)

    async def GetPrepublishReport(
        self, request: pb.GetPrepublishReportRequest, context: object
    ) -> pb.GetPrepublishReportResponse:
        agent_id = resource_id(request.name, "agents", "name")
        org_id = principal.current().org_id
        async with self.runtime.sessions() as session:
            row = await owned(session, AgentRow, org_id, agent_id, "agent")
            draft = await snapshot_of(session, row)
            latest = await session.get(AgentVersionRow, (agent_id, row.published_version))
            connected = set(
                (
                    await session.scalars(
                        select(IntegrationRow.kind).where(IntegrationRow.org_id == org_id)
                    )
                ).all()
            )
        published = latest is not None and not versions.diff(
            _diff_view(latest.snapshot), _diff_view(draft)
        )
        store = None
        if "shopify" in connected and prepublish.uses_store(draft):
            store = await self._check_store(org_id)
        report = prepublish.build(draft, connected, published, store)
        return pb.GetPrepublishReportResponse(
            will=report.will,
            wont=report.wont,
            data_flows=report.data_flows,
            guardrails=report.guardrails,
            warnings=report.warnings,
        )
