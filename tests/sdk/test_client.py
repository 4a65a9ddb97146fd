"""The SDK: keys and deadlines on every call, per-call overrides, retries of UNAVAILABLE.

They import the installed SDK and grpc alone (no server code, no conftest), so they run as
well in an environment that has only the SDK (tests/test_sdk_install.py does that): a core
that fails on demand is a tiny fake servicer on a real grpc.aio server. The SDK against the
real core is tests/gateway/test_sdk_on_the_core.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import grpc
import grpc.aio
import pytest

from flowyte import FlowyteClient, call_metadata
from flowyte.v1 import agent_service_pb2 as pb
from flowyte.v1 import agent_service_pb2_grpc as pb_grpc
from flowyte.v1 import conversation_service_pb2 as conversation_pb
from flowyte.v1 import conversation_service_pb2_grpc as conversation_grpc


class FlakyAgents(pb_grpc.AgentServiceServicer):
    """Fails the first `failures` calls with UNAVAILABLE; records what each call carried."""

    def __init__(self, failures: int = 0, delay: float = 0.0) -> None:
        self.failures = failures
        self.delay = delay
        self.calls: list[dict[str, Any]] = []

    async def GetAgent(self, request: pb.GetAgentRequest, context: Any) -> pb.GetAgentResponse:
        self.calls.append(
            {
                "metadata": dict(context.invocation_metadata()),
                "remaining": context.time_remaining(),
                "at": time.monotonic(),
            }
        )
        if len(self.calls) <= self.failures:
            await context.abort(grpc.StatusCode.UNAVAILABLE, "restarting")
        await asyncio.sleep(self.delay)
        return pb.GetAgentResponse(agent=pb.Agent(name=request.name, display_name="Ava"))

    async def CreateAgent(self, request: Any, context: Any) -> Any:
        self.calls.append({"metadata": dict(context.invocation_metadata())})
        await context.abort(grpc.StatusCode.UNAVAILABLE, "down for good")


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FlakyAgents, str]]:
    servicer = FlakyAgents()
    server = grpc.aio.server()
    pb_grpc.add_AgentServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield servicer, f"127.0.0.1:{port}"
    finally:
        await server.stop(0)


async def test_key_and_deadline_on_every_call(fake: tuple[FlakyAgents, str]) -> None:
    servicer, target = fake
    async with FlowyteClient(target, "flowyte_sk_live_abc", timeout=5) as client:
        reply = await client.agents.GetAgent(pb.GetAgentRequest(name="agents/a"))
        assert reply.agent.display_name == "Ava"
        await client.agents.GetAgent(
            pb.GetAgentRequest(name="agents/a"),
            metadata=call_metadata("flowyte_sk_live_other", idempotency_key="k1", origin="o"),
        )
        await client.agents.GetAgent(pb.GetAgentRequest(name="agents/a"), timeout=1.5)
    first, override, short = servicer.calls
    assert first["metadata"]["authorization"] == "Bearer flowyte_sk_live_abc"
    assert 3 < first["remaining"] <= 5.1  # server-side clock readings wobble a little
    assert override["metadata"]["authorization"] == "Bearer flowyte_sk_live_other"
    assert override["metadata"]["idempotency-key"] == "k1"
    assert override["metadata"]["origin"] == "o"
    assert short["remaining"] <= 2


async def test_no_key_means_no_authorization(fake: tuple[FlakyAgents, str]) -> None:
    servicer, target = fake
    async with FlowyteClient(target) as client:
        await client.agents.GetAgent(pb.GetAgentRequest(name="agents/a"))
    assert "authorization" not in servicer.calls[0]["metadata"]


async def test_unavailable_is_retried_with_backoff(fake: tuple[FlakyAgents, str]) -> None:
    servicer, target = fake
    servicer.failures = 2
    async with FlowyteClient(target, "k", retries=3) as client:
        reply = await client.agents.GetAgent(pb.GetAgentRequest(name="agents/a"))
    assert reply.agent.display_name == "Ava"
    assert len(servicer.calls) == 3
    gaps = [b["at"] - a["at"] for a, b in zip(servicer.calls, servicer.calls[1:], strict=False)]
    assert all(gap < 1.0 for gap in gaps)


async def test_retries_stay_within_the_one_deadline(fake: tuple[FlakyAgents, str]) -> None:
    servicer, target = fake
    servicer.failures = 10_000
    async with FlowyteClient(target, "k", timeout=0.5, retries=1_000) as client:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await client.agents.GetAgent(pb.GetAgentRequest(name="agents/a"))
    assert caught.value.code() in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED)
    assert len(servicer.calls) > 2
    # The server's own view, so a busy machine's slow start does not count: no attempt
    # begins after the one 0.5 s deadline (a fresh deadline per retry would go on for
    # a thousand retries), and each carries only what is left of it.
    first, last = servicer.calls[0], servicer.calls[-1]
    assert last["at"] - first["at"] <= 0.5 + 0.05
    assert all(c["remaining"] <= 0.5 - (c["at"] - first["at"]) + 0.05 for c in servicer.calls)


async def test_retries_give_up_with_the_error(fake: tuple[FlakyAgents, str]) -> None:
    servicer, target = fake
    async with FlowyteClient(target, "k", retries=2) as client:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await client.agents.CreateAgent(pb.CreateAgentRequest())
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE
    assert len(servicer.calls) == 3  # the call and two retries


async def test_deadline_exceeded(fake: tuple[FlakyAgents, str]) -> None:
    servicer, target = fake
    servicer.delay = 2
    async with FlowyteClient(target, "k", timeout=0.2) as client:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await client.agents.GetAgent(pb.GetAgentRequest(name="agents/a"))
    assert caught.value.code() == grpc.StatusCode.DEADLINE_EXCEEDED


async def test_unreachable_core_is_unavailable_after_retries() -> None:
    async with FlowyteClient("127.0.0.1:1", "k", timeout=2, retries=2) as client:
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await client.agents.GetAgent(pb.GetAgentRequest(name="agents/a"))
    assert caught.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_every_service_has_its_stub() -> None:
    from google.protobuf import descriptor_pool

    async with FlowyteClient("127.0.0.1:1") as client:
        for name in ["Agent", "Skill", "Guardrail", "Integration", "ApiKey", "Conversation",
                     "Handoff", "Widget", "Number"]:  # fmt: skip
            service = descriptor_pool.Default().FindServiceByName(f"flowyte.v1.{name}Service")
            stub = client.stub(service.name)
            assert all(hasattr(stub, m.name) for m in service.methods), name


class EchoConversations(conversation_grpc.ConversationServiceServicer):
    def __init__(self) -> None:
        self.metadata: list[dict[str, Any]] = []

    async def StreamMessage(self, request: Any, context: Any) -> AsyncIterator[Any]:
        self.metadata.append(dict(context.invocation_metadata()))
        for _ in range(2):
            yield conversation_pb.StreamMessageResponse()

    async def Converse(self, request_iterator: Any, context: Any) -> AsyncIterator[Any]:
        self.metadata.append(dict(context.invocation_metadata()))
        async for _ in request_iterator:
            yield conversation_pb.ConverseResponse()


async def test_streams_carry_the_key_too() -> None:
    servicer = EchoConversations()
    server = grpc.aio.server()
    conversation_grpc.add_ConversationServiceServicer_to_server(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        async with FlowyteClient(f"127.0.0.1:{port}", "sk") as client:
            stream = client.conversations.StreamMessage(conversation_pb.StreamMessageRequest())
            assert len([r async for r in stream]) == 2

            async def two() -> AsyncIterator[Any]:
                for _ in range(2):
                    yield conversation_pb.ConverseRequest()

            replies = client.conversations.Converse(two(), metadata=call_metadata("other"))
            assert len([r async for r in replies]) == 2
    finally:
        await server.stop(0)
    assert [m["authorization"] for m in servicer.metadata] == ["Bearer sk", "Bearer other"]
