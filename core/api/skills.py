"""SkillService: the actions on an agent's draft."""

from __future__ import annotations

from typing import Any

import flowyte.v1.skill_service_pb2 as pb
import flowyte.v1.skill_service_pb2_grpc as pb_grpc
from core.domain.errors import InvalidArgument
from core.runtime import Runtime
from core.services.skills import Skills
from core.store.tables import SkillRow
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


class SkillServicer(pb_grpc.SkillServiceServicer):
    def __init__(self, runtime: Runtime):
        self.skills = Skills(runtime)

    async def CreateSkill(
        self, request: pb.CreateSkillRequest, context: object
    ) -> pb.CreateSkillResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        row = await self.skills.create(
            principal.current().org_id,
            agent_id,
            request.skill.display_name,
            to_document(request.skill, NOT_IN_DEFINITION),
        )
        return pb.CreateSkillResponse(skill=to_proto(row))

    async def GetSkill(self, request: pb.GetSkillRequest, context: object) -> pb.GetSkillResponse:
        row = await self.skills.get(principal.current().org_id, *skill_name_parts(request.name))
        return pb.GetSkillResponse(skill=to_proto(row))

    async def ListSkills(
        self, request: pb.ListSkillsRequest, context: object
    ) -> pb.ListSkillsResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        rows, last = await self.skills.list_page(principal.current().org_id, agent_id, after, size)
        return pb.ListSkillsResponse(
            skills=[to_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def UpdateSkill(
        self, request: pb.UpdateSkillRequest, context: object
    ) -> pb.UpdateSkillResponse:
        mask = checked_update_mask(request.update_mask, pb.Skill)

        def edit(row: SkillRow) -> tuple[str, dict[str, Any]]:
            merged = to_proto(row)
            apply_update(mask, request.skill, merged)
            return merged.display_name, to_document(merged, NOT_IN_DEFINITION)

        agent_id, skill_id = skill_name_parts(request.skill.name)
        row = await self.skills.update(principal.current().org_id, agent_id, skill_id, edit)
        return pb.UpdateSkillResponse(skill=to_proto(row))

    async def DeleteSkill(
        self, request: pb.DeleteSkillRequest, context: object
    ) -> pb.DeleteSkillResponse:
        await self.skills.delete(principal.current().org_id, *skill_name_parts(request.name))
        return pb.DeleteSkillResponse()


__all__ = ["SkillServicer"]
