"""Cores whose brain is a small scripted one (the conversation service is under test, not
the dialogue), a gateway in front, and helpers to make published agents."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from core.domain.verification_factors import Factor, email_matches
from core.engine.turn import HandoffRequest, TurnContext, TurnEvent, TurnResult
from core.server import start_core
from demostore import DemoStoreHandle
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import agent_service_pb2_grpc as agent_grpc
from flowyte.v1 import integration_service_pb2 as integration_pb
from flowyte.v1 import integration_service_pb2_grpc as integration_grpc
from frontends.gateway import GatewayHandle, start_gateway
from tests.conftest import BACKENDS, CoreFixture, _database_url_for, core_settings
from tests.core.helpers import auth
from tests.gateway.conftest import Api
from tests.shopify.conftest import SHOP

_ORDER = re.compile(r"#?(\d{4})")
_EMAIL = re.compile(r"\S+@\S+")


class ScriptedBrain:
    """Remembers an order number and an email across turns (in the state it is given, never
    in itself) and checks them against the store through the ports, like a real brain."""

    async def turn(self, context: TurnContext) -> TurnResult:
        state = dict(context.state)
        text = context.text
        state["turns"] = int(state.get("turns", 0)) + 1
        if "person" in text.lower():
            return TurnResult(
                reply="I'm handing you to a person.",
                events=[TurnEvent("handoff", {"reason": "requested"})],
                state=state,
                handoff=HandoffRequest(
                    "requested",
                    state.get("summary", {}),
                    {"order": state["verified"], "method": "order_match"}
                    if "verified" in state
                    else {},
                ),
            )
        if text.lower().startswith("bye"):
            return TurnResult(reply="Goodbye!", events=[], state=state, end_conversation=True)
        if order := _ORDER.search(text):
            state["order"] = "#" + order.group(1)
        if email := _EMAIL.search(text):
            state["email"] = email.group(0)
        if "order" not in state or "email" not in state:
            missing = "order number" if "order" not in state else "email"
            return TurnResult(reply=f"What is your {missing}?", events=[], state=state)
        key = state["order"]
        claim = await context.attempts.claim(key, Factor.EMAIL, state["email"], 3)
        if not claim.allowed:
            return TurnResult(reply="That order is locked.", events=[], state=state)
        found = await context.orders.by_name(key)
        events = [TurnEvent("tool_call", {"skill": "lookup_order", "order": key})]
        if found and email_matches(found[0].factors.email, state["email"]):
            await context.attempts.release(key, Factor.EMAIL, state["email"])
            state["verified"] = key
            state["summary"] = {"order": key, "status": found[0].state.value}
            events.append(TurnEvent("verification", {"result": "verified", "order": key}))
            return TurnResult(
                reply=f"Order {key} is {found[0].state.value.replace('_', ' ')}.",
                events=events,
                state=state,
            )
        failures = claim.failures
        state.pop("email")
        events.append(TurnEvent("verification", {"result": "failed", "failures": failures}))
        return TurnResult(
            reply="I couldn't find an order with those details.", events=events, state=state
        )


@pytest.fixture(params=BACKENDS)
async def scripted(
    request: pytest.FixtureRequest, tmp_path: Path, master_key: str
) -> AsyncIterator[CoreFixture]:
    """A real core (SQLite, then PostgreSQL) serving conversations with ScriptedBrain."""
    backend = request.param
    request.node.add_marker(pytest.mark.backend(backend))
    urls = _database_url_for(backend, tmp_path)
    url = await urls.__anext__()
    handle = await start_core(core_settings(tmp_path, url, master_key), brain=ScriptedBrain())
    try:
        yield CoreFixture(handle, backend)
    finally:
        await handle.stop(0)
        await urls.aclose()


@pytest.fixture
async def scripted_gateway(scripted: CoreFixture) -> AsyncIterator[GatewayHandle]:
    handle = await start_gateway(scripted.target, port=0)
    try:
        yield handle
    finally:
        await handle.stop()


async def new_agent(core: CoreFixture, key: str, *, publish: bool = True, **settings: Any) -> str:
    async with core.channel() as channel:
        stub = agent_grpc.AgentServiceStub(channel)
        agent = (
            await stub.CreateAgent(
                agent_pb.CreateAgentRequest(agent=agent_pb.Agent(display_name="Ava", **settings)),
                metadata=auth(key),
            )
        ).agent
        if publish:
            await stub.PublishAgent(
                agent_pb.PublishAgentRequest(name=agent.name), metadata=auth(key)
            )
    return agent.id


@dataclass
class Chat:
    """A REST caller with every scope, in its own organization, with a published agent."""

    core: CoreFixture
    api: Api
    key: str
    agent_id: str
    base: str


@pytest.fixture
async def chat(
    scripted: CoreFixture, scripted_gateway: GatewayHandle, http: aiohttp.ClientSession
) -> Chat:
    key = await scripted.new_org_key()
    base = scripted_gateway.url + "/api/v1"
    return Chat(scripted, Api(http, base, key), key, await new_agent(scripted, key), base)


def parse_sse(text: str) -> list[tuple[str, str]]:
    """(event, data) of each frame; `event` is "" for OpenAI's bare `data:` frames."""
    frames = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        event, data = "", []
        for line in block.split("\n"):
            if line.startswith("event: "):
                event = line[len("event: ") :]
            elif line.startswith("data: "):
                data.append(line[len("data: ") :])
        frames.append((event, "\n".join(data)))
    return frames


async def connect_and_publish(
    core: CoreFixture, key: str, agent_id: str, store: DemoStoreHandle
) -> None:
    """What a merchant does (and clients/flowyte/demo_setup.py): connect, provision, publish."""
    async with core.channel() as channel:
        await integration_grpc.IntegrationServiceStub(channel).ConnectIntegration(
            integration_pb.ConnectIntegrationRequest(
                kind=integration_pb.INTEGRATION_KIND_SHOPIFY,
                credentials=integration_pb.IntegrationCredentials(
                    shop=SHOP, access_token=store.access_token
                ),
                api_base_url=store.url,
            ),
            metadata=auth(key),
        )
        await integration_grpc.IntegrationServiceStub(channel).ProvisionIntegration(
            integration_pb.ProvisionIntegrationRequest(
                name="integrations/shopify", agent=f"agents/{agent_id}"
            ),
            metadata=auth(key),
        )
        await agent_grpc.AgentServiceStub(channel).PublishAgent(
            agent_pb.PublishAgentRequest(name=f"agents/{agent_id}", note="order lookup"),
            metadata=auth(key),
        )
