"""Skills and guardrails on an agent's draft."""

from __future__ import annotations

import grpc
from google.protobuf import field_mask_pb2

import flowyte.v1.agent_service_pb2 as agent_pb
import flowyte.v1.agent_service_pb2_grpc as agent_grpc
import flowyte.v1.audit_pb2 as audit_pb
import flowyte.v1.guardrail_service_pb2 as g_pb
import flowyte.v1.guardrail_service_pb2_grpc as g_grpc
import flowyte.v1.skill_service_pb2 as pb
import flowyte.v1.skill_service_pb2_grpc as pb_grpc
from tests.core.helpers import auth, error_fields, error_reason, expect_error

WEBHOOK = pb.Skill(
    display_name="check_stock",
    skill_type="http_webhook",
    description="Is it in stock?",
    parameters_schema={
        "type": "object",
        "properties": {"sku": {"type": "string"}},
        "required": ["sku"],
    },
    required_params=["sku"],
    execution_config={"url": "https://example.com/stock", "method": "post", "timeout_ms": 2000},
    channels=[audit_pb.CHANNEL_CHAT, audit_pb.CHANNEL_VOICE],
    expected_latency_ms=300,
)


async def _agent(channel, key) -> str:
    stub = agent_grpc.AgentServiceStub(channel)
    return (
        await stub.CreateAgent(
            agent_pb.CreateAgentRequest(agent=agent_pb.Agent(display_name="A")), metadata=auth(key)
        )
    ).agent.name


