"""The Chat section of API.md over real HTTP (scripted brain): JSON turns, SSE turns,
transcripts, idempotent retries, bad input, other organizations."""

from __future__ import annotations

import json

import aiohttp
import pytest

from .conftest import Chat, new_agent, parse_sse


async def _start(chat: Chat) -> str:
    created = await chat.api.post("/chat/sessions", {"agentId": chat.agent_id})
    assert created.status == 201, created.body
    return str(created.data["id"])


async def test_a_rest_conversation(chat: Chat) -> None:
    created = await chat.api.post("/chat/sessions", {"agentId": chat.agent_id})
    assert created.status == 201
    session = created.data
    assert session["id"].startswith("ses_") and session["status"] == "active"
    assert session["agentId"] == chat.agent_id and session["channel"] == "chat"
    assert session["agentVersion"] == 1 and session["handoffId"] is None
    assert "name" not in session

    path = f"/chat/sessions/{session['id']}"
    turn = await chat.api.post(f"{path}/messages", {"content": "order #1001 please"})
    assert turn.status == 200
    body = turn.data
    assert body["reply"] == {"role": "assistant", "content": "What is your email?"}
    assert body["session"] == {"id": session["id"], "status": "active"}
    assert [e["eventType"] for e in body["events"]] == ["user_utterance", "agent_message"]
    first = body["events"][0]
    assert set(first) == {
        "id", "conversationId", "seq", "tsMs", "channel", "eventType", "payload", "traceId"
    }  # fmt: skip
    assert first["conversationId"] == session["id"] and first["seq"] == 1
    assert first["payload"] == {"text": "order #1001 please"} and first["channel"] == "chat"

    messages = await chat.api.get(f"{path}/messages?limit=1")
    assert [e["seq"] for e in messages.data] == [1] and messages.body["nextCursor"]
    rest = await chat.api.get(f"{path}/messages?cursor={messages.body['nextCursor']}")
    assert [e["seq"] for e in rest.data] == [2] and rest.body["nextCursor"] is None

    got = await chat.api.get(path)
    assert got.data["id"] == session["id"]
    ended = await chat.api.post(f"{path}/end")
    assert ended.data["status"] == "ended" and ended.data["endedAt"]
    after = await chat.api.post(f"{path}/messages", {"content": "hello?"})
    assert after.status == 400 and after.code == "session_ended"


async def _sse(chat: Chat, path: str, body: dict, headers: dict | None = None) -> tuple[int, str]:
    async with chat.api.session.post(
        chat.base + path,
        json=body,
        headers={"Authorization": f"Bearer {chat.key}", **(headers or {})},
    ) as response:
        if response.status == 200:
            assert response.content_type == "text/event-stream"
        return response.status, await response.text()


async def test_a_streamed_turn_is_server_sent_events(chat: Chat) -> None:
    session_id = await _start(chat)
    status, text = await _sse(
        chat, f"/chat/sessions/{session_id}/messages", {"content": "a person", "stream": True}
    )
    assert status == 200
    frames = [(event, json.loads(data)) for event, data in parse_sse(text)]
    names = [event for event, _ in frames]
    assert names[0] == "user_utterance" and names[-1] == "done"
    assert "handoff" in names
    deltas = [
        d["payload"]["delta"] for e, d in frames if e == "agent_message" and "delta" in d["payload"]
    ]
    assert deltas == ["I'm handing you to a person."]  # a sentence at a time
    stored = [d for e, d in frames if e == "agent_message" and "text" in d["payload"]]
    assert stored[0]["payload"]["text"] == "I'm handing you to a person."
    done = frames[-1][1]
    assert done["reply"] == {"role": "assistant", "content": "I'm handing you to a person."}
    assert done["session"]["status"] == "handed_off"
    assert done["session"]["handoffId"].startswith("hof_")

    # what streamed is what was stored
    messages = await chat.api.get(f"/chat/sessions/{session_id}/messages")
    assert [e["eventType"] for e in messages.data] == [
        "user_utterance",
        "handoff",
        "agent_message",
    ]


async def test_a_refused_streamed_turn_is_a_plain_problem(chat: Chat) -> None:
    status, text = await _sse(
        chat, "/chat/sessions/ses_nope/messages", {"content": "hi", "stream": True}
    )
    assert status == 404 and json.loads(text)["code"] == "not_found"


