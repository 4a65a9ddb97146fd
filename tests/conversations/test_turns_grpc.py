"""Sessions and turns over gRPC with a scripted brain: persistence, ordering, idempotency,
organizations, and a second core continuing a session."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import aiohttp
import grpc
import pytest

from core.server import start_core
from core.store import claims, transcripts
from core.store.tables import TurnKeyRow
from flowyte.clock import FixedClock
from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from frontends.gateway import GatewayHandle
from tests.conftest import BACKENDS, CoreFixture, serving_core
from tests.core.helpers import auth, error_fields, error_reason, expect_error

from .conftest import ScriptedBrain, new_agent


def kind(event: audit_pb2.AuditEvent) -> str:
    return audit_pb2.AuditEventType.Name(event.event_type).removeprefix("AUDIT_EVENT_TYPE_")


async def _session(core: CoreFixture, key: str, agent_id: str) -> pb.Session:
    async with core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        reply = await stub.CreateSession(
            pb.CreateSessionRequest(agent_id=agent_id), metadata=auth(key)
        )
    return reply.session


async def test_a_conversation_is_stored_turn_by_turn(scripted: CoreFixture) -> None:
    key = await scripted.new_org_key()
    agent_id = await new_agent(scripted, key)
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        session = (
            await stub.CreateSession(pb.CreateSessionRequest(agent_id=agent_id), metadata=auth(key))
        ).session
        assert session.name == f"sessions/{session.id}" and session.id.startswith("ses_")
        assert session.status == pb.SESSION_STATUS_ACTIVE and session.agent_version == 1
        first = await stub.SendMessage(
            pb.SendMessageRequest(session=session.name, content="where is order 1001"),
            metadata=auth(key),
        )
        assert first.reply.role == "assistant" and first.reply.content == "What is your email?"
        assert [kind(e) for e in first.events] == ["USER_UTTERANCE", "AGENT_MESSAGE"]
        assert [e.seq for e in first.events] == [1, 2]
        assert first.events[0].payload["text"] == "where is order 1001"
        assert len({e.trace_id for e in first.events}) == 1

        # the state came back from the database: the brain remembers the order number
        second = await stub.SendMessage(
            pb.SendMessageRequest(session=session.name, content="no idea"), metadata=auth(key)
        )
        assert second.reply.content == "What is your email?"
        assert [e.seq for e in second.events] == [3, 4]
        assert second.events[0].trace_id != first.events[0].trace_id

        page = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session.name, page_size=3), metadata=auth(key)
        )
        assert [e.seq for e in page.events] == [1, 2, 3] and page.next_page_token
        rest = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session.name, page_token=page.next_page_token),
            metadata=auth(key),
        )
        assert [e.seq for e in rest.events] == [4] and not rest.next_page_token
        assert all(e.conversation_id == session.id for e in page.events)

        ended = await stub.EndSession(pb.EndSessionRequest(name=session.name), metadata=auth(key))
        assert ended.session.status == pb.SESSION_STATUS_ENDED and ended.session.HasField(
            "end_time"
        )
        error = await expect_error(
            stub.SendMessage(
                pb.SendMessageRequest(session=session.name, content="hello?"), metadata=auth(key)
            ),
            grpc.StatusCode.FAILED_PRECONDITION,
        )
        assert error_reason(error) == "SESSION_ENDED"


async def test_an_unpublished_agent_serves_only_in_draft_mode(scripted: CoreFixture) -> None:
    key = await scripted.new_org_key()
    agent_id = await new_agent(scripted, key, publish=False)
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        error = await expect_error(
            stub.CreateSession(pb.CreateSessionRequest(agent_id=agent_id), metadata=auth(key)),
            grpc.StatusCode.FAILED_PRECONDITION,
        )
        assert error_reason(error) == "NO_PUBLISHED_VERSION"
        draft = await stub.CreateSession(
            pb.CreateSessionRequest(agent_id=agent_id, draft_mode=True), metadata=auth(key)
        )
        assert draft.session.draft_mode and draft.session.agent_version == 0
        reply = await stub.SendMessage(
            pb.SendMessageRequest(session=draft.session.name, content="hi"), metadata=auth(key)
        )
        assert reply.reply.content == "What is your order number?"
        await expect_error(
            stub.CreateSession(pb.CreateSessionRequest(agent_id="agt_nope"), metadata=auth(key)),
            grpc.StatusCode.NOT_FOUND,
        )


@pytest.mark.parametrize("content", ["", "   \n ", "x" * 4001])
async def test_empty_blank_and_huge_messages_are_refused(
    scripted: CoreFixture, content: str
) -> None:
    key = await scripted.new_org_key()
    session = await _session(scripted, key, await new_agent(scripted, key))
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        error = await expect_error(
            stub.SendMessage(
                pb.SendMessageRequest(session=session.name, content=content), metadata=auth(key)
            ),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert error_fields(error) == ["content"]
        events = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session.name), metadata=auth(key)
        )
        assert not events.events
        ok = await stub.SendMessage(
            pb.SendMessageRequest(session=session.name, content="x" * 4000), metadata=auth(key)
        )
        assert ok.reply.content


async def test_streamed_turn_sends_events_deltas_and_turn_end(scripted: CoreFixture) -> None:
    key = await scripted.new_org_key()
    session = await _session(scripted, key, await new_agent(scripted, key))
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        pieces = [
            p
            async for p in stub.StreamMessage(
                pb.StreamMessageRequest(session=session.name, content="a person please"),
                metadata=auth(key),
            )
        ]
    # The customer's words (stored first), the reply in sentences, then the turn's events
    # and the reply's own, once stored, then the end.
    kinds = [p.WhichOneof("kind") for p in pieces]
    assert kinds == ["event", "text_delta", "event", "event", "turn_end"]
    deltas = [p.text_delta for p in pieces if p.WhichOneof("kind") == "text_delta"]
    assert deltas == ["I'm handing you to a person."]
    events = [p.event for p in pieces if p.WhichOneof("kind") == "event"]
    assert [e.seq for e in events] == [1, 2, 3]
    assert [kind(e) for e in events] == [
        "USER_UTTERANCE",
        "HANDOFF",
        "AGENT_MESSAGE",
    ]
    end = pieces[-1].turn_end
    assert end.text == "I'm handing you to a person."
    assert end.session.status == pb.SESSION_STATUS_HANDED_OFF
    assert end.session.handoff_id.startswith("hof_")
    assert events[1].payload["handoffId"] == end.session.handoff_id


async def test_a_retried_turn_is_not_a_second_turn(scripted: CoreFixture) -> None:
    key = await scripted.new_org_key()
    session = await _session(scripted, key, await new_agent(scripted, key))
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        request = pb.SendMessageRequest(session=session.name, content="order 1001")
        first = await stub.SendMessage(request, metadata=auth(key, **{"idempotency-key": "t1"}))
        again = await stub.SendMessage(request, metadata=auth(key, **{"idempotency-key": "t1"}))
        assert again == first

        streamed = pb.StreamMessageRequest(session=session.name, content="hello")
        md = auth(key, **{"idempotency-key": "s1"})
        once = [p async for p in stub.StreamMessage(streamed, metadata=md)]
        twice = [p async for p in stub.StreamMessage(streamed, metadata=md)]
        assert [p.event.id for p in once] == [p.event.id for p in twice]
        assert once[-1].turn_end.text == twice[-1].turn_end.text

        other = pb.StreamMessageRequest(session=session.name, content="something else")
        error = await expect_error(
            _drain(stub.StreamMessage(other, metadata=md)), grpc.StatusCode.ABORTED
        )
        assert error_reason(error) == "IDEMPOTENCY_KEY_REUSED"

        events = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session.name), metadata=auth(key)
        )
        assert [e.seq for e in events.events] == [1, 2, 3, 4]


async def _drain(call: object) -> None:
    async for _ in call:  # type: ignore[attr-defined]
        pass


async def test_concurrent_turns_never_share_or_skip_seq(scripted: CoreFixture) -> None:
    key = await scripted.new_org_key()
    session = await _session(scripted, key, await new_agent(scripted, key))
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        replies = await asyncio.gather(
            *(
                stub.SendMessage(
                    pb.SendMessageRequest(session=session.name, content=f"turn {i}"),
                    metadata=auth(key),
                )
                for i in range(8)
            )
        )
        seqs = sorted(e.seq for r in replies for e in r.events)
        assert seqs == list(range(1, 17))
        for reply in replies:  # each turn's events are consecutive
            assert reply.events[1].seq == reply.events[0].seq + 1
        got = await stub.GetSession(pb.GetSessionRequest(name=session.name), metadata=auth(key))
        assert got.session.status == pb.SESSION_STATUS_ACTIVE


async def test_reading_a_session_shows_each_change_as_it_commits(scripted: CoreFixture) -> None:
    # GetSession reads through the same cache as turns: a turn, then ending the session,
    # must each show at once.
    key = await scripted.new_org_key()
    session = await _session(scripted, key, await new_agent(scripted, key))
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        name = pb.GetSessionRequest(name=session.name)
        before = await stub.GetSession(name, metadata=auth(key))
        assert before.session.status == pb.SESSION_STATUS_ACTIVE
        await stub.SendMessage(
            pb.SendMessageRequest(session=session.name, content="hello"), metadata=auth(key)
        )
        assert (await stub.GetSession(name, metadata=auth(key))).session.status == (
            pb.SESSION_STATUS_ACTIVE
        )
        await stub.EndSession(pb.EndSessionRequest(name=session.name), metadata=auth(key))
        after = await stub.GetSession(name, metadata=auth(key))
        assert after.session.status == pb.SESSION_STATUS_ENDED
        assert after.session.HasField("end_time")


async def test_a_turn_never_commits_on_a_stale_view_of_its_session(scripted: CoreFixture) -> None:
    # Where the read cache is on, a turn reads its session from it. Should an entry ever be
    # stale (here: still "active" after the session ended), the turn must not commit on it:
    # it is refused as a conflict, and the resend reads the database.
    if not scripted.handle.runtime.cache.enabled:
        pytest.skip("PostgreSQL cores read every session from the database")
    key = await scripted.new_org_key()
    session = await _session(scripted, key, await new_agent(scripted, key))
    cache = scripted.handle.runtime.cache
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        send = pb.SendMessageRequest(session=session.name, content="order 1001")
        await stub.SendMessage(send, metadata=auth(key))
        stale = cache.get("session", session.id)
        await stub.EndSession(pb.EndSessionRequest(name=session.name), metadata=auth(key))
        cache.put("session", session.id, stale, cache.generation)  # as if never invalidated
        refused = await expect_error(
            stub.SendMessage(send, metadata=auth(key)), grpc.StatusCode.ABORTED
        )
        assert error_reason(refused) == "TURN_CONFLICT"
        ended = await expect_error(
            stub.SendMessage(send, metadata=auth(key)), grpc.StatusCode.FAILED_PRECONDITION
        )
        assert error_reason(ended) == "SESSION_ENDED"
        events = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session.name), metadata=auth(key)
        )
        kinds = [e.event_type for e in events.events]
        assert kinds.count(audit_pb2.AUDIT_EVENT_TYPE_USER_UTTERANCE) == 1


async def test_another_organization_sees_nothing(scripted: CoreFixture) -> None:
    key, theirs = await scripted.new_org_key(), await scripted.new_org_key()
    session = await _session(scripted, key, await new_agent(scripted, key))
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        calls = [
            stub.GetSession(pb.GetSessionRequest(name=session.name), metadata=auth(theirs)),
            stub.SendMessage(
                pb.SendMessageRequest(session=session.name, content="hi"), metadata=auth(theirs)
            ),
            stub.ListSessionEvents(
                pb.ListSessionEventsRequest(parent=session.name), metadata=auth(theirs)
            ),
            stub.EndSession(pb.EndSessionRequest(name=session.name), metadata=auth(theirs)),
            _drain(
                stub.StreamMessage(
                    pb.StreamMessageRequest(session=session.name, content="hi"),
                    metadata=auth(theirs),
                )
            ),
        ]
        for call in calls:
            await expect_error(call, grpc.StatusCode.NOT_FOUND)
        got = await stub.GetSession(pb.GetSessionRequest(name=session.name), metadata=auth(key))
        assert got.session.status == pb.SESSION_STATUS_ACTIVE


async def test_a_second_core_continues_the_session(scripted: CoreFixture) -> None:
    """Two replicas on one PostgreSQL: turn 1 on core A, turn 2 on core B."""
    if scripted.backend != "postgresql":
        pytest.skip("replicas share PostgreSQL; SQLite serves one core")
    key = await scripted.new_org_key()
    session = await _session(scripted, key, await new_agent(scripted, key))
    second = await start_core(scripted.settings, brain=ScriptedBrain())
    try:
        async with scripted.channel() as channel:
            a = pb_grpc.ConversationServiceStub(channel)
            one = await a.SendMessage(
                pb.SendMessageRequest(session=session.name, content="order #1001"),
                metadata=auth(key),
            )
        assert one.reply.content == "What is your email?"
        async with grpc.aio.insecure_channel(second.target) as channel:
            b = pb_grpc.ConversationServiceStub(channel)
            two = await b.SendMessage(
                pb.SendMessageRequest(session=session.name, content="a person please"),
                metadata=auth(key),
            )
            assert [e.seq for e in two.events] == [3, 4, 5]
            assert two.session.status == pb.SESSION_STATUS_HANDED_OFF
            events = await b.ListSessionEvents(
                pb.ListSessionEventsRequest(parent=session.name), metadata=auth(key)
            )
        assert [e.seq for e in events.events] == [1, 2, 3, 4, 5]
        assert events.events[0].payload["text"] == "order #1001"
    finally:
        await second.stop(0)


async def test_concurrent_appends_take_consecutive_seqs(scripted: CoreFixture) -> None:
    """Without the in-process turn lock (another replica, a person's reply): the UPDATE …
    RETURNING on the session row hands out every seq once, in order, without gaps."""
    key = await scripted.new_org_key()
    session = await _session(scripted, key, await new_agent(scripted, key))
    runtime = scripted.handle.runtime

    async def append(n: int) -> list[int]:
        async with runtime.sessions() as db:
            events = [transcripts.NewEvent("agent_message", {"text": f"{n}.{i}"}) for i in range(3)]
            rows = await transcripts.write(
                db,
                transcripts.Append(session.id, "chat", f"trace{n}", events, at_ms=runtime.now_ms()),
            )
            await db.commit()
        return [r.seq for r in rows]

    taken = await asyncio.gather(*(append(n) for n in range(10)))
    assert sorted(s for seqs in taken for s in seqs) == list(range(1, 31))
    for seqs in taken:
        assert seqs == list(range(seqs[0], seqs[0] + 3))


async def test_a_simulation_is_capped_in_the_core_as_over_rest(
    scripted: CoreFixture, scripted_gateway: GatewayHandle, http: aiohttp.ClientSession
) -> None:
    """gRPC took 60 lines where REST stopped at 50: the cap is the core's, and the number
    /openapi.json documents is the one the core enforces."""
    base = scripted_gateway.url
    async with http.get(base + "/openapi.json") as response:
        doc = await response.json()
    body = doc["paths"]["/api/v1/agents/{id}/simulate"]["post"]["requestBody"]
    cap = body["content"]["application/json"]["schema"]["properties"]["transcript"]["maxItems"]
    assert cap == 50

    key = await scripted.new_org_key()
    draft = await new_agent(scripted, key, publish=False)
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        too_many = pb.SimulateConversationRequest(agent_id=draft, transcript=["hello"] * (cap + 1))
        error = await expect_error(
            _drain(stub.SimulateConversation(too_many, metadata=auth(key))),
            grpc.StatusCode.INVALID_ARGUMENT,
        )
        assert error_fields(error) == ["transcript"] and str(cap) in (error.details() or "")
        enough = pb.SimulateConversationRequest(agent_id=draft, transcript=["hello"] * cap)
        events = [r.event async for r in stub.SimulateConversation(enough, metadata=auth(key))]
        assert sum(kind(e) == "USER_UTTERANCE" for e in events) == cap

    async with http.post(
        f"{base}/api/v1/agents/{draft}/simulate",
        json={"transcript": ["hello"] * (cap + 1)},
        headers={"Authorization": f"Bearer {key}"},
    ) as response:
        problem = await response.json()
        assert response.status == 400, problem
        assert [e["field"] for e in problem["errors"]] == ["transcript"]


@pytest.fixture(params=BACKENDS)
async def scripted_on_clock(
    request: pytest.FixtureRequest, tmp_path: Path, master_key: str, clock: FixedClock
) -> AsyncIterator[CoreFixture]:
    async with serving_core(
        request, tmp_path, master_key, brain=ScriptedBrain(), clock=clock
    ) as served:
        yield served


async def test_a_streamed_turn_cut_short_by_a_crash_runs_once_after_its_lease(
    scripted_on_clock: CoreFixture, clock: FixedClock
) -> None:
    """A process killed mid-turn leaves the turn's key claimed and nothing written. Once the
    claim's lease lapses the retry runs the turn: the transcript has it once."""
    core = scripted_on_clock
    secret = await core.new_org_key()
    caller = await core.key_row(secret)
    session = await _session(core, secret, await new_agent(core, secret))
    now = core.handle.runtime.now_ms()
    async with core.handle.runtime.sessions() as db:
        db.add(
            TurnKeyRow(
                session_id=session.id,
                api_key_id=caller.id,
                key="s-crash",
                request_hash=hashlib.sha256(b"order 1001\0").hexdigest(),
                created_ms=now,
                lease_expires_ms=claims.lease_end(now),
            )
        )
        await db.commit()

    md = auth(secret, **{"idempotency-key": "s-crash"})
    streamed = pb.StreamMessageRequest(session=session.name, content="order 1001")
    async with core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        busy = await expect_error(
            _drain(stub.StreamMessage(streamed, metadata=md)), grpc.StatusCode.ABORTED
        )
        assert error_reason(busy) == "IDEMPOTENCY_KEY_IN_USE"

        clock.advance(timedelta(milliseconds=claims.LEASE_MS))
        once = [p async for p in stub.StreamMessage(streamed, metadata=md)]
        again = [p async for p in stub.StreamMessage(streamed, metadata=md)]
        assert once[-1].turn_end.text == "What is your email?"
        assert [p.event.id for p in again] == [p.event.id for p in once]
        events = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session.name), metadata=auth(secret)
        )
    assert [kind(e) for e in events.events] == ["USER_UTTERANCE", "AGENT_MESSAGE"]


