"""A turn streams its reply while the model writes it: a real core, a real aiohttp model
server that holds its answer between sentences until the test lets it go on, and real
gRPC streams. That the first sentence arrives before the model has written the second is
proved by the gate, never by timing: the model server sends the second only once the
client has read the first, so a core that waited for the whole answer would never send it.
"""

from __future__ import annotations

import asyncio
from typing import Any

import grpc

from demostore import DemoStoreHandle
from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from flowyte.v1 import guardrail_service_pb2 as guardrail_pb
from flowyte.v1 import widget_service_pb2 as widget_pb
from flowyte.v1 import widget_service_pb2_grpc as widget_grpc
from tests.conftest import CoreFixture
from tests.core.helpers import auth, error_reason
from tests.widgets.conftest import Shop, public

from .conftest import LlmAgent, ScriptedLLM, Streamed, Text, llm_agent

RESTART = "Sorry, let me start that again."
WITHDRAWN = "reply_withdrawn"
WAIT = 10  # seconds: only so a core that buffers the reply fails instead of hanging


def _kind(event: audit_pb2.AuditEvent) -> str:
    return audit_pb2.AuditEventType.Name(event.event_type).removeprefix("AUDIT_EVENT_TYPE_")


async def _next(call: Any) -> Any:
    piece = await asyncio.wait_for(call.read(), WAIT)
    assert piece is not grpc.aio.EOF, "the stream ended"
    return piece


async def _until_end(call: Any) -> list[Any]:
    pieces = [await _next(call)]
    while pieces[-1].WhichOneof("kind") != "turn_end":
        pieces.append(await _next(call))
    return pieces


async def _greeted(agent: LlmAgent, llm: ScriptedLLM) -> str:
    """A session past its first turn (and so past the agent's greeting)."""
    session = await agent.session()
    llm.script(Text("Hi! How can I help?"))
    await agent.say(session, "hello")
    return session


def _deltas(pieces: list[Any]) -> list[str]:
    return [p.text_delta for p in pieces if p.WhichOneof("kind") == "text_delta"]


