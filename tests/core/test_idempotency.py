"""A retried create with the same idempotency key replays the first answer."""

from __future__ import annotations

import asyncio

import grpc
from sqlalchemy import func, select

import flowyte.v1.agent_service_pb2 as pb
import flowyte.v1.agent_service_pb2_grpc as pb_grpc
import flowyte.v1.api_key_service_pb2 as key_pb
import flowyte.v1.api_key_service_pb2_grpc as key_grpc
from core.store import expiry
from core.store.tables import IdempotencyRecord
from tests.core.helpers import auth, error_reason, expect_error


async def test_same_key_same_request_replays_and_creates_once(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        request = pb.CreateAgentRequest(agent=pb.Agent(display_name="Once"))
        first = await stub.CreateAgent(request, metadata=auth(key, **{"idempotency-key": "k-1"}))
        again = await stub.CreateAgent(request, metadata=auth(key, **{"idempotency-key": "k-1"}))
        assert again == first
        assert len((await stub.ListAgents(pb.ListAgentsRequest(), metadata=auth(key))).agents) == 1

        other = pb.CreateAgentRequest(agent=pb.Agent(display_name="Other"))
        error = await expect_error(
            stub.CreateAgent(other, metadata=auth(key, **{"idempotency-key": "k-1"})),
            grpc.StatusCode.ABORTED,
        )
        assert error_reason(error) == "IDEMPOTENCY_KEY_REUSED"
        assert len((await stub.ListAgents(pb.ListAgentsRequest(), metadata=auth(key))).agents) == 1


async def test_concurrent_retries_create_one_resource(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        request = pb.CreateAgentRequest(agent=pb.Agent(display_name="Race"))
        results = await asyncio.gather(
            *(
                stub.CreateAgent(request, metadata=auth(key, **{"idempotency-key": "race"}))
                for _ in range(5)
            ),
            return_exceptions=True,
        )
        ok = [r for r in results if isinstance(r, pb.CreateAgentResponse)]
        assert ok and len({r.agent.id for r in ok}) == 1
        for failure in results:
            if isinstance(failure, grpc.aio.AioRpcError):
                assert error_reason(failure) == "IDEMPOTENCY_KEY_IN_USE"
        assert len((await stub.ListAgents(pb.ListAgentsRequest(), metadata=auth(key))).agents) == 1


async def test_a_failed_request_can_be_retried_with_its_key(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        bad = pb.CreateAgentRequest(agent=pb.Agent(display_name=""))
        await expect_error(
            stub.CreateAgent(bad, metadata=auth(key, **{"idempotency-key": "k"})),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        fixed = pb.CreateAgentRequest(agent=pb.Agent(display_name="Fixed"))
        created = await stub.CreateAgent(fixed, metadata=auth(key, **{"idempotency-key": "k"}))
        assert created.agent.display_name == "Fixed"


async def test_keys_are_per_organization_and_replayed_secrets_stay_sealed(core):
    org_a, org_b = await core.new_org(), await core.new_org()
    a, b = await core.new_key(org_a), await core.new_key(org_b)
    async with core.channel() as channel:
        stub = key_grpc.ApiKeyServiceStub(channel)
        request = key_pb.CreateApiKeyRequest(display_name="ci", scopes=["agents:read"])
        first = await stub.CreateApiKey(request, metadata=auth(a, **{"idempotency-key": "same"}))
        replay = await stub.CreateApiKey(request, metadata=auth(a, **{"idempotency-key": "same"}))
        assert replay.secret == first.secret
        theirs = await stub.CreateApiKey(request, metadata=auth(b, **{"idempotency-key": "same"}))
        assert theirs.secret != first.secret
    from sqlalchemy import select

    from core.store.tables import IdempotencyRecord

    async with core.handle.runtime.sessions() as session:
        stored = (await session.scalars(select(IdempotencyRecord))).all()
    assert stored and all(first.secret not in (r.sealed_response or "") for r in stored)


async def test_keys_expire_after_a_day(core):
    key = await core.new_org_key()
    runtime = core.handle.runtime
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        first = pb.CreateAgentRequest(agent=pb.Agent(display_name="Monday"))
        await stub.CreateAgent(first, metadata=auth(key, **{"idempotency-key": "weekly"}))
        # A sweep within the day keeps the key: a retry still replays.
        assert await expiry.sweep_once(runtime.sessions, runtime.now_ms()) == 0
        later = runtime.now_ms() + expiry.KEY_RETENTION_MS + 1
        assert await expiry.sweep_once(runtime.sessions, later) >= 1
        async with runtime.sessions() as session:
            left = await session.scalar(
                select(func.count())
                .select_from(IdempotencyRecord)
                .where(IdempotencyRecord.key == "weekly")
            )
        assert left == 0
        # The key is free again: another request with it runs, rather than 409.
        second = pb.CreateAgentRequest(agent=pb.Agent(display_name="Tuesday"))
        made = await stub.CreateAgent(second, metadata=auth(key, **{"idempotency-key": "weekly"}))
        assert made.agent.display_name == "Tuesday"
