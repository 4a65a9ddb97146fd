"""A retried create with the same idempotency key replays the first answer."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import grpc
import pytest
from sqlalchemy import func, select

import flowyte.v1.agent_service_pb2 as pb
import flowyte.v1.agent_service_pb2_grpc as pb_grpc
import flowyte.v1.api_key_service_pb2 as key_pb
import flowyte.v1.api_key_service_pb2_grpc as key_grpc
from core.api import idempotency
from core.api.principal import Principal
from core.domain.errors import Conflict
from core.store import claims, expiry
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


async def _abandoned_claim(core, secret: str, key: str, method: str, request) -> None:
    """What a process killed mid-request leaves: its claim, neither filled in nor released."""
    caller = await core.key_row(secret)
    runtime = core.handle.runtime
    now = runtime.now_ms()
    async with runtime.sessions() as session:
        session.add(
            IdempotencyRecord(
                org_id=caller.org_id,
                api_key_id=caller.id,
                key=key,
                method=method,
                request_hash=idempotency.request_hash(method, request),
                created_ms=now,
                lease_expires_ms=claims.lease_end(now),
            )
        )
        await session.commit()


async def test_a_claim_whose_request_died_lapses_and_the_retry_runs_once(pinned_core, clock):
    """A process killed mid-request leaves its claim behind, neither filled in nor
    released. Within the lease a retry is told the request is still running; once the
    lease lapses (on the runtime clock, not a day later), the retry runs the request, once."""
    secret = await pinned_core.new_org_key()
    method = "/flowyte.v1.AgentService/CreateAgent"
    request = pb.CreateAgentRequest(agent=pb.Agent(display_name="After the crash"))
    await _abandoned_claim(pinned_core, secret, "k-crash", method, request)

    md = auth(secret, **{"idempotency-key": "k-crash"})
    async with pinned_core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        busy = await expect_error(stub.CreateAgent(request, metadata=md), grpc.StatusCode.ABORTED)
        assert error_reason(busy) == "IDEMPOTENCY_KEY_IN_USE"

        clock.advance(timedelta(milliseconds=claims.LEASE_MS))
        made = await stub.CreateAgent(request, metadata=md)
        assert made.agent.display_name == "After the crash"
        assert await stub.CreateAgent(request, metadata=md) == made  # and replays from now on
        agents = await stub.ListAgents(pb.ListAgentsRequest(), metadata=auth(secret))
        assert [a.id for a in agents.agents] == [made.agent.id]

        # A lapsed claim is still this request's: another body with the key is refused.
        other = pb.CreateAgentRequest(agent=pb.Agent(display_name="Other"))
        reused = await expect_error(stub.CreateAgent(other, metadata=md), grpc.StatusCode.ABORTED)
        assert error_reason(reused) == "IDEMPOTENCY_KEY_REUSED"


async def test_racing_retries_take_a_lapsed_claim_over_once(pinned_core, clock):
    secret = await pinned_core.new_org_key()
    method = "/flowyte.v1.AgentService/CreateAgent"
    request = pb.CreateAgentRequest(agent=pb.Agent(display_name="Raced"))
    await _abandoned_claim(pinned_core, secret, "k-race", method, request)
    clock.advance(timedelta(milliseconds=claims.LEASE_MS + 1))
    md = auth(secret, **{"idempotency-key": "k-race"})
    async with pinned_core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        results = await asyncio.gather(
            *(stub.CreateAgent(request, metadata=md) for _ in range(5)), return_exceptions=True
        )
        made = {r.agent.id for r in results if isinstance(r, pb.CreateAgentResponse)}
        assert len(made) == 1
        for failure in results:
            if isinstance(failure, grpc.aio.AioRpcError):
                assert error_reason(failure) == "IDEMPOTENCY_KEY_IN_USE"
        agents = await stub.ListAgents(pb.ListAgentsRequest(), metadata=auth(secret))
        assert [a.id for a in agents.agents] == list(made)


async def test_a_running_request_renews_its_claim(pinned_core, clock, monkeypatch):
    """However long a request runs, its claim stays its own while its process lives: a
    retry meanwhile is told it is still running, and never runs it a second time."""
    monkeypatch.setattr(claims, "RENEW_SECONDS", 0.01)
    runtime = pinned_core.handle.runtime
    caller = await pinned_core.key_row(await pinned_core.new_org_key())
    who = Principal(caller.org_id, caller.id, caller.name, frozenset(caller.scopes))
    method = "/flowyte.v1.AgentService/CreateAgent"
    request = pb.CreateAgentRequest(agent=pb.Agent(display_name="Slow"))
    answer = pb.CreateAgentResponse(agent=pb.Agent(display_name="Slow", id="agt_slow"))
    started, release = asyncio.Event(), asyncio.Event()
    runs = []

    async def slow() -> pb.CreateAgentResponse:
        runs.append(1)
        started.set()
        await release.wait()
        return answer

    def once(handler):
        return idempotency.run_once(
            runtime, who, "k-slow", method, request, pb.CreateAgentResponse, handler
        )

    first = asyncio.create_task(once(slow))

    async def lease() -> int:
        async with runtime.sessions() as session:
            row = await session.get(IdempotencyRecord, (caller.org_id, caller.id, "k-slow"))
        return row.lease_expires_ms if row else 0

    await started.wait()
    clock.advance(timedelta(milliseconds=3 * claims.LEASE_MS))
    for _ in range(500):  # the next renewal moves the lease past the new "now"
        if await lease() > runtime.now_ms():
            break
        await asyncio.sleep(0.01)
    else:
        pytest.fail("the claim was not renewed")
    with pytest.raises(Conflict) as busy:
        await once(slow)
    assert busy.value.reason == "IDEMPOTENCY_KEY_IN_USE"

    release.set()
    assert await first == answer
    assert await once(slow) == answer and len(runs) == 1
