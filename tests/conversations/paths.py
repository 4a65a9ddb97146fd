"""One customer, every way in: the same words sent through each path a conversation can
take (REST chat, its SSE form, gRPC SendMessage / StreamMessage / Converse, and
/chat/completions with the official `openai` client, streamed and not), against a real core
with the built-in brain, the bundled demo store and a real gateway.

An organization (`Shop`) has the demo store connected and several published agents with the
Shopify lookup provisioned, as a merchant makes them; given a scripted model server, one more
agent whose brain is the LLM, its model calling `lookup_order` with every detail the customer
gives (`guessing_model`). What the core compares a customer's details against is observable
through `FactorSpy`, which wraps the one comparison every verification goes through."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

import aiohttp
import grpc
import openai
import pytest
from google.protobuf import field_mask_pb2

import core.engine.verification as verification
from core.domain.verification_factors import Factor, VerificationFactors
from core.server import start_core
from demostore import DemoStoreHandle, start_demo_store
from flowyte.clock import FixedClock, process_clock
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import agent_service_pb2_grpc as agent_grpc
from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from flowyte.v1 import integration_service_pb2 as integration_pb
from flowyte.v1 import integration_service_pb2_grpc as integration_grpc
from frontends.gateway import GatewayHandle, start_gateway
from tests.conftest import BACKENDS, CoreFixture, _database_url_for, core_settings
from tests.core.helpers import auth
from tests.gateway.conftest import Api
from tests.llm.conftest import API_KEY, MODEL, ScriptedLLM, Text, Tools, call, echo_plain_words

from .conftest import connect_and_publish, new_agent, parse_sse

# The demo store's #2008 (demostore/data/demo-store.json): cancelled and
# refunded, shipping ZIP 02139. Its status words appear in no other answer.
ORDER = "#2008"
RIGHT_ZIP = "02139"
DISCLOSED = "cancelled"
LOCKED = f"can't look up order {ORDER} any more"
NOT_MATCHED = f"couldn't find order {ORDER} with those details"

STATEFUL = ("rest", "rest_sse", "grpc_send", "grpc_stream", "converse")
STATELESS = ("completion", "completion_stream")
PATHS = STATEFUL + STATELESS


def wrong_zip(n: int) -> str:
    """The n-th wrong ZIP code: five digits, never #2008's."""
    return f"{10000 + n * 7:05d}"