async def test_the_first_sentence_arrives_while_the_model_writes_the_second(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    session = await _greeted(agent, llm)
    go = asyncio.Event()
    llm.script(Streamed(["Let me see what", " I can find. ", go, "Anything else I can do?"]))
    try:
        async with core.channel() as channel:
            stub = pb_grpc.ConversationServiceStub(channel)
            call = stub.StreamMessage(
                pb.StreamMessageRequest(session=session, content="can you help me?"),
                metadata=auth(agent.key),
            )
            words = await _next(call)
            assert _kind(words.event) == "USER_UTTERANCE"
            assert words.event.payload["text"] == "can you help me?"
            first = await _next(call)
            assert first.text_delta == "Let me see what I can find. "

            # The model is still writing (it waits for `go`): the customer's words are
            # stored already, the reply is not.
            stored = await agent.events(session)
            assert [k for k, _ in stored][-1] == "user_utterance"
            assert stored[-1][1]["text"] == "can you help me?"
            assert [k for k, _ in stored].count("agent_message") == 1  # the greeting turn's

            go.set()
            rest = await _until_end(call)
    finally:
        go.set()
    reply = "Let me see what I can find. Anything else I can do?"
    assert _deltas([first, *rest]) == ["Let me see what I can find. ", "Anything else I can do?"]
    assert rest[-1].turn_end.text == reply
    events = [p.event for p in rest if p.WhichOneof("kind") == "event"]
    assert _kind(events[-1]) == "AGENT_MESSAGE" and events[-1].payload["text"] == reply
    assert [e.seq for e in [words.event, *events]] == sorted(e.seq for e in [words.event, *events])
    kinds = [k for k, _ in await agent.events(session)]
    assert kinds.count("user_utterance") == 2 and kinds.count("agent_message") == 2


async def test_a_model_that_fails_mid_reply_leaves_the_words_and_an_apology(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    session = await _greeted(agent, llm)
    llm.script(Streamed(["I can see your order. ", "It is"], breaks=True))
    async with core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        call = stub.StreamMessage(
            pb.StreamMessageRequest(session=session, content="where is my order?"),
            metadata=auth(agent.key),
        )
        pieces = await _until_end(call)
    kinds = [p.WhichOneof("kind") for p in pieces]
    withdrawn = next(
        i
        for i, p in enumerate(pieces)
        if p.WhichOneof("kind") == "event" and dict(p.event.payload).get("reason") == WITHDRAWN
    )
    # What went out before the model failed, then the stream says it is withdrawn...
    assert kinds[:2] == ["event", "text_delta"] and pieces[1].text_delta == "I can see your order. "
    assert withdrawn == 2
    assert pieces[withdrawn].event.payload["withdrawnText"] == "I can see your order. "
    # ... and the reply that replaces it (the built-in brain's) starts with an apology.
    end = pieces[-1].turn_end
    assert end.text.startswith(RESTART + " ") and "It is" not in end.text
    assert "".join(_deltas(pieces[withdrawn:])) == end.text

    stored = await agent.events(session)
    turn = stored[[k for k, _ in stored].index("user_utterance", 1) :]
    assert turn[0] == ("user_utterance", {"text": "where is my order?"})
    said = [p["text"] for k, p in turn if k == "agent_message"]
    assert said == [end.text]  # the half reply is never stored as the reply
    reasons = [p.get("reason") for k, p in turn if k == "error"]
    assert reasons[0] == "reply_withdrawn" and reasons[1] in ("connection", "bad_response")


async def test_a_sentence_the_content_policy_refuses_never_goes_out(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM
) -> None:
    crypto = guardrail_pb.GuardrailPolicy(
        policy_type=guardrail_pb.POLICY_TYPE_CONTENT_POLICY, is_enabled=True
    )
    crypto.config.update({"bannedTopics": ["crypto"]})
    agent = await llm_agent(core, demo_store, llm, guardrails=[crypto])
    session = await _greeted(agent, llm)
    llm.script(Text("Happy to chat. Let's talk crypto today. It is fun. Anything else?"))
    async with core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        call = stub.StreamMessage(
            pb.StreamMessageRequest(session=session, content="what do you like?"),
            metadata=auth(agent.key),
        )
        pieces = await _until_end(call)
    deltas = _deltas(pieces)
    assert deltas[0] == "Happy to chat. "
    assert not any("crypto" in d for d in deltas)
    assert "".join(deltas[1:]) == pieces[-1].turn_end.text
    assert pieces[-1].turn_end.text.startswith(RESTART)
    events = [(_kind(p.event), dict(p.event.payload)) for p in pieces if p.event.id]
    assert ("GUARDRAIL", {"rule": "content_policy", "decision": "replaced", "topic": "crypto"}) in (
        events
    )


async def test_a_replayed_streamed_turn_sends_what_the_turn_sent(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    session = await _greeted(agent, llm)
    llm.script(Text("One. Two!  Three? And four, at https://example.com/a.b?c=1.5 now."))
    request = pb.StreamMessageRequest(session=session, content="count for me")
    md = auth(agent.key, **{"idempotency-key": "count-1"})
    async with core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        once = [p async for p in stub.StreamMessage(request, metadata=md)]
        asked = len(llm.requests)
        again = [p async for p in stub.StreamMessage(request, metadata=md)]
    assert again == once and len(llm.requests) == asked  # the model is not asked again
    assert _deltas(once) == [
        "One. ",
        "Two! ",
        " Three? ",
        "And four, at https://example.com/a.b?c=1.5 now.",
    ]


async def test_a_retry_finishes_a_turn_its_client_left_mid_reply_without_a_second_utterance(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    session = await _greeted(agent, llm)
    go = asyncio.Event()
    llm.script(Streamed(["One moment please. ", go, "Still here."]))
    request = pb.StreamMessageRequest(session=session, content="is anyone there?")
    md = auth(agent.key, **{"idempotency-key": "left-1"})
    try:
        async with core.channel() as channel:
            stub = pb_grpc.ConversationServiceStub(channel)
            left = stub.StreamMessage(request, metadata=md)
            words = (await _next(left)).event
            assert (await _next(left)).text_delta == "One moment please. "
            left.cancel()  # the client goes away mid-reply: the turn dies with it

            llm.script(Text("Yes, I am here. How can I help?"))
            retried: list[Any] = []
            for _ in range(200):  # until the core has seen the client go
                try:
                    retried = [p async for p in stub.StreamMessage(request, metadata=md)]
                    break
                except grpc.aio.AioRpcError as busy:
                    assert error_reason(busy) == "IDEMPOTENCY_KEY_IN_USE"
                    await asyncio.sleep(0.02)
            again = [p async for p in stub.StreamMessage(request, metadata=md)]
    finally:
        go.set()
    # The retry ran the turn on the words already stored, and stored them no second time.
    assert retried and retried[0].event.id == words.id
    assert retried[-1].turn_end.text == "Yes, I am here. How can I help?"
    assert again == retried
    kinds = [k for k, _ in await agent.events(session)]
    assert kinds.count("user_utterance") == 2 and kinds.count("agent_message") == 2


async def test_a_call_hears_the_first_sentence_while_the_model_writes_the_second(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    go = asyncio.Event()
    try:
        async with core.channel() as channel:
            call = pb_grpc.ConversationServiceStub(channel).Converse(metadata=auth(agent.key))
            await call.write(pb.ConverseRequest(config=pb.ConverseConfig(agent_id=agent.agent_id)))
            assert (await _next(call)).WhichOneof("kind") == "session"
            await _until_end(call)  # the greeting: no model is asked for it
            llm.script(Streamed(["Sure, one moment. ", go, "Here you are."]))
            await call.write(pb.ConverseRequest(text="can you help?"))
            heard = [await _next(call)]
            while heard[-1].WhichOneof("kind") != "text_delta":
                heard.append(await _next(call))
            assert heard[-1].text_delta == "Sure, one moment. "
            assert [_kind(p.event) for p in heard[:-1]] == ["USER_UTTERANCE"]
            go.set()
            rest = await _until_end(call)
            await call.done_writing()
    finally:
        go.set()
    assert _deltas(rest) == ["Here you are."]
    assert rest[-1].turn_end.text == "Sure, one moment. Here you are."


async def test_a_storefront_reads_the_first_sentence_while_the_model_writes_the_second(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    go = asyncio.Event()
    try:
        async with core.channel() as channel:
            shop = Shop(core, agent.key, agent.agent_id, widget_grpc.WidgetServiceStub(channel))
            key = (await shop.new_key()).key_public
            opened = await shop.stub.CreateWidgetSession(
                widget_pb.CreateWidgetSessionRequest(), metadata=public(key)
            )
            llm.script(Streamed(["Happy to help. ", go, "What is your order number?"]))
            call = shop.stub.StreamWidgetMessage(
                widget_pb.StreamWidgetMessageRequest(
                    visitor_token=opened.visitor_token, content="hi there", client_message_id="m1"
                ),
                metadata=public(key),
            )
            heard = [await _next(call)]
            while heard[-1].text_delta != "Happy to help. ":
                heard.append(await _next(call))
            # The words first, then the agent's greeting (its first turn) and the sentence.
            assert _kind(heard[0].event) == "USER_UTTERANCE"
            assert [p.WhichOneof("kind") for p in heard[1:]] == ["text_delta"] * (len(heard) - 1)
            go.set()
            rest = await _until_end(call)
    finally:
        go.set()
    end = rest[-1].turn_end.text
    assert end.endswith("Happy to help. What is your order number?")
    assert "".join(_deltas(heard + rest)) == end


async def test_a_call_asking_for_reply_deltas_hears_live_sentences_then_the_last(
    core: CoreFixture, demo_store: DemoStoreHandle, llm: ScriptedLLM
) -> None:
    agent = await llm_agent(core, demo_store, llm)
    go = asyncio.Event()
    try:
        async with core.channel() as channel:
            call = pb_grpc.ConversationServiceStub(channel).Converse(metadata=auth(agent.key))
            config = pb.ConverseConfig(agent_id=agent.agent_id, reply_deltas=True)
            await call.write(pb.ConverseRequest(config=config))
            assert (await _next(call)).WhichOneof("kind") == "session"
            await _until_end(call)
            llm.script(Streamed(["Sure, one moment. ", go, "Here you are."]))
            await call.write(pb.ConverseRequest(text="can you help?"))
            heard = [await _next(call)]
            while heard[-1].WhichOneof("kind") != "reply_delta":
                heard.append(await _next(call))
            live = heard[-1].reply_delta
            # Said while the model still writes: the turn's end is unknown, so not the last.
            assert (live.text, live.offset, live.last) == ("Sure, one moment. ", 0, False)
            assert live.interruptible and live.reply_id.startswith("rpl_")
            go.set()
            rest = await _until_end(call)
            await call.done_writing()
    finally:
        go.set()
    pieces = [p.reply_delta for p in rest if p.WhichOneof("kind") == "reply_delta"]
    assert [(p.text, p.offset, p.last) for p in pieces] == [("Here you are.", 18, True)]
    assert {p.reply_id for p in pieces} == {live.reply_id} == {rest[-1].turn_end.reply_id}
    assert rest[-1].turn_end.text == live.text + pieces[0].text
