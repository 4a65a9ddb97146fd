"""Handoffs over REST (scripted brain): escalation opens one with its context; a person
claims it, replies into the customer's session, and closes it."""

from __future__ import annotations

from .conftest import Chat, new_agent


async def _escalate(chat: Chat) -> tuple[str, str]:
    session_id = (await chat.api.post("/chat/sessions", {"agentId": chat.agent_id})).data["id"]
    turn = await chat.api.post(
        f"/chat/sessions/{session_id}/messages", {"content": "can I talk to a person"}
    )
    return session_id, turn.data["session"]["handoffId"]


async def test_the_handoff_flow(chat: Chat) -> None:
    session_id, handoff_id = await _escalate(chat)
    assert handoff_id.startswith("hof_")
    assert (await chat.api.get(f"/chat/sessions/{session_id}")).data["status"] == "handed_off"

    inbox = await chat.api.get("/handoffs?status=open")
    assert [h["id"] for h in inbox.data] == [handoff_id]
    assert "transcript" not in inbox.data[0]
    assert (await chat.api.get("/handoffs?status=closed")).data == []

    handoff = (await chat.api.get(f"/handoffs/{handoff_id}")).data
    assert handoff["reason"] == "requested" and handoff["status"] == "open"
    assert handoff["sessionId"] == session_id and handoff["agentId"] == chat.agent_id
    assert handoff["claimedBy"] is None and handoff["createdAt"]
    assert [e["eventType"] for e in handoff["transcript"]] == [
        "user_utterance",
        "handoff",
        "agent_message",
    ]

    claimed = await chat.api.post(f"/handoffs/{handoff_id}/claim", {"claimedBy": "Sam"})
    assert claimed.data["status"] == "claimed" and claimed.data["claimedBy"] == "Sam"
    taken = await chat.api.post(f"/handoffs/{handoff_id}/claim", {"claimedBy": "Alex"})
    assert taken.status == 409 and taken.code == "handoff_claimed"

    sent = await chat.api.post(
        f"/handoffs/{handoff_id}/messages", {"content": "Hi, I'm Sam. Let me check."}
    )
    assert sent.status == 201
    assert sent.data["eventType"] == "agent_message"
    assert sent.data["payload"]["from"] == "human"
    assert sent.data["payload"]["text"] == "Hi, I'm Sam. Let me check."

    # the person's words are in the customer's session
    messages = (await chat.api.get(f"/chat/sessions/{session_id}/messages")).data
    assert messages[-1]["id"] == sent.data["id"]
    assert [e["seq"] for e in messages] == list(range(1, len(messages) + 1))

    # while a person has it, the customer's words go to them, not to the agent
    turn = await chat.api.post(f"/chat/sessions/{session_id}/messages", {"content": "thanks"})
    assert "team" in turn.data["reply"]["content"]

    closed = await chat.api.post(f"/handoffs/{handoff_id}/close")
    assert closed.data["status"] == "closed" and closed.data["closedAt"]
    assert (await chat.api.get(f"/chat/sessions/{session_id}")).data["status"] == "active"
    late = await chat.api.post(f"/handoffs/{handoff_id}/messages", {"content": "one more"})
    assert late.status == 409
    kinds = [
        e["eventType"] for e in (await chat.api.get(f"/handoffs/{handoff_id}")).data["transcript"]
    ]
    assert kinds.count("handoff") == 3  # opened, claimed, closed


async def test_replying_claims_an_open_handoff(chat: Chat) -> None:
    _, handoff_id = await _escalate(chat)
    await chat.api.post(f"/handoffs/{handoff_id}/messages", {"content": "On it."})
    handoff = (await chat.api.get(f"/handoffs/{handoff_id}")).data
    assert handoff["status"] == "claimed" and handoff["claimedBy"] == "test"


async def test_another_organizations_handoffs_are_404(chat: Chat) -> None:
    _, handoff_id = await _escalate(chat)
    theirs = chat.api.as_(await chat.core.new_org_key())
    assert (await theirs.get("/handoffs")).data == []
    for method, sub, body in [
        ("GET", "", None),
        ("POST", "/claim", {}),
        ("POST", "/messages", {"content": "hi"}),
        ("POST", "/close", None),
    ]:
        reply = await theirs.request(method, f"/handoffs/{handoff_id}{sub}", body)
        assert reply.status == 404, (method, sub)
    assert (await chat.api.get(f"/handoffs/{handoff_id}")).data["status"] == "open"


async def test_bad_handoff_requests(chat: Chat) -> None:
    _, handoff_id = await _escalate(chat)
    assert (await chat.api.get("/handoffs?status=nope")).status == 400
    empty = await chat.api.post(f"/handoffs/{handoff_id}/messages", {"content": ""})
    assert empty.status == 400 and empty.fields == ["content"]


async def test_a_spanish_agents_customer_hears_in_spanish_that_a_person_has_it(chat: Chat) -> None:
    agent_id = await new_agent(chat.core, chat.key, language="es-ES")
    session_id = (await chat.api.post("/chat/sessions", {"agentId": agent_id})).data["id"]
    turn = await chat.api.post(
        f"/chat/sessions/{session_id}/messages", {"content": "can I talk to a person"}
    )
    assert turn.data["session"]["handoffId"]
    later = await chat.api.post(f"/chat/sessions/{session_id}/messages", {"content": "¿hola?"})
    assert later.data["reply"]["content"].startswith("Gracias, se lo he hecho llegar.")
