"""Agents over gRPC: drafts, update masks, publish, versions, rollback, diff, paging."""

from __future__ import annotations

import grpc
from google.protobuf import field_mask_pb2

import flowyte.v1.agent_service_pb2 as pb
import flowyte.v1.agent_service_pb2_grpc as pb_grpc
import flowyte.v1.skill_service_pb2 as skill_pb
import flowyte.v1.skill_service_pb2_grpc as skill_grpc
from tests.core.helpers import auth, error_fields, expect_error


async def test_create_get_update_delete(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        created = (
            await stub.CreateAgent(
                pb.CreateAgentRequest(
                    agent=pb.Agent(
                        display_name="Support",
                        greeting="Hello",
                        language="en-US",
                        handoff_config=pb.HandoffConfig(transfer_destination="(503) 555-0100"),
                    )
                ),
                metadata=auth(key),
            )
        ).agent
        assert created.id.startswith("agt_") and created.name == f"agents/{created.id}"
        assert created.handoff_config.transfer_destination == "+15035550100"  # normalised to E.164
        assert created.published_version == 0

        updated = (
            await stub.UpdateAgent(
                pb.UpdateAgentRequest(
                    agent=pb.Agent(name=created.name, greeting="Hi there", persona="ignored"),
                    update_mask=field_mask_pb2.FieldMask(paths=["greeting"]),
                ),
                metadata=auth(key),
            )
        ).agent
        assert (
            updated.greeting == "Hi there"
            and updated.persona == ""
            and updated.display_name == "Support"
        )

        await stub.DeleteAgent(pb.DeleteAgentRequest(name=created.name), metadata=auth(key))
        await expect_error(
            stub.GetAgent(pb.GetAgentRequest(name=created.name), metadata=auth(key)),
            grpc.StatusCode.NOT_FOUND,
        )


async def test_bad_input_names_the_field_and_writes_nothing(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        error = await expect_error(
            stub.CreateAgent(
                pb.CreateAgentRequest(agent=pb.Agent(display_name="  ")), metadata=auth(key)
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert error_fields(error) == ["agent.display_name"]
        error = await expect_error(
            stub.CreateAgent(
                pb.CreateAgentRequest(
                    agent=pb.Agent(
                        display_name="x",
                        handoff_config=pb.HandoffConfig(transfer_destination="call me maybe"),
                    )
                ),
                metadata=auth(key),
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert error_fields(error) == ["agent.handoff_config.transfer_destination"]
        assert not (await stub.ListAgents(pb.ListAgentsRequest(), metadata=auth(key))).agents

        agent = (
            await stub.CreateAgent(
                pb.CreateAgentRequest(agent=pb.Agent(display_name="A")), metadata=auth(key)
            )
        ).agent
        # Output-only fields in a mask are ignored (AIP-203; tests/core/test_update_masks.py).
        for paths in ([], ["no_such_field"], ["greeting", "no_such_field"]):
            error = await expect_error(
                stub.UpdateAgent(
                    pb.UpdateAgentRequest(
                        agent=pb.Agent(name=agent.name),
                        update_mask=field_mask_pb2.FieldMask(paths=paths),
                    ),
                    metadata=auth(key),
                ),
                grpc.StatusCode.INVALID_ARGUMENT,
            )
            assert error_fields(error) == ["update_mask"]
        error = await expect_error(
            stub.UpdateAgent(
                pb.UpdateAgentRequest(
                    agent=pb.Agent(name=agent.name, language="not a language!"),
                    update_mask=field_mask_pb2.FieldMask(paths=["language"]),
                ),
                metadata=auth(key),
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert error_fields(error) == ["agent.language"]
        assert (
            await stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(key))
        ).agent.language == ""


async def test_publish_freezes_versions_and_rollback_restores_them(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        skills = skill_grpc.SkillServiceStub(channel)
        agent = (
            await stub.CreateAgent(
                pb.CreateAgentRequest(agent=pb.Agent(display_name="A", greeting="v1 hello")),
                metadata=auth(key),
            )
        ).agent
        await skills.CreateSkill(
            skill_pb.CreateSkillRequest(
                parent=agent.name,
                skill=skill_pb.Skill(
                    display_name="hang_up",
                    skill_type="builtin",
                    execution_config={"action": "end_call"},
                ),
            ),
            metadata=auth(key),
        )
        v1 = (
            await stub.PublishAgent(
                pb.PublishAgentRequest(name=agent.name, note="first"), metadata=auth(key)
            )
        ).version
        assert v1.number == 1 and v1.snapshot.agent.greeting == "v1 hello"
        assert [s.display_name for s in v1.snapshot.skills] == ["hang_up"]

        await stub.UpdateAgent(
            pb.UpdateAgentRequest(
                agent=pb.Agent(name=agent.name, greeting="v2 hello"),
                update_mask=field_mask_pb2.FieldMask(paths=["greeting"]),
            ),
            metadata=auth(key),
        )
        skill_name = v1.snapshot.skills[0].name
        await skills.DeleteSkill(skill_pb.DeleteSkillRequest(name=skill_name), metadata=auth(key))
        v2 = (
            await stub.PublishAgent(pb.PublishAgentRequest(name=agent.name), metadata=auth(key))
        ).version
        assert v2.number == 2 and not v2.snapshot.skills
        # the frozen version did not change with the draft
        versions = (
            await stub.ListAgentVersions(
                pb.ListAgentVersionsRequest(parent=agent.name), metadata=auth(key)
            )
        ).versions
        assert [v.number for v in versions] == [2, 1]
        assert versions[1].snapshot.agent.greeting == "v1 hello"

        diff = (
            await stub.DiffAgentVersions(
                pb.DiffAgentVersionsRequest(name=f"{agent.name}/versions/2"), metadata=auth(key)
            )
        ).changes
        by_field = {c.field: c for c in diff}
        assert by_field["agent.greeting"].kind == pb.CHANGE_KIND_CHANGED
        assert by_field["agent.greeting"].before.string_value == "v1 hello"
        assert by_field["agent.greeting"].after.string_value == "v2 hello"
        assert by_field["skills.hang_up.skill_type"].kind == pb.CHANGE_KIND_REMOVED

        v3 = (
            await stub.RollbackAgent(
                pb.RollbackAgentRequest(name=agent.name, version=1), metadata=auth(key)
            )
        ).version
        assert (
            v3.number == 3 and v3.rolled_back_from == 1 and v3.snapshot.agent.greeting == "v1 hello"
        )
        draft = (await stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(key))).agent
        assert draft.greeting == "v1 hello" and draft.published_version == 3
        restored = (
            await skills.ListSkills(
                skill_pb.ListSkillsRequest(parent=agent.name), metadata=auth(key)
            )
        ).skills
        assert [s.name for s in restored] == [skill_name]
        assert not (
            await stub.DiffAgentVersions(
                pb.DiffAgentVersionsRequest(name=f"{agent.name}/versions/3", against=1),
                metadata=auth(key),
            )
        ).changes

        await expect_error(
            stub.RollbackAgent(
                pb.RollbackAgentRequest(name=agent.name, version=9), metadata=auth(key)
            ),
            grpc.StatusCode.NOT_FOUND,
        )


async def test_lists_page_and_published_only_filters(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        made = []
        for i in range(5):
            made.append(
                (
                    await stub.CreateAgent(
                        pb.CreateAgentRequest(agent=pb.Agent(display_name=f"A{i}")),
                        metadata=auth(key),
                    )
                ).agent.id
            )
        seen, token = [], ""
        while True:
            page = await stub.ListAgents(
                pb.ListAgentsRequest(page_size=2, page_token=token), metadata=auth(key)
            )
            seen += [a.id for a in page.agents]
            token = page.next_page_token
            if not token:
                break
        assert seen == made
        await stub.PublishAgent(
            pb.PublishAgentRequest(name=f"agents/{made[3]}"), metadata=auth(key)
        )
        published = await stub.ListAgents(
            pb.ListAgentsRequest(published_only=True), metadata=auth(key)
        )
        assert [a.id for a in published.agents] == [made[3]]
        error = await expect_error(
            stub.ListAgents(pb.ListAgentsRequest(page_token="garbage!"), metadata=auth(key)),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert error_fields(error) == ["page_token"]


async def test_other_organizations_agents_look_missing(core):
    mine, theirs = await core.new_org_key(), await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        agent = (
            await stub.CreateAgent(
                pb.CreateAgentRequest(agent=pb.Agent(display_name="Mine")), metadata=auth(mine)
            )
        ).agent
        foreign = await expect_error(
            stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(theirs)),
            grpc.StatusCode.NOT_FOUND,
        )
        missing = await expect_error(
            stub.GetAgent(
                pb.GetAgentRequest(name="agents/agt_doesnotexist"), metadata=auth(theirs)
            ),
            grpc.StatusCode.NOT_FOUND,
        )
        assert foreign.details() == missing.details()
        for call in (
            stub.PublishAgent(pb.PublishAgentRequest(name=agent.name), metadata=auth(theirs)),
            stub.DeleteAgent(pb.DeleteAgentRequest(name=agent.name), metadata=auth(theirs)),
            stub.UpdateAgent(
                pb.UpdateAgentRequest(
                    agent=pb.Agent(name=agent.name, greeting="pwned"),
                    update_mask=field_mask_pb2.FieldMask(paths=["greeting"]),
                ),
                metadata=auth(theirs),
            ),
        ):
            await expect_error(call, grpc.StatusCode.NOT_FOUND)
        assert (await stub.ListAgents(pb.ListAgentsRequest(), metadata=auth(theirs))).agents == []
        still = (
            await stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(mine))
        ).agent
        assert still.greeting == "" and still.published_version == 0
