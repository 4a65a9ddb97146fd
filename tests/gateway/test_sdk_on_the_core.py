"""The SDK against the real core: keys per call, organizations apart."""

from __future__ import annotations

from typing import Any

import grpc
import grpc.aio
import pytest

from flowyte import FlowyteClient
from flowyte.v1 import agent_service_pb2 as pb


async def test_against_the_real_core(core: Any) -> None:
    key = await core.new_org_key(["agents:read", "agents:write"])
    async with FlowyteClient(core.target, key) as client:
        created = await client.agents.CreateAgent(
            pb.CreateAgentRequest(agent=pb.Agent(display_name="Ava"))
        )
        listed = await client.agents.ListAgents(pb.ListAgentsRequest())
        assert [a.id for a in listed.agents] == [created.agent.id]
        other = await core.new_org_key(["agents:read"])
        theirs = await client.agents.ListAgents(
            pb.ListAgentsRequest(), metadata=client.metadata(other)
        )
        assert list(theirs.agents) == []
        with pytest.raises(grpc.aio.AioRpcError) as caught:
            await client.agents.ListAgents(pb.ListAgentsRequest(), metadata=client.metadata("bad"))
        assert caught.value.code() == grpc.StatusCode.UNAUTHENTICATED
