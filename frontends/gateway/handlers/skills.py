"""An agent's skills."""

from __future__ import annotations

from typing import Any

from flowyte.v1 import skill_service_pb2 as pb
from frontends.gateway.handlers.agents import agent_name
from frontends.gateway.operation import Call, Page
from frontends.gateway.shapes import from_rest, to_rest, update_mask_paths


def skill_name(call: Call) -> str:
    return f"{agent_name(call)}/skills/{call.params['sid']}"


async def create_skill(call: Call) -> Any:
    # proto3 cannot tell "not sent" from false; a new skill is enabled unless told otherwise.
    skill = from_rest({"isEnabled": True, **call.body}, pb.Skill)
    reply = await call.client.skills.CreateSkill(
        pb.CreateSkillRequest(parent=agent_name(call), skill=skill), metadata=call.metadata
    )
    return to_rest(reply.skill)


async def list_skills(call: Call) -> Page:
    reply = await call.client.skills.ListSkills(
        pb.ListSkillsRequest(
            parent=agent_name(call), page_size=call.page_size, page_token=call.page_token
        ),
        metadata=call.metadata,
    )
    return Page([to_rest(s) for s in reply.skills], reply.next_page_token or None)


async def get_skill(call: Call) -> Any:
    reply = await call.client.skills.GetSkill(
        pb.GetSkillRequest(name=skill_name(call)), metadata=call.metadata
    )
    return to_rest(reply.skill)


async def update_skill(call: Call) -> Any:
    skill = from_rest(call.body, pb.Skill)
    skill.name = skill_name(call)
    request = pb.UpdateSkillRequest(skill=skill)
    request.update_mask.paths.extend(update_mask_paths(call.body, pb.Skill.DESCRIPTOR))
    reply = await call.client.skills.UpdateSkill(request, metadata=call.metadata)
    return to_rest(reply.skill)


async def delete_skill(call: Call) -> Any:
    await call.client.skills.DeleteSkill(
        pb.DeleteSkillRequest(name=skill_name(call)), metadata=call.metadata
    )
    return {"id": call.params["sid"], "deleted": True}
