"""The agent's webhook skills as the model's tools: called with their sealed headers, behind
the Guard's limits, and only their allowed fields reach the model."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from google.protobuf import field_mask_pb2

from demostore import DemoStoreHandle
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import agent_service_pb2_grpc as agent_grpc
from flowyte.v1 import audit_pb2 as audit_pb
from flowyte.v1 import skill_service_pb2 as skill_pb
from flowyte.v1 import skill_service_pb2_grpc as skill_grpc
from tests.conftest import CoreFixture, local_app
from tests.core.helpers import auth

from .conftest import LlmAgent, ScriptedLLM, Tools, call, echo_tool, last_tool_result, llm_agent

SECRET = "Bearer stock_CANARY_51d0c2"


class StockService:
    """The merchant's webhook: records what it was sent, answers more than the model may see."""

    def __init__(self) -> None:
        self.url = ""
        self.received: list[tuple[dict[str, str], Any]] = []

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((dict(request.headers), await request.json()))
        return web.json_response({"in_stock": True, "warehouse": "Reno", "unit_cost": 12.5})


@pytest.fixture
async def stock() -> AsyncIterator[StockService]:
    service = StockService()
    app = web.Application()
    app.router.add_post("/stock", service.handle)
    async with local_app(app) as base:
        service.url = f"{base}/stock"
        yield service


async def _with_skill(agent: LlmAgent, name: str, url: str, **fields: Any) -> None:
    skill = skill_pb.Skill(
        display_name=name,
        skill_type="http_webhook",
        description="Whether an item is in stock, and where.",
        parameters_schema={
            "type": "object",
            "properties": {"sku": {"type": "string"}},
            "required": ["sku"],
        },
        required_params=["sku"],
        execution_config={"url": url, "method": "POST", "headers": {"Authorization": SECRET}},
        channels=[audit_pb.CHANNEL_CHAT],
        allowed_fields=["in_stock", "warehouse"],
        **fields,
    )
    async with agent.core.channel() as channel:
        await skill_grpc.SkillServiceStub(channel).CreateSkill(
            skill_pb.CreateSkillRequest(parent=f"agents/{agent.agent_id}", skill=skill),
            metadata=auth(agent.key),
        )
        await agent_grpc.AgentServiceStub(channel).PublishAgent(
            agent_pb.PublishAgentRequest(name=f"agents/{agent.agent_id}"), metadata=auth(agent.key)
        )


def _offered(llm: ScriptedLLM, index: int = 0) -> list[str]:
    return [t["function"]["name"] for t in llm.requests[index].get("tools", [])]