async def test_a_turn_that_died_mid_reply_is_finished_on_its_stored_words(
    scripted_on_clock: CoreFixture, clock: FixedClock
) -> None:
    """A process killed mid-reply leaves the customer's words stored and the key claimed
    with them. The retry, once the lease lapses, answers those words: it stores them no
    second time, and a later retry replays the finished turn."""
    core = scripted_on_clock
    secret = await core.new_org_key()
    caller = await core.key_row(secret)
    session = await _session(core, secret, await new_agent(core, secret))
    runtime = core.handle.runtime
    now = runtime.now_ms()
    async with runtime.sessions() as db:
        words = transcripts.NewEvent("user_utterance", {"text": "order 1001"})
        (stored,) = await transcripts.write(
            db, transcripts.Append(session.id, "chat", "trace-died", [words], at_ms=now)
        )
        db.add(
            TurnKeyRow(
                session_id=session.id,
                api_key_id=caller.id,
                key="s-died",
                request_hash=hashlib.sha256(b"order 1001\0").hexdigest(),
                created_ms=now,
                lease_expires_ms=claims.lease_end(now),
                first_seq=stored.seq,
            )
        )
        await db.commit()

    md = auth(secret, **{"idempotency-key": "s-died"})
    streamed = pb.StreamMessageRequest(session=session.name, content="order 1001")
    async with core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        busy = await expect_error(
            _drain(stub.StreamMessage(streamed, metadata=md)), grpc.StatusCode.ABORTED
        )
        assert error_reason(busy) == "IDEMPOTENCY_KEY_IN_USE"
        clock.advance(timedelta(milliseconds=claims.LEASE_MS))
        once = [p async for p in stub.StreamMessage(streamed, metadata=md)]
        again = [p async for p in stub.StreamMessage(streamed, metadata=md)]
        unary = await expect_error(  # the same key, another method's request: not this turn
            stub.SendMessage(
                pb.SendMessageRequest(session=session.name, content="order 2002"), metadata=md
            ),
            grpc.StatusCode.ABORTED,
        )
        events = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session.name), metadata=auth(secret)
        )
    assert error_reason(unary) == "IDEMPOTENCY_KEY_REUSED"
    assert once[0].event.id == stored.id and once[-1].turn_end.text == "What is your email?"
    assert again == once
    assert [kind(e) for e in events.events] == ["USER_UTTERANCE", "AGENT_MESSAGE"]
    assert len({e.trace_id for e in events.events}) == 1  # one turn


