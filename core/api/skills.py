"""SkillService: the actions on an agent's draft."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

import flowyte.v1.skill_service_pb2 as pb
import flowyte.v1.skill_service_pb2_grpc as pb_grpc
from core.domain import skills as rules
from core.domain import validation
from core.domain.errors import AlreadyExists, InvalidArgument, NotFound
from core.domain.ids import new_id
from core.runtime import Runtime
from core.store import skill_headers
from core.store.repository import owned, page
from core.store.tables import AgentRow, SkillRow
from core.vault import Sealer
from flowyte import contract

from . import paging, principal
from .convert import apply_update, checked_update_mask, from_document, resource_id, to_document

# What the stored definition leaves out: what the server sets (the contract says which),
# and display_name, which has a column of its own (it may still change).
NOT_IN_DEFINITION = (*sorted(contract.set_by_server(pb.Skill.DESCRIPTOR)), "display_name")


def to_proto(row: SkillRow) -> pb.Skill:
    skill = from_document(row.definition, pb.Skill)
    skill.name = f"agents/{row.agent_id}/skills/{row.id}"
    skill.id = row.id
    skill.agent_id = row.agent_id
    skill.display_name = row.name
    skill.create_time.FromMilliseconds(row.created_ms)
    skill.update_time.FromMilliseconds(row.updated_ms)
    return skill


def skill_name_parts(name: str) -> tuple[str, str]:
    parts = name.split("/")
    if (
        len(parts) != 4
        or parts[0] != "agents"
        or parts[2] != "skills"
        or not parts[1]
        or not parts[3]
    ):
        raise InvalidArgument("must look like agents/{agent}/skills/{skill}", field="name")
    return parts[1], parts[3]


async def insert_skill(
    session: AsyncSession,
    sealer: Sealer,
    org_id: str,
    agent_id: str,
    skill: pb.Skill,
    at_ms: int,
) -> SkillRow:
    """Validates and adds a skill in the caller's transaction (provisioning reuses it)."""
    name = validation.skill_name(skill.display_name, "skill.display_name")
    definition = rules.normalise(to_document(skill, NOT_IN_DEFINITION))
    stamp = at_ms
    row = SkillRow(
        id=new_id("skill"),
        org_id=org_id,
        agent_id=agent_id,
        name=name,
        definition=definition,
        created_ms=stamp,
        updated_ms=stamp,
    )
    skill_headers.seal(sealer, row, rules.secret_headers(definition, {}))
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:
        raise AlreadyExists(
            f"the agent already has a skill named {name!r}", field="skill.display_name"
        ) from None
    return row


async def agent_skills(session: AsyncSession, agent_id: str) -> list[SkillRow]:
    return list(
        (
            await session.scalars(
                select(SkillRow).where(SkillRow.agent_id == agent_id).order_by(SkillRow.id)
            )
        ).all()
    )


class SkillServicer(pb_grpc.SkillServiceServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def _owned_skill(self, session: AsyncSession, name: str) -> SkillRow:
        agent_id, skill_id = skill_name_parts(name)
        row = await owned(session, SkillRow, principal.current().org_id, skill_id, "skill")
        if row.agent_id != agent_id:
            raise NotFound("skill")
        return row

    async def CreateSkill(
        self, request: pb.CreateSkillRequest, context: object
    ) -> pb.CreateSkillResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        org_id = principal.current().org_id
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, org_id, agent_id, "agent")
            row = await insert_skill(
                session,
                self.runtime.sealer,
                org_id,
                agent_id,
                request.skill,
                self.runtime.now_ms(),
            )
            await session.commit()
        return pb.CreateSkillResponse(skill=to_proto(row))

    async def GetSkill(self, request: pb.GetSkillRequest, context: object) -> pb.GetSkillResponse:
        async with self.runtime.sessions() as session:
            row = await self._owned_skill(session, request.name)
        return pb.GetSkillResponse(skill=to_proto(row))

    async def ListSkills(
        self, request: pb.ListSkillsRequest, context: object
    ) -> pb.ListSkillsResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, principal.current().org_id, agent_id, "agent")
            rows, last = await page(
                session,
                select(SkillRow).where(SkillRow.agent_id == agent_id),
                SkillRow.id,
                after,
                size,
            )
        return pb.ListSkillsResponse(
            skills=[to_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def UpdateSkill(
        self, request: pb.UpdateSkillRequest, context: object
    ) -> pb.UpdateSkillResponse:
        mask = checked_update_mask(request.update_mask, pb.Skill)
        async with self.runtime.sessions() as session:
            row = await self._owned_skill(session, request.skill.name)
            merged = to_proto(row)
            apply_update(mask, request.skill, merged)
            new_name = validation.skill_name(merged.display_name, "skill.display_name")
            definition = rules.normalise(to_document(merged, NOT_IN_DEFINITION))
            kept = skill_headers.opened(self.runtime.sealer, row)
            skill_headers.seal(self.runtime.sealer, row, rules.secret_headers(definition, kept))
            row.definition = definition
            row.name = new_name
            row.updated_ms = self.runtime.now_ms()
            try:
                await session.commit()
            except IntegrityError:
                raise AlreadyExists(
                    f"the agent already has a skill named {new_name!r}", field="skill.display_name"
                ) from None
        return pb.UpdateSkillResponse(skill=to_proto(row))

    async def DeleteSkill(
        self, request: pb.DeleteSkillRequest, context: object
    ) -> pb.DeleteSkillResponse:
        async with self.runtime.sessions() as session:
            row = await self._owned_skill(session, request.name)
            await session.delete(row)
            await session.commit()
        return pb.DeleteSkillResponse()


__all__ = ["SkillServicer", "agent_skills", "insert_skill"]