async def test_skill_lifecycle(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        parent = await _agent(channel, key)
        stub = pb_grpc.SkillServiceStub(channel)
        skill = (
            await stub.CreateSkill(
                pb.CreateSkillRequest(parent=parent, skill=WEBHOOK), metadata=auth(key)
            )
        ).skill
        assert skill.id.startswith("skl_") and skill.agent_id == parent.split("/")[1]
        assert (
            skill.execution_config["method"] == "POST" and skill.is_enabled
        )  # defaults and normalisation
        assert list(skill.channels) == [audit_pb.CHANNEL_CHAT, audit_pb.CHANNEL_VOICE]

        dup = await expect_error(
            stub.CreateSkill(
                pb.CreateSkillRequest(parent=parent, skill=WEBHOOK), metadata=auth(key)
            ),
            grpc.StatusCode.ALREADY_EXISTS,
        )
        assert error_fields(dup) == ["skill.display_name"]

        off = (
            await stub.UpdateSkill(
                pb.UpdateSkillRequest(
                    skill=pb.Skill(name=skill.name, is_enabled=False, description="new"),
                    update_mask=field_mask_pb2.FieldMask(paths=["is_enabled"]),
                ),
                metadata=auth(key),
            )
        ).skill
        assert off.is_enabled is False and off.description == "Is it in stock?"
        listed = (
            await stub.ListSkills(pb.ListSkillsRequest(parent=parent), metadata=auth(key))
        ).skills
        assert [s.id for s in listed] == [skill.id]
        await stub.DeleteSkill(pb.DeleteSkillRequest(name=skill.name), metadata=auth(key))
        await expect_error(
            stub.GetSkill(pb.GetSkillRequest(name=skill.name), metadata=auth(key)),
            grpc.StatusCode.NOT_FOUND,
        )


async def test_skill_validation(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        parent = await _agent(channel, key)
        stub = pb_grpc.SkillServiceStub(channel)

        async def rejected(skill: pb.Skill, code=grpc.StatusCode.INVALID_ARGUMENT):
            return await expect_error(
                stub.CreateSkill(
                    pb.CreateSkillRequest(parent=parent, skill=skill), metadata=auth(key)
                ),
                code,
            )

        assert error_fields(
            await rejected(
                pb.Skill(
                    display_name="Bad Name",
                    skill_type="builtin",
                    execution_config={"action": "repeat"},
                )
            )
        ) == ["skill.display_name"]
        assert error_fields(await rejected(pb.Skill(display_name="x", skill_type=""))) == [
            "skill.skill_type"
        ]
        unavailable = await rejected(
            pb.Skill(display_name="x", skill_type="mcp_server"), grpc.StatusCode.FAILED_PRECONDITION
        )
        assert error_reason(unavailable) == "NOT_AVAILABLE"
        assert error_fields(
            await rejected(
                pb.Skill(
                    display_name="x", skill_type="builtin", execution_config={"action": "dance"}
                )
            )
        ) == ["skill.execution_config.action"]
        assert error_fields(
            await rejected(
                pb.Skill(
                    display_name="x", skill_type="http_webhook", execution_config={"url": "ftp://x"}
                )
            )
        ) == ["skill.execution_config.url"]
        assert error_fields(
            await rejected(
                pb.Skill(
                    display_name="x", skill_type="transfer", execution_config={"destination": "12"}
                )
            )
        ) == ["skill.execution_config.destination"]
        assert error_fields(
            await rejected(
                pb.Skill(
                    display_name="x",
                    skill_type="builtin",
                    execution_config={"action": "repeat"},
                    parameters_schema={"type": "object", "properties": {}},
                    required_params=["sku"],
                )
            )
        ) == ["skill.required_params[0]"]
        assert error_fields(
            await rejected(
                pb.Skill(
                    display_name="x",
                    skill_type="builtin",
                    execution_config={"action": "repeat"},
                    parameters_schema={"type": "object", "properties": {"a": {"type": "nonsense"}}},
                )
            )
        ) == ["skill.parameters_schema"]
        assert not (
            await stub.ListSkills(pb.ListSkillsRequest(parent=parent), metadata=auth(key))
        ).skills


async def test_guardrails_and_caller_verification_replace_whole_lists(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        parent = await _agent(channel, key)
        stub = g_grpc.GuardrailServiceStub(channel)
        fresh = (
            await stub.GetGuardrails(g_pb.GetGuardrailsRequest(parent=parent), metadata=auth(key))
        ).guardrails
        assert [p.policy_type for p in fresh] == [g_pb.POLICY_TYPE_RATE_LIMIT]  # the default
        stored = (
            await stub.ReplaceGuardrails(
                g_pb.ReplaceGuardrailsRequest(
                    parent=parent,
                    guardrails=[
                        g_pb.GuardrailPolicy(
                            policy_type=g_pb.POLICY_TYPE_RATE_LIMIT,
                            config={"toolCallsPerMinute": 10},
                        ),
                        g_pb.GuardrailPolicy(
                            policy_type=g_pb.POLICY_TYPE_CONTENT_POLICY,
                            config={"bannedTopics": ["politics"], "redactPii": True},
                        ),
                    ],
                ),
                metadata=auth(key),
            )
        ).guardrails
        assert [p.policy_type for p in stored] == [
            g_pb.POLICY_TYPE_RATE_LIMIT,
            g_pb.POLICY_TYPE_CONTENT_POLICY,
        ]
        assert all(p.is_enabled for p in stored)
        bad = await expect_error(
            stub.ReplaceGuardrails(
                g_pb.ReplaceGuardrailsRequest(
                    parent=parent,
                    guardrails=[
                        g_pb.GuardrailPolicy(
                            policy_type=g_pb.POLICY_TYPE_RATE_LIMIT,
                            config={"toolCallsPerMinute": 0},
                        ),
                    ],
                ),
                metadata=auth(key),
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert error_fields(bad) == ["guardrails[0].config.toolCallsPerMinute"]
        assert (
            len(
                (
                    await stub.GetGuardrails(
                        g_pb.GetGuardrailsRequest(parent=parent), metadata=auth(key)
                    )
                ).guardrails
            )
            == 2
        )

        methods = (
            await stub.ReplaceCallerVerification(
                g_pb.ReplaceCallerVerificationRequest(
                    parent=parent,
                    methods=[
                        g_pb.CallerVerificationMethod(method=g_pb.VERIFICATION_METHOD_ORDER_MATCH),
                    ],
                ),
                metadata=auth(key),
            )
        ).methods
        assert methods[0].max_attempts == 3 and methods[0].token_ttl_seconds == 900  # defaults
        bad = await expect_error(
            stub.ReplaceCallerVerification(
                g_pb.ReplaceCallerVerificationRequest(
                    parent=parent,
                    methods=[
                        g_pb.CallerVerificationMethod(
                            method=g_pb.VERIFICATION_METHOD_ORDER_MATCH, max_attempts=50
                        ),
                    ],
                ),
                metadata=auth(key),
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert error_fields(bad) == ["methods[0].max_attempts"]