async def test_the_model_calls_a_webhook_with_its_sealed_headers(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM, stock: StockService
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    await _with_skill(agent, "check_stock", stock.url)
    await _with_skill(agent, "reserve_item", stock.url, is_write=True)
    session = await agent.session()
    llm.script(Tools([call("check_stock", sku="JKT-42")]), echo_tool())
    told = await agent.say(session, "is the jacket JKT-42 in stock?")

    assert {"check_stock", "reserve_item"} <= set(_offered(llm))
    [(headers, body)] = stock.received
    assert headers["Authorization"] == SECRET and body == {"sku": "JKT-42"}
    result = json.loads(last_tool_result(llm.requests[1]))
    assert result == {"result": "ok", "data": {"in_stock": True, "warehouse": "Reno"}}
    assert "unit_cost" not in told.reply.content
    for raw in llm.raw:  # the header value never reaches the model
        assert SECRET.encode() not in raw
    events = await agent.events(session)
    assert any(k == "tool_call" and p.get("skill") == "check_stock" for k, p in events)


async def test_bad_arguments_and_unverified_customers_never_reach_the_webhook(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM, stock: StockService
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    await _with_skill(agent, "check_stock", stock.url, requires_verified_identity=True)
    session = await agent.session()
    llm.script(
        Tools([call("check_stock", sku="JKT-42")]),
        echo_tool(),
        Tools([call("lookup_order", order_number="#1001", email="ava.chen@example.com")]),
        Tools([call("check_stock", sku=42)]),
        echo_tool(),
    )
    unverified = await agent.say(session, "is JKT-42 in stock?")
    assert "verification_required" in unverified.reply.content
    wrong = await agent.say(session, "order 1001, ava.chen@example.com; and is 42 in stock?")
    assert "invalid_arguments" in wrong.reply.content
    assert stock.received == []


async def test_a_webhook_inside_flowytes_network_is_not_called(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    await _with_skill(agent, "check_stock", "http://10.0.0.7/stock")  # a private address
    session = await agent.session()
    llm.script(Tools([call("check_stock", sku="JKT-42")]), echo_tool())
    told = await agent.say(session, "is JKT-42 in stock?")
    assert "unavailable" in told.reply.content


async def test_a_write_runs_only_after_the_customer_says_yes_to_exactly_it(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM, stock: StockService
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    await _with_skill(agent, "reserve_item", stock.url, is_write=True)
    session = await agent.session()
    reserve = call("reserve_item", sku="JKT-42")
    llm.script(
        # unverified: not even asked
        Tools([reserve]),
        echo_tool(),
        # verified, and the model tries to act at once, twice in one turn
        Tools([call("lookup_order", order_number="#1001", email="ava.chen@example.com")]),
        Tools([reserve]),
        Tools([reserve]),
        echo_tool(),
        # the customer says no
        Tools([reserve]),
        echo_tool(),
        # asked again; then a yes, but the model changes the item
        Tools([reserve]),
        echo_tool(),
        Tools([call("reserve_item", sku="JKT-43")]),
        echo_tool(),
        # yes to exactly what was asked
        Tools([call("reserve_item", sku="JKT-43")]),
        echo_tool(),
    )
    unverified = await agent.say(session, "reserve JKT-42 for me")
    assert "verification_required" in unverified.reply.content
    eager = await agent.say(session, "yes: order 1001, ava.chen@example.com, reserve JKT-42")
    assert "confirmation_required" in eager.reply.content
    refused = await agent.say(session, "no, don't")
    assert "confirmation_required" in refused.reply.content
    await agent.say(session, "hmm, reserve JKT-42 then")
    switched = await agent.say(session, "yes")
    assert "confirmation_required" in switched.reply.content
    assert stock.received == []
    done = await agent.say(session, "yes please")
    assert '"result":"ok"' in done.reply.content
    assert [body for _, body in stock.received] == [{"sku": "JKT-43"}]
    events = await agent.events(session)
    gates = [p["decision"] for k, p in events if k == "guardrail" and p.get("rule") == "write_gate"]
    assert gates[-1] == "confirmed" and gates.count("confirmed") == 1


async def test_the_served_version_decides_where_a_webhook_goes(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM, stock: StockService
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    await _with_skill(agent, "check_stock", stock.url)
    async with agent.core.channel() as channel:
        skills = skill_grpc.SkillServiceStub(channel)
        listed = await skills.ListSkills(
            skill_pb.ListSkillsRequest(parent=f"agents/{agent.agent_id}"), metadata=auth(agent.key)
        )
        [draft] = [s for s in listed.skills if s.display_name == "check_stock"]
        draft.execution_config["url"] = stock.url + "/unpublished"
        await skills.UpdateSkill(
            skill_pb.UpdateSkillRequest(
                skill=draft, update_mask=field_mask_pb2.FieldMask(paths=["execution_config"])
            ),
            metadata=auth(agent.key),
        )
    session = await agent.session()
    llm.script(Tools([call("check_stock", sku="JKT-42")]), echo_tool())
    told = await agent.say(session, "is JKT-42 in stock?")
    assert '"result":"ok"' in told.reply.content  # the published URL, with the sealed header
    assert [headers["Authorization"] for headers, _ in stock.received] == [SECRET]