async def test_a_retry_with_the_same_key_replays_the_turn(chat: Chat) -> None:
    session_id = await _start(chat)
    path = f"/chat/sessions/{session_id}/messages"
    headers = {"Idempotency-Key": "turn-1"}
    first = await chat.api.post(path, {"content": "order 1001"}, headers=headers)
    again = await chat.api.post(path, {"content": "order 1001"}, headers=headers)
    assert first.status == again.status == 200 and again.body == first.body
    other = await chat.api.post(path, {"content": "order 1002"}, headers=headers)
    assert other.status == 409 and other.code == "idempotency_key_reused"

    streamed = {"content": "hello", "stream": True}
    s1 = await _sse(chat, path, streamed, {"Idempotency-Key": "turn-2"})
    s2 = await _sse(chat, path, streamed, {"Idempotency-Key": "turn-2"})
    ids = [[json.loads(d).get("id") for _, d in parse_sse(t)] for _, t in (s1, s2)]
    assert ids[0] == ids[1]
    messages = await chat.api.get(path)
    assert [e["seq"] for e in messages.data] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"content": ""}, "content"),
        ({"content": "x" * 4001}, "content"),
        ({}, "content"),
        ({"content": "hi", "extra": 1}, "extra"),
        ({"content": 5}, "content"),
    ],
)
async def test_bad_messages_are_400(chat: Chat, body: dict, field: str) -> None:
    session_id = await _start(chat)
    reply = await chat.api.post(f"/chat/sessions/{session_id}/messages", body)
    assert reply.status == 400 and field in reply.fields


async def test_a_blank_message_is_400_from_the_core(chat: Chat) -> None:
    session_id = await _start(chat)
    reply = await chat.api.post(f"/chat/sessions/{session_id}/messages", {"content": "   "})
    assert reply.status == 400 and reply.fields == ["content"]


async def test_an_unpublished_agent_is_409_unless_draft_mode(chat: Chat) -> None:
    draft = await new_agent(chat.core, chat.key, publish=False)
    refused = await chat.api.post("/chat/sessions", {"agentId": draft})
    assert refused.status == 409 and refused.code == "no_published_version"
    ok = await chat.api.post("/chat/sessions", {"agentId": draft, "draftMode": True})
    assert ok.status == 201 and ok.data["draftMode"] is True and ok.data["agentVersion"] is None
    missing = await chat.api.post("/chat/sessions", {"agentId": "agt_nope"})
    assert missing.status == 404


async def test_another_organizations_session_is_404(chat: Chat) -> None:
    session_id = await _start(chat)
    theirs = chat.api.as_(await chat.core.new_org_key())
    path = f"/chat/sessions/{session_id}"
    for method, sub, body in [
        ("GET", "", None),
        ("GET", "/messages", None),
        ("POST", "/messages", {"content": "hi"}),
        ("POST", "/end", None),
    ]:
        reply = await theirs.request(method, path + sub, body)
        assert reply.status == 404 and reply.code == "not_found", (method, sub)


async def test_scopes_apply(chat: Chat) -> None:
    session_id = await _start(chat)
    reader = chat.api.as_(await chat.core.new_key(await chat.core.org_of(chat.key), ["chat:read"]))
    assert (await reader.get(f"/chat/sessions/{session_id}")).status == 200
    refused = await reader.post(f"/chat/sessions/{session_id}/messages", {"content": "hi"})
    assert refused.status == 403


async def test_sse_without_a_key_is_401(chat: Chat) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            chat.base + "/chat/sessions/ses_x/messages", json={"content": "hi", "stream": True}
        ) as response,
    ):
        assert response.status == 401


async def test_simulate_streams_the_drafts_events_and_stores_nothing(chat: Chat) -> None:
    draft = await new_agent(chat.core, chat.key, publish=False)
    async with chat.api.session.post(
        f"{chat.base}/agents/{draft}/simulate",
        json={"mode": "text", "draftMode": True, "transcript": ["order 1001", "a person please"]},
        headers={"Authorization": f"Bearer {chat.key}"},
    ) as response:
        assert response.status == 200
        frames = parse_sse(await response.text())
    names = [e for e, _ in frames]
    assert names == [
        "user_utterance",
        "agent_message",
        "user_utterance",
        "handoff",
        "agent_message",
        "done",
    ]
    assert [json.loads(d)["seq"] for _, d in frames[:-1]] == [1, 2, 3, 4, 5]
    # a simulation has no session to name
    assert {json.loads(d)["conversationId"] for _, d in frames[:-1]} == {None}
    # no handoff reached the inbox
    assert (await chat.api.get("/handoffs")).data == []
    refused = await chat.api.post(f"/agents/{draft}/simulate", {"transcript": []})
    assert refused.status == 400
    missing = await chat.api.post("/agents/agt_nope/simulate", {"transcript": ["hi"]})
    assert missing.status == 404
