"""Update masks follow the contract's field behaviours (AIP-203), read from the protos:
output-only fields and the resource's name are ignored in a mask, an immutable field may be
sent again unchanged but not changed, and what the mask does not name stays as it was."""

from __future__ import annotations

import pytest
from google.protobuf import field_mask_pb2

import flowyte.v1.agent_service_pb2 as pb
import flowyte.v1.agent_service_pb2_grpc as pb_grpc
import flowyte.v1.api_key_service_pb2 as key_pb
import flowyte.v1.skill_service_pb2 as skill_pb
import flowyte.v1.skill_service_pb2_grpc as skill_grpc
from core.api.convert import apply_update, checked_update_mask
from core.domain.errors import InvalidArgument
from tests.core.helpers import auth


async def test_output_only_fields_in_an_update_mask_are_ignored(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        agent = (
            await stub.CreateAgent(
                pb.CreateAgentRequest(agent=pb.Agent(display_name="A", greeting="Hello")),
                metadata=auth(key),
            )
        ).agent
        attempt = pb.Agent(
            name=agent.name, id="agt_someone_else", published_version=7, greeting="Hi"
        )
        attempt.create_time.FromSeconds(1)
        updated = (
            await stub.UpdateAgent(
                pb.UpdateAgentRequest(
                    agent=attempt,
                    update_mask=field_mask_pb2.FieldMask(
                        paths=["id", "published_version", "create_time", "name", "greeting"]
                    ),
                ),
                metadata=auth(key),
            )
        ).agent
        assert updated.greeting == "Hi"  # the settable field changed, the rest did not
        assert (updated.id, updated.name, updated.published_version) == (agent.id, agent.name, 0)
        assert updated.create_time == agent.create_time

        skills = skill_grpc.SkillServiceStub(channel)
        skill = (
            await skills.CreateSkill(
                skill_pb.CreateSkillRequest(
                    parent=agent.name,
                    skill=skill_pb.Skill(
                        display_name="hang_up",
                        skill_type="builtin",
                        execution_config={"action": "end_call"},
                        # output-only on create too: ignored, not an error
                        agent_id="agt_someone_else",
                        id="skl_mine",
                    ),
                ),
                metadata=auth(key),
            )
        ).skill
        assert skill.agent_id == agent.id and skill.id != "skl_mine"
        moved = (
            await skills.UpdateSkill(
                skill_pb.UpdateSkillRequest(
                    skill=skill_pb.Skill(
                        name=skill.name, agent_id="agt_someone_else", description="Ends the call"
                    ),
                    update_mask=field_mask_pb2.FieldMask(paths=["agent_id", "description"]),
                ),
                metadata=auth(key),
            )
        ).skill
        assert moved.agent_id == agent.id and moved.description == "Ends the call"
        listed = (
            await skills.ListSkills(
                skill_pb.ListSkillsRequest(parent=agent.name), metadata=auth(key)
            )
        ).skills
        assert [s.name for s in listed] == [skill.name]


async def test_a_mask_of_output_only_fields_alone_changes_nothing(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        agent = (
            await stub.CreateAgent(
                pb.CreateAgentRequest(agent=pb.Agent(display_name="A", greeting="Hello")),
                metadata=auth(key),
            )
        ).agent
        same = (
            await stub.UpdateAgent(
                pb.UpdateAgentRequest(
                    agent=pb.Agent(name=agent.name, id="agt_x"),
                    update_mask=field_mask_pb2.FieldMask(paths=["id"]),
                ),
                metadata=auth(key),
            )
        ).agent
        # Not an error (AIP-203: never for an output-only field's presence), and no change.
        assert (same.id, same.display_name, same.greeting) == (agent.id, "A", "Hello")


def _key(display_name: str, scopes: list[str]) -> key_pb.ApiKey:
    return key_pb.ApiKey(name="apiKeys/key_1", display_name=display_name, scopes=scopes)


def test_an_immutable_field_may_be_repeated_but_not_changed():
    # ApiKey's display_name and scopes are IMMUTABLE in the contract.
    mask = checked_update_mask(
        field_mask_pb2.FieldMask(paths=["display_name", "scopes"]), key_pb.ApiKey
    )
    stored = _key("ci", ["agents:read"])
    apply_update(mask, _key("ci", ["agents:read"]), stored)  # the same values: fine
    assert stored == _key("ci", ["agents:read"])
    for attempt in (_key("renamed", ["agents:read"]), _key("ci", ["agents:write"])):
        with pytest.raises(InvalidArgument) as refused:
            apply_update(mask, attempt, stored)
        assert [v.field for v in refused.value.fields] == ["update_mask"]
        assert "cannot be changed" in str(refused.value)
    assert stored == _key("ci", ["agents:read"])  # nothing half-applied


def test_a_mask_names_fields_the_message_has():
    for paths in ([], ["no_such_field"], ["display_name.nothing_below"]):
        with pytest.raises(InvalidArgument):
            checked_update_mask(field_mask_pb2.FieldMask(paths=paths), key_pb.ApiKey)
