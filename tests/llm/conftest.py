"""A scripted OpenAI-compatible server (aiohttp on port 0) speaking the real wire format,
POST /v1/chat/completions streamed as `chat.completion.chunk` events with `delta.tool_calls`
fragments, and helpers that set up an organization with a demo store and an LLM agent.

No model runs here: each test scripts what "the model" answers, step by step. A step may be
a function of the request body, so a script can echo what the model was given (and so
prove what it was never given)."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web
from google.protobuf import field_mask_pb2

from demostore import DemoStoreHandle
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import agent_service_pb2_grpc as agent_grpc
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from flowyte.v1 import guardrail_service_pb2 as guardrail_pb
from flowyte.v1 import guardrail_service_pb2_grpc as guardrail_grpc
from flowyte.v1 import integration_service_pb2 as integration_pb
from flowyte.v1 import integration_service_pb2_grpc as integration_grpc
from tests.conftest import CoreFixture, local_app
from tests.conversations.conftest import connect_and_publish, new_agent
from tests.core.helpers import auth

API_KEY = "sk-test-llm-7f3c9a1e5b2d4c6a8e0f"
MODEL = "scripted-1"


@dataclass
class Text:
    content: str


@dataclass
class Tools:
    calls: list[tuple[str, str]]  # (function name, arguments as the model writes them)
    content: str = ""


@dataclass
class Status:
    code: int


@dataclass
class Delay:
    seconds: float
    then: Any


@dataclass
class Redirect:
    location: str
    code: int = 307  # keeps the method and the body: the whole prompt would follow it


@dataclass
class Streamed:
    """An answer streamed as the test says: each string a chunk of text, sent at once; each
    asyncio.Event waited on before the next chunk is sent. With `breaks`, the connection
    is dropped after the last item, mid-answer (no finish, no [DONE])."""

    items: list[str | asyncio.Event]
    breaks: bool = False


Step = Text | Tools | Status | Delay | Redirect | Streamed | Callable[[dict[str, Any]], Any]


def call(name: str, **arguments: Any) -> tuple[str, str]:
    return name, json.dumps(arguments)


def last_tool_result(body: dict[str, Any]) -> str:
    tools = [m for m in body["messages"] if m.get("role") == "tool"]
    return str(tools[-1]["content"]) if tools else ""


def echo_tool(prefix: str = "Here is what I have: ") -> Callable[[dict[str, Any]], Text]:
    """A "model" that reads back whatever its last tool result said."""
    return lambda body: Text(prefix + last_tool_result(body))


def echo_plain_words(body: dict[str, Any]) -> Text:
    result = json.loads(last_tool_result(body))
    return Text(result.get("plain_words") or result.get("message") or json.dumps(result))


@dataclass
class ScriptedLLM:
    url: str = ""
    steps: deque[Step] = field(default_factory=deque)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    raw: list[bytes] = field(default_factory=list)

    def script(self, *steps: Step) -> None:
        self.steps.extend(steps)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw)
        self.raw.append(raw)
        self.requests.append(body)
        self.headers.append(dict(request.headers))
        step: Any = self.steps.popleft() if self.steps else Text("(the script has ended)")
        while True:
            if callable(step) and not isinstance(
                step, Text | Tools | Status | Delay | Redirect | Streamed
            ):
                step = step(body)
            elif isinstance(step, Delay):
                await asyncio.sleep(step.seconds)
                step = step.then
            else:
                break
        if isinstance(step, Redirect):
            return web.Response(status=step.code, headers={"Location": step.location})
        if isinstance(step, Status):
            return web.json_response(
                {"error": {"message": "scripted failure", "type": "server_error", "code": None}},
                status=step.code,
            )
        assert body.get("stream") is True, "the brain always streams"
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        await response.prepare(request)
        if isinstance(step, Streamed):
            return await _streamed(request, response, step, body.get("model", ""))
        for chunk in _chunks(step, body.get("model", "")):
            await response.write(f"data: {json.dumps(chunk)}\n\n".encode())
        await response.write(b"data: [DONE]\n\n")
        await response.write_eof()
        return response


async def _streamed(
    request: web.Request, response: web.StreamResponse, step: Streamed, model: str
) -> web.StreamResponse:
    async def send(chunk: dict[str, Any]) -> None:
        await response.write(f"data: {json.dumps(chunk)}\n\n".encode())

    try:
        await send(_chunk(model, {"role": "assistant", "content": ""}))
        for item in step.items:
            if isinstance(item, asyncio.Event):
                await item.wait()
            else:
                await send(_chunk(model, {"content": item}))
    except ConnectionResetError:  # the core hung up first (its client went away)
        return response
    if step.breaks:
        assert request.transport is not None
        request.transport.abort()  # the model server goes away mid-answer
        return response
    await send(_chunk(model, {}, "stop"))
    await response.write(b"data: [DONE]\n\n")
    await response.write_eof()
    return response


def _chunk(model: str, delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    }


def _pieces(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


def _chunks(step: Text | Tools, model: str) -> list[dict[str, Any]]:
    out = [_chunk(model, {"role": "assistant", "content": ""})]
    content = step.content
    for piece in _pieces(content, 9) if content else []:
        out.append(_chunk(model, {"content": piece}))
    if isinstance(step, Text):
        out.append(_chunk(model, {}, "stop"))
        return out
    for index, (name, arguments) in enumerate(step.calls):
        out.append(
            _chunk(
                model,
                {
                    "tool_calls": [
                        {
                            "index": index,
                            "id": f"call_{index}",
                            "type": "function",
                            "function": {"name": name, "arguments": ""},
                        }
                    ]
                },
            )
        )
        for piece in _pieces(arguments, 7):
            out.append(
                _chunk(
                    model,
                    {"tool_calls": [{"index": index, "function": {"arguments": piece}}]},
                )
            )
    out.append(_chunk(model, {}, "tool_calls"))
    return out


@pytest.fixture
async def llm() -> AsyncIterator[ScriptedLLM]:
    server = ScriptedLLM()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", server.handle)
    async with local_app(app) as server.url:
        yield server


@dataclass
class LlmAgent:
    core: CoreFixture
    key: str
    agent_id: str

    async def session(self, channel: str = "") -> str:
        async with self.core.channel() as ch:
            stub = pb_grpc.ConversationServiceStub(ch)
            request = pb.CreateSessionRequest(agent_id=self.agent_id)
            session = (await stub.CreateSession(request, metadata=auth(self.key))).session
        return session.name

    async def say(self, session: str, content: str) -> pb.SendMessageResponse:
        async with self.core.channel() as ch:
            stub = pb_grpc.ConversationServiceStub(ch)
            return await stub.SendMessage(
                pb.SendMessageRequest(session=session, content=content), metadata=auth(self.key)
            )

    async def events(self, session: str) -> list[tuple[str, dict[str, Any]]]:
        async with self.core.channel() as ch:
            stub = pb_grpc.ConversationServiceStub(ch)
            listed = await stub.ListSessionEvents(
                pb.ListSessionEventsRequest(parent=session, page_size=500), metadata=auth(self.key)
            )
        return [(kind(e), dict(e.payload)) for e in listed.events]


def kind(event: Any) -> str:
    from flowyte.v1 import audit_pb2

    return audit_pb2.AuditEventType.Name(event.event_type).removeprefix("AUDIT_EVENT_TYPE_").lower()


async def llm_agent(
    core: CoreFixture,
    demo_store: DemoStoreHandle,
    llm: ScriptedLLM,
    *,
    timeout_seconds: float = 5.0,
    guardrails: list[guardrail_pb.GuardrailPolicy] | None = None,
) -> LlmAgent:
    """An organization with the demo store and the scripted model connected, and a published
    agent whose brain is the LLM: what a merchant does through the API."""
    key = await core.new_org_key()
    agent_id = await new_agent(core, key, publish=False)
    async with core.channel() as channel:
        await integration_grpc.IntegrationServiceStub(channel).ConnectIntegration(
            integration_pb.ConnectIntegrationRequest(
                kind=integration_pb.INTEGRATION_KIND_OPENAI,
                credentials=integration_pb.IntegrationCredentials(access_token=API_KEY),
                api_base_url=llm.url + "/v1",
            ),
            metadata=auth(key),
        )
        await agent_grpc.AgentServiceStub(channel).UpdateAgent(
            agent_pb.UpdateAgentRequest(
                agent=agent_pb.Agent(
                    name=f"agents/{agent_id}",
                    brain=agent_pb.Brain(
                        kind=agent_pb.BRAIN_KIND_LLM, model=MODEL, timeout_seconds=timeout_seconds
                    ),
                ),
                update_mask=field_mask_pb2.FieldMask(paths=["brain"]),
            ),
            metadata=auth(key),
        )
        if guardrails:
            await guardrail_grpc.GuardrailServiceStub(channel).ReplaceGuardrails(
                guardrail_pb.ReplaceGuardrailsRequest(
                    parent=f"agents/{agent_id}", guardrails=guardrails
                ),
                metadata=auth(key),
            )
    # connects the store, provisions lookup_order (adding verification), publishes
    await connect_and_publish(core, key, agent_id, demo_store)
    return LlmAgent(core, key, agent_id)
