"""The per-process read cache: on only where this process is the one writer, and never
serving a value older than the last committed change."""

from __future__ import annotations

import grpc
import pytest
from google.protobuf import field_mask_pb2
from sqlalchemy import update

import flowyte.v1.agent_service_pb2 as pb
import flowyte.v1.agent_service_pb2_grpc as pb_grpc
from core.server import start_core
from core.store.db import DatabaseInUse
from core.store.read_cache import ALL, ReadCache
from core.store.tables import AgentRow
from tests.core.helpers import auth, expect_error


def test_a_value_read_before_an_invalidation_is_not_stored():
    cache = ReadCache(enabled=True)
    generation = cache.generation  # a reader starts reading the database
    cache.invalidate({("agent", "agt_1")})  # a writer commits meanwhile
    cache.put("agent", "agt_1", "old value", generation)
    assert cache.get("agent", "agt_1") is None
    cache.put("agent", "agt_1", "new value", cache.generation)
    assert cache.get("agent", "agt_1") == "new value"
    cache.invalidate({("agent", ALL)})
    assert cache.get("agent", "agt_1") is None


def test_a_disabled_cache_holds_nothing():
    cache = ReadCache(enabled=False)
    cache.put("agent", "agt_1", "value", cache.generation)
    assert cache.get("agent", "agt_1") is None


def test_the_cache_is_bounded():
    cache = ReadCache(enabled=True, max_entries=2)
    for key in ("a", "b", "c"):
        cache.put("agent", key, key, cache.generation)
    assert cache.get("agent", "a") is None and cache.get("agent", "c") == "c"


async def test_cache_is_on_only_where_this_process_sees_every_change(core):
    assert core.handle.runtime.cache.enabled is (core.backend == "sqlite")


async def test_every_change_to_an_agent_is_seen_by_the_next_read(core):
    mine, theirs = await core.new_org_key(), await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        agent = (
            await stub.CreateAgent(
                pb.CreateAgentRequest(agent=pb.Agent(display_name="A", greeting="one")),
                metadata=auth(mine),
            )
        ).agent

        async def greeting() -> str:
            reply = await stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(mine))
            return reply.agent.greeting

        assert await greeting() == "one"  # now cached where the cache is on
        # a cached agent still belongs to its organization only
        await expect_error(
            stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(theirs)),
            grpc.StatusCode.NOT_FOUND,
        )
        await stub.UpdateAgent(
            pb.UpdateAgentRequest(
                agent=pb.Agent(name=agent.name, greeting="two"),
                update_mask=field_mask_pb2.FieldMask(paths=["greeting"]),
            ),
            metadata=auth(mine),
        )
        assert await greeting() == "two"
        await stub.PublishAgent(pb.PublishAgentRequest(name=agent.name), metadata=auth(mine))
        got = await stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(mine))
        assert got.agent.published_version == 1

        # a bulk statement on the table (not row by row) drops the cached agents too
        async with core.handle.runtime.sessions() as session:
            await session.execute(
                update(AgentRow).where(AgentRow.id == agent.id).values(display_name="Bulk")
            )
            await session.commit()
        got = await stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(mine))
        assert got.agent.display_name == "Bulk"

        await stub.DeleteAgent(pb.DeleteAgentRequest(name=agent.name), metadata=auth(mine))
        await expect_error(
            stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(mine)),
            grpc.StatusCode.NOT_FOUND,
        )


async def test_a_rolled_back_change_keeps_the_cache(core):
    key = await core.new_org_key()
    async with core.channel() as channel:
        stub = pb_grpc.AgentServiceStub(channel)
        agent = (
            await stub.CreateAgent(
                pb.CreateAgentRequest(agent=pb.Agent(display_name="A")), metadata=auth(key)
            )
        ).agent
        await stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(key))
        async with core.handle.runtime.sessions() as session:
            row = await session.get(AgentRow, agent.id)
            row.display_name = "never committed"
            await session.flush()
            await session.rollback()
        got = await stub.GetAgent(pb.GetAgentRequest(name=agent.name), metadata=auth(key))
        assert got.agent.display_name == "A"


async def test_sqlite_takes_one_serving_core_and_postgresql_many(core):
    if core.backend == "sqlite":
        with pytest.raises(DatabaseInUse, match="already serving"):
            await start_core(core.settings)
        return
    second = await start_core(core.settings)  # replicas on one PostgreSQL
    try:
        key = await core.new_org_key()
        async with grpc.aio.insecure_channel(second.target) as channel:
            stub = pb_grpc.AgentServiceStub(channel)
            created = await stub.CreateAgent(
                pb.CreateAgentRequest(agent=pb.Agent(display_name="B")), metadata=auth(key)
            )
        async with core.channel() as channel:
            stub = pb_grpc.AgentServiceStub(channel)
            got = await stub.GetAgent(
                pb.GetAgentRequest(name=created.agent.name), metadata=auth(key)
            )
        assert got.agent.display_name == "B"
    finally:
        await second.stop(0)