async def test_another_keys_turn_with_the_same_idempotency_key_is_its_own(
    scripted: CoreFixture,
) -> None:
    first = await scripted.new_org_key()
    second = await scripted.new_key(await scripted.org_of(first), ["chat:read", "chat:write"])
    session = await _session(scripted, first, await new_agent(scripted, first))
    streamed = pb.StreamMessageRequest(session=session.name, content="order 1001")
    async with scripted.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        mine = [
            p
            async for p in stub.StreamMessage(
                streamed, metadata=auth(first, **{"idempotency-key": "same"})
            )
        ]
        theirs = [
            p
            async for p in stub.StreamMessage(
                streamed, metadata=auth(second, **{"idempotency-key": "same"})
            )
        ]
        assert {p.event.id for p in mine if p.event.id} & {
            p.event.id for p in theirs if p.event.id
        } == set()
        events = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session.name), metadata=auth(first)
        )
    assert [kind(e) for e in events.events].count("USER_UTTERANCE") == 2


async def test_every_event_says_when_in_milliseconds_and_as_a_timestamp(
    pinned_core: CoreFixture, clock: FixedClock
) -> None:
    key = await pinned_core.new_org_key()
    agent_id = await new_agent(pinned_core, key)
    session = await _session(pinned_core, key, agent_id)
    async with pinned_core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        turn = await stub.SendMessage(
            pb.SendMessageRequest(session=session.name, content="where is my order?"),
            metadata=auth(key),
        )
        clock.advance(timedelta(seconds=90))
        listed = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session.name), metadata=auth(key)
        )
    now_ms = int(clock.now().timestamp() * 1000) - 90_000
    assert turn.events and [e.seq for e in listed.events] == [e.seq for e in turn.events]
    for event in [*turn.events, *listed.events]:
        assert event.HasField("create_time")
        assert event.create_time.ToMilliseconds() == event.ts_ms == now_ms