@dataclass
class Shop:
    """An organization with the demo store and `agents` published agents; its customers'
    sessions are kept per (path, agent, session number)."""

    core: CoreFixture
    gateway: GatewayHandle
    store: DemoStoreHandle
    http: aiohttp.ClientSession
    clock: FixedClock
    llm: ScriptedLLM | None = None
    key: str = ""
    agents: list[str] = field(default_factory=list)
    sessions: dict[tuple[str, int, int], str] = field(default_factory=dict)
    calls: dict[tuple[str, int, int], Any] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return self.gateway.url + "/api/v1"

    @property
    def api(self) -> Api:
        return Api(self.http, self.base, self.key)

    async def open(self, agents: int = 2) -> Shop:
        """A fresh organization (nothing it does is seen by another) with `agents` agents
        on the built-in brain, then, with a model server, one on the LLM."""
        await self.close_calls()
        self.key = await self.core.new_org_key()
        self.agents = []
        self.sessions = {}
        for _ in range(agents):
            agent_id = await new_agent(self.core, self.key, publish=False)
            await connect_and_publish(self.core, self.key, agent_id, self.store)
            self.agents.append(agent_id)
        if self.llm is not None:
            self.agents.append(await self._llm_agent(self.llm))
        return self

    async def _llm_agent(self, llm: ScriptedLLM) -> str:
        agent_id = await new_agent(self.core, self.key, publish=False)
        async with self.core.channel() as channel:
            await integration_grpc.IntegrationServiceStub(channel).ConnectIntegration(
                integration_pb.ConnectIntegrationRequest(
                    kind=integration_pb.INTEGRATION_KIND_OPENAI,
                    credentials=integration_pb.IntegrationCredentials(access_token=API_KEY),
                    api_base_url=llm.url + "/v1",
                ),
                metadata=auth(self.key),
            )
            await agent_grpc.AgentServiceStub(channel).UpdateAgent(
                agent_pb.UpdateAgentRequest(
                    agent=agent_pb.Agent(
                        name=f"agents/{agent_id}",
                        brain=agent_pb.Brain(kind=agent_pb.BRAIN_KIND_LLM, model=MODEL),
                    ),
                    update_mask=field_mask_pb2.FieldMask(paths=["brain"]),
                ),
                metadata=auth(self.key),
            )
        await connect_and_publish(self.core, self.key, agent_id, self.store)
        return agent_id

    async def close_calls(self) -> None:
        for open_call in self.calls.values():
            await open_call.close()
        self.calls = {}

    async def say(self, path: str, texts: list[str], agent: int = 0, session: int = 0) -> str:
        """The customer's messages on `path`: a stateful path sends each as a turn of the
        session (path, agent, session), a completion sends them all as one conversation.
        Returns the last reply."""
        agent_id = self.agents[agent]
        if path in STATELESS:
            return await self.complete(texts, agent, stream=path == "completion_stream")
        reply = ""
        for text in texts:
            reply = await self.turn(path, agent_id, (path, agent, session), text)
        return reply

    async def complete(self, texts: list[str], agent: int = 0, *, stream: bool = False) -> str:
        messages: Any = [{"role": "user", "content": text} for text in texts]
        async with openai.AsyncOpenAI(base_url=self.base, api_key=self.key, max_retries=0) as c:
            model = self.agents[agent]
            if not stream:
                done = await c.chat.completions.create(model=model, messages=messages)
                return done.choices[0].message.content or ""
            pieces = await c.chat.completions.create(model=model, messages=messages, stream=True)
            return "".join([chunk.choices[0].delta.content or "" async for chunk in pieces])

    async def turn(self, path: str, agent_id: str, where: tuple[str, int, int], text: str) -> str:
        if path == "converse":
            return await self._converse(agent_id, where, text)
        session = self.sessions.get(where)
        if session is None:
            created = await self.api.post("/chat/sessions", {"agentId": agent_id})
            session = self.sessions[where] = created.data["id"]
        if path == "rest":
            sent = await self.api.post(f"/chat/sessions/{session}/messages", {"content": text})
            return str(sent.data["reply"]["content"])
        if path == "rest_sse":
            return await self._sse(session, text)
        async with self.core.channel() as channel:
            stub = pb_grpc.ConversationServiceStub(channel)
            name = f"sessions/{session}"
            if path == "grpc_send":
                request = pb.SendMessageRequest(session=name, content=text)
                return (await stub.SendMessage(request, metadata=auth(self.key))).reply.content
            streamed = stub.StreamMessage(
                pb.StreamMessageRequest(session=name, content=text), metadata=auth(self.key)
            )
            return "".join([piece.text_delta async for piece in streamed])

    async def _sse(self, session: str, text: str) -> str:
        async with self.http.post(
            f"{self.base}/chat/sessions/{session}/messages",
            json={"content": text, "stream": True},
            headers={"Authorization": f"Bearer {self.key}"},
        ) as response:
            assert response.status == 200, await response.text()
            frames = parse_sse(await response.text())
        assert frames[-1][0] == "done", frames[-1]
        said = []
        for event, data in frames:
            payload = (json.loads(data) if data else {}).get("payload") or {}
            if event == "agent_message" and "delta" in payload:
                said.append(payload["delta"])
        return "".join(said)

    async def _converse(self, agent_id: str, where: tuple[str, int, int], text: str) -> str:
        call = self.calls.get(where)
        if call is None:
            call = self.calls[where] = await ConverseCall.start(self, agent_id)
        return await call.say(text)


