"""GuardrailPolicy's settings, typed (the `settings` oneof) and as the deprecated `config`
Struct: a request may carry either, every answer carries both, and the core enforces the one
it was given. Old clients and documents stored before the oneof keep working."""

from __future__ import annotations

import grpc
from google.protobuf import json_format

import flowyte.v1.agent_service_pb2 as agent_pb
import flowyte.v1.agent_service_pb2_grpc as agent_grpc
import flowyte.v1.conversation_service_pb2 as chat_pb
import flowyte.v1.conversation_service_pb2_grpc as chat_grpc
import flowyte.v1.guardrail_service_pb2 as pb
import flowyte.v1.guardrail_service_pb2_grpc as pb_grpc
from core.api.policy_settings import typed_field
from tests.core.helpers import auth, error_fields, expect_error


async def _agent(channel: grpc.aio.Channel, key: str) -> str:
    stub = agent_grpc.AgentServiceStub(channel)
    reply = await stub.CreateAgent(
        agent_pb.CreateAgentRequest(agent=agent_pb.Agent(display_name="A")), metadata=auth(key)
    )
    return reply.agent.name


def _config(policy: pb.GuardrailPolicy) -> dict:
    return json_format.MessageToDict(policy.config)


async def test_typed_settings_are_answered_as_config_too_and_enforced(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        parent = await _agent(channel, key)
        stub = pb_grpc.GuardrailServiceStub(channel)
        typed = pb.GuardrailPolicy(
            policy_type=pb.POLICY_TYPE_CONTENT_POLICY,
            content_policy=pb.ContentPolicySettings(
                banned_topics=["politics"], redact_pii=True, negative_turns_before_handoff=2
            ),
        )
        stored = (
            await stub.ReplaceGuardrails(
                pb.ReplaceGuardrailsRequest(parent=parent, guardrails=[typed]), metadata=auth(key)
            )
        ).guardrails
        assert stored[0].content_policy == typed.content_policy
        assert _config(stored[0]) == {
            "bannedTopics": ["politics"],
            "redactPii": True,
            "negativeTurnsBeforeHandoff": 2.0,
        }  # API.md's keys, as REST and older clients read them

        chat = chat_grpc.ConversationServiceStub(channel)
        session = (
            await chat.CreateSession(
                chat_pb.CreateSessionRequest(agent_id=parent.split("/")[1], draft_mode=True),
                metadata=auth(key),
            )
        ).session
        await chat.SendMessage(
            chat_pb.SendMessageRequest(session=session.name, content="I am ava.chen@example.com"),
            metadata=auth(key),
        )
        events = await chat.ListSessionEvents(
            chat_pb.ListSessionEventsRequest(parent=session.name), metadata=auth(key)
        )
    assert "ava.chen@example.com" not in str([dict(e.payload) for e in events.events])


async def test_config_alone_and_stored_documents_are_answered_typed_too(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        parent = await _agent(channel, key)
        stub = pb_grpc.GuardrailServiceStub(channel)
        fresh = (
            await stub.GetGuardrails(pb.GetGuardrailsRequest(parent=parent), metadata=auth(key))
        ).guardrails  # the default policy, stored as a document with a config only
        assert fresh[0].WhichOneof("settings") == "rate_limit"
        assert fresh[0].rate_limit == pb.RateLimitSettings(
            tool_calls_per_minute=20, tool_calls_per_conversation=30
        )

        old_client = [
            pb.GuardrailPolicy(policy_type=pb.POLICY_TYPE_WRITE_GATE),
            pb.GuardrailPolicy(
                policy_type=pb.POLICY_TYPE_VERIFY_BEFORE_DISCLOSE,
                config={"fields": {"found": "anyone", "status": "verified"}},
            ),
            # Accepted as before; an int32 cannot hold it, so only config answers it.
            pb.GuardrailPolicy(
                policy_type=pb.POLICY_TYPE_RATE_LIMIT, config={"toolCallsPerMinute": 20.5}
            ),
        ]
        stored = (
            await stub.ReplaceGuardrails(
                pb.ReplaceGuardrailsRequest(parent=parent, guardrails=old_client),
                metadata=auth(key),
            )
        ).guardrails
        assert stored[0].WhichOneof("settings") == "write_gate"
        assert dict(stored[1].verify_before_disclose.fields) == {
            "found": "anyone",
            "status": "verified",
        }
        assert stored[2].WhichOneof("settings") is None
        assert _config(stored[2]) == {"toolCallsPerMinute": 20.5}

        # What a client read, it can write back as it is: both forms agree.
        again = (
            await stub.ReplaceGuardrails(
                pb.ReplaceGuardrailsRequest(parent=parent, guardrails=stored), metadata=auth(key)
            )
        ).guardrails
        assert list(again) == list(stored)

        versions = agent_grpc.AgentServiceStub(channel)
        version = (
            await versions.PublishAgent(
                agent_pb.PublishAgentRequest(name=parent), metadata=auth(key)
            )
        ).version
        assert list(version.snapshot.guardrails) == list(stored)
        report = await versions.GetPrepublishReport(
            agent_pb.GetPrepublishReportRequest(name=parent), metadata=auth(key)
        )
        assert not [w for w in report.warnings if "not published" in w.lower()]


async def test_settings_that_contradict_are_refused_and_nothing_changes(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        parent = await _agent(channel, key)
        stub = pb_grpc.GuardrailServiceStub(channel)
        before = (
            await stub.GetGuardrails(pb.GetGuardrailsRequest(parent=parent), metadata=auth(key))
        ).guardrails

        disagree = pb.GuardrailPolicy(
            policy_type=pb.POLICY_TYPE_RATE_LIMIT,
            rate_limit=pb.RateLimitSettings(tool_calls_per_minute=5),
            config={"toolCallsPerMinute": 10},
        )
        wrong_kind = pb.GuardrailPolicy(
            policy_type=pb.POLICY_TYPE_RATE_LIMIT,
            content_policy=pb.ContentPolicySettings(redact_pii=True),
        )
        out_of_range = pb.GuardrailPolicy(
            policy_type=pb.POLICY_TYPE_RATE_LIMIT,
            rate_limit=pb.RateLimitSettings(tool_calls_per_minute=-3),
        )
        for policy, field in [
            (disagree, "guardrails[1].config"),
            (wrong_kind, "guardrails[1].content_policy"),
            (out_of_range, "guardrails[1].rate_limit.tool_calls_per_minute"),  # as sent
        ]:
            error = await expect_error(
                stub.ReplaceGuardrails(
                    pb.ReplaceGuardrailsRequest(
                        parent=parent,
                        guardrails=[
                            pb.GuardrailPolicy(policy_type=pb.POLICY_TYPE_WRITE_GATE),
                            policy,
                        ],
                    ),
                    metadata=auth(key),
                ),
                grpc.StatusCode.INVALID_ARGUMENT,
            )
            assert error_fields(error) == [field]
        after = (
            await stub.GetGuardrails(pb.GetGuardrailsRequest(parent=parent), metadata=auth(key))
        ).guardrails
        assert list(after) == list(before)


def test_every_policy_type_has_typed_settings_named_after_it():
    kinds = [v for v in pb.PolicyType.values() if v != pb.POLICY_TYPE_UNSPECIFIED]
    assert len(kinds) == 6
    fields = {typed_field(kind) for kind in kinds}
    assert fields == {
        f.name for f in pb.GuardrailPolicy.DESCRIPTOR.oneofs_by_name["settings"].fields
    }
