"""Following a chat session over REST (SSE): a person's handoff reply reaches a customer
who is only listening, and the stream ends with the session."""

from __future__ import annotations

import asyncio
import json

import grpc
import pytest

from core.api.agents import snapshot_document
from core.conversations import Conversations
from core.shopify.lookup import OrderLookup
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from tests.core.helpers import auth

from .conftest import Chat, ScriptedBrain, parse_sse


async def _follow(chat: Chat, session_id: str, query: str = "?follow=true") -> tuple[int, str]:
    async with chat.api.session.get(
        f"{chat.base}/chat/sessions/{session_id}/events{query}",
        headers={"Authorization": f"Bearer {chat.key}"},
    ) as response:
        return response.status, await response.text()


async def test_a_persons_reply_reaches_a_following_customer(chat: Chat) -> None:
    session_id = (await chat.api.post("/chat/sessions", {"agentId": chat.agent_id})).data["id"]
    turn = await chat.api.post(f"/chat/sessions/{session_id}/messages", {"content": "a person"})
    handoff_id = turn.data["session"]["handoffId"]

    following = asyncio.create_task(_follow(chat, session_id))
    await asyncio.sleep(0.3)
    sent = await chat.api.post(f"/handoffs/{handoff_id}/messages", {"content": "Hi, Sam here."})
    assert sent.status == 201
    await asyncio.sleep(0.8)
    assert not following.done()
    await chat.api.post(f"/chat/sessions/{session_id}/end")
    status, text = await asyncio.wait_for(following, 10)
    assert status == 200
    frames = parse_sse(text)
    assert [e for e, _ in frames] == [
        "user_utterance",
        "handoff",
        "agent_message",
        "agent_message",
        "done",
    ]
    human = json.loads(frames[3][1])
    assert human["payload"]["text"] == "Hi, Sam here." and human["payload"]["from"] == "human"
    assert [json.loads(d)["seq"] for _, d in frames[:4]] == [1, 2, 3, 4]


async def test_without_follow_the_stored_events_come_at_once(chat: Chat) -> None:
    session_id = (await chat.api.post("/chat/sessions", {"agentId": chat.agent_id})).data["id"]
    await chat.api.post(f"/chat/sessions/{session_id}/messages", {"content": "hello"})
    status, text = await _follow(chat, session_id, "")
    assert status == 200
    assert [e for e, _ in parse_sse(text)] == ["user_utterance", "agent_message", "done"]


async def test_following_someone_elses_session_is_404(chat: Chat) -> None:
    status, _ = await _follow(chat, "ses_nope")
    assert status == 404
    async with chat.api.session.get(
        f"{chat.base}/chat/sessions/ses_nope/events?follow=maybe",
        headers={"Authorization": f"Bearer {chat.key}"},
    ) as response:
        assert response.status == 400


async def test_watching_over_grpc_stored_then_live_then_the_end(chat: Chat) -> None:
    session_id = (await chat.api.post("/chat/sessions", {"agentId": chat.agent_id})).data["id"]
    await chat.api.post(f"/chat/sessions/{session_id}/messages", {"content": "hello"})
    async with chat.core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        watch = stub.WatchSessionEvents(
            pb.WatchSessionEventsRequest(parent=f"sessions/{session_id}", after_seq=1),
            metadata=auth(chat.key),
        )
        stored = await asyncio.wait_for(watch.read(), 5)
        assert stored.event.seq == 2  # after_seq=1: the reply, not the customer's words
        # A turn committed while the stream is open arrives on it, without asking again.
        await chat.api.post(f"/chat/sessions/{session_id}/messages", {"content": "hi again"})
        live = [await asyncio.wait_for(watch.read(), 5) for _ in range(2)]
        assert [p.event.seq for p in live] == [3, 4]
        await chat.api.post(f"/chat/sessions/{session_id}/end")
        assert await asyncio.wait_for(watch.read(), 5) is grpc.aio.EOF

        other = await chat.core.new_org_key()
        refused = stub.WatchSessionEvents(
            pb.WatchSessionEventsRequest(parent=f"sessions/{session_id}"),
            metadata=auth(other),
        )
        with pytest.raises(grpc.aio.AioRpcError) as missing:
            await refused.read()
        assert missing.value.code() == grpc.StatusCode.NOT_FOUND
        negative = stub.WatchSessionEvents(
            pb.WatchSessionEventsRequest(parent=f"sessions/{session_id}", after_seq=-1),
            metadata=auth(chat.key),
        )
        with pytest.raises(grpc.aio.AioRpcError) as bad:
            await negative.read()
        assert bad.value.code() == grpc.StatusCode.INVALID_ARGUMENT


async def test_an_idle_watch_sends_heartbeats(chat: Chat) -> None:
    session_id = (await chat.api.post("/chat/sessions", {"agentId": chat.agent_id})).data["id"]
    runtime = chat.core.handle.runtime
    conversations = Conversations(runtime, ScriptedBrain(), OrderLookup(runtime), snapshot_document)
    org = await chat.core.org_of(chat.key)
    pieces = conversations.transcripts.watch(org, session_id, 0, heartbeat=0.05)
    assert await asyncio.wait_for(anext(pieces), 5) is None
    assert await asyncio.wait_for(anext(pieces), 5) is None
    await pieces.aclose()