@dataclass
class ConverseCall:
    """A Converse stream kept open across the customer's turns (a call)."""

    channel: grpc.aio.Channel
    stream: Any

    @classmethod
    async def start(cls, shop: Shop, agent_id: str) -> ConverseCall:
        channel = shop.core.channel()
        stream = pb_grpc.ConversationServiceStub(channel).Converse(metadata=auth(shop.key))
        call = cls(channel, stream)
        await stream.write(
            pb.ConverseRequest(
                config=pb.ConverseConfig(agent_id=agent_id, channel=audit_pb2.CHANNEL_CHAT)
            )
        )
        await call._turn()  # the session, then the greeting
        return call

    async def say(self, text: str) -> str:
        await self.stream.write(pb.ConverseRequest(text=text))
        return await self._turn()

    async def _turn(self) -> str:
        said = []
        while True:
            piece = await asyncio.wait_for(self.stream.read(), 20)
            assert piece is not grpc.aio.EOF, "the call ended"
            kind = piece.WhichOneof("kind")
            if kind == "text_delta":
                said.append(piece.text_delta)
            elif kind == "turn_end":
                return "".join(said)

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.stream.done_writing()
        self.stream.cancel()
        await self.channel.close()


_ZIP = re.compile(r"\b\d{5}\b")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def guessing_model(body: dict[str, Any]) -> Text | Tools:
    """A model that tries every detail in the customer's last message against the order in
    one round (a `lookup_order` call each), or just looks the order up when the conversation
    named it, then reads back what the last result said."""
    last = body["messages"][-1]
    if last.get("role") == "tool":
        return echo_plain_words(body)
    text = str(last.get("content") or "")
    calls = [call("lookup_order", order_number=ORDER, postal_code=z) for z in _ZIP.findall(text)]
    calls += [call("lookup_order", order_number=ORDER, email=e) for e in _EMAIL.findall(text)]
    named = any(ORDER in str(m.get("content") or "") for m in body["messages"][1:])
    if not calls and named:
        calls = [call("lookup_order", order_number=ORDER)]
    return Tools(calls) if calls else Text("Which order is it about?")


@dataclass
class FactorSpy:
    """Every comparison of a customer's detail with an order's own, as (order's email, kind,
    the detail, matched), in the order they happen."""

    checks: list[tuple[str, str, str, bool]] = field(default_factory=list)

    def of(self, email: str) -> list[tuple[str, str, bool]]:
        return [(kind, value, matched) for e, kind, value, matched in self.checks if e == email]

    def wrap(self, compare: Callable[..., bool]) -> Callable[..., bool]:
        def spied(factors: VerificationFactors, factor: Factor, given: str | None) -> bool:
            matched = compare(factors, factor, given)
            self.checks.append((factors.email, factor.value, str(given), matched))
            return matched

        return spied


ORDER_EMAIL = "priya.shah@example.com"  # #2008's, naming its checks in the spy


@pytest.fixture
def factor_spy(monkeypatch: pytest.MonkeyPatch) -> Iterator[FactorSpy]:
    spy = FactorSpy()
    monkeypatch.setattr(verification, "factor_matches", spy.wrap(verification.factor_matches))
    yield spy


@pytest.fixture(params=BACKENDS)
async def shop(
    request: pytest.FixtureRequest, tmp_path: Path, master_key: str, http: aiohttp.ClientSession
) -> AsyncIterator[Shop]:
    """A real core (its clock pinned, so no lock window passes unless a test moves it), the
    bundled demo store, a gateway, and an organization with two published agents."""
    backend = request.param
    request.node.add_marker(pytest.mark.backend(backend))
    urls = _database_url_for(backend, tmp_path)
    url = await urls.__anext__()
    clock = FixedClock(process_clock().now().astimezone(UTC))
    handle = await start_core(core_settings(tmp_path, url, master_key), clock=clock)
    store = await start_demo_store()
    gateway = await start_gateway(handle.target, port=0)
    shop = Shop(CoreFixture(handle, backend), gateway, store, http, clock)
    try:
        yield await shop.open()
    finally:
        await shop.close_calls()
        await gateway.stop()
        await store.stop()
        await handle.stop(0)
        await urls.aclose()
