"""Agents, their published versions, rollbacks and diffs."""

from __future__ import annotations

from typing import Any

from flowyte.v1 import agent_service_pb2 as pb
from frontends.gateway.operation import Call, Page
from frontends.gateway.shapes import from_rest, to_rest, update_mask_paths


def agent_name(call: Call) -> str:
    return f"agents/{call.params['id']}"


async def create_agent(call: Call) -> Any:
    agent = from_rest(call.body, pb.Agent)
    reply = await call.client.agents.CreateAgent(
        pb.CreateAgentRequest(agent=agent), metadata=call.metadata
    )
    return to_rest(reply.agent)


async def list_agents(call: Call) -> Page:
    reply = await call.client.agents.ListAgents(
        pb.ListAgentsRequest(page_size=call.page_size, page_token=call.page_token),
        metadata=call.metadata,
    )
    return Page([to_rest(a) for a in reply.agents], reply.next_page_token or None)


async def get_agent(call: Call) -> Any:
    reply = await call.client.agents.GetAgent(
        pb.GetAgentRequest(name=agent_name(call)), metadata=call.metadata
    )
    return to_rest(reply.agent)


async def update_agent(call: Call) -> Any:
    agent = from_rest(call.body, pb.Agent)
    agent.name = agent_name(call)
    request = pb.UpdateAgentRequest(agent=agent)
    request.update_mask.paths.extend(update_mask_paths(call.body, pb.Agent.DESCRIPTOR))
    reply = await call.client.agents.UpdateAgent(request, metadata=call.metadata)
    return to_rest(reply.agent)


async def delete_agent(call: Call) -> Any:
    await call.client.agents.DeleteAgent(
        pb.DeleteAgentRequest(name=agent_name(call)), metadata=call.metadata
    )
    return {"id": call.params["id"], "deleted": True}


async def publish_agent(call: Call) -> Any:
    reply = await call.client.agents.PublishAgent(
        pb.PublishAgentRequest(name=agent_name(call), note=call.body.get("note", "")),
        metadata=call.metadata,
    )
    return to_rest(reply.version)


async def list_versions(call: Call) -> Page:
    reply = await call.client.agents.ListAgentVersions(
        pb.ListAgentVersionsRequest(
            parent=agent_name(call), page_size=call.page_size, page_token=call.page_token
        ),
        metadata=call.metadata,
    )
    return Page([to_rest(v) for v in reply.versions], reply.next_page_token or None)


async def rollback_agent(call: Call) -> Any:
    reply = await call.client.agents.RollbackAgent(
        pb.RollbackAgentRequest(name=agent_name(call), version=call.body["versionId"]),
        metadata=call.metadata,
    )
    return to_rest(reply.version)


async def diff_versions(call: Call) -> Any:
    name = f"{agent_name(call)}/versions/{call.params['versionId']}"
    reply = await call.client.agents.DiffAgentVersions(
        pb.DiffAgentVersionsRequest(name=name, against=call.query.get("against", 0)),
        metadata=call.metadata,
    )
    return [to_rest(c) for c in reply.changes]


async def prepublish_report(call: Call) -> Any:
    reply = await call.client.agents.GetPrepublishReport(
        pb.GetPrepublishReportRequest(name=agent_name(call)), metadata=call.metadata
    )
    return to_rest(reply)
