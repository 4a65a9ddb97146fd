"""Converse, the bidi form for calls: a whole voice conversation with the built-in brain
against the demo store (DTMF, caller_id, handoff with transfer, barge-in, hang-up), and a
person's reply reaching an open call live, on one core and across two sharing PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import grpc
import pytest
from sqlalchemy import text

from core.api import converse
from core.domain.scopes import CALLER_ID_SCOPE
from core.server import start_core
from demostore import DemoStoreHandle
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from flowyte.v1 import guardrail_service_pb2 as guardrail_pb
from flowyte.v1 import guardrail_service_pb2_grpc as guardrail_grpc
from flowyte.v1 import handoff_service_pb2 as handoff_pb
from flowyte.v1 import handoff_service_pb2_grpc as handoff_grpc
from tests.conftest import ALL_SCOPES, CoreFixture, core_settings
from tests.core.helpers import auth, error_fields, error_reason

from .conftest import connect_and_publish, new_agent

AVA = "+15035550101"  # the phone on orders #1001 and #1004
DESK = "+15035550199"  # the agent's default transfer destination
LOST_DESK = "+15035550142"  # its rule for lost parcels
TRACKING = "1Z999AA10123456784"  # #1001's


def kind(event: audit_pb2.AuditEvent) -> str:
    return audit_pb2.AuditEventType.Name(event.event_type).removeprefix("AUDIT_EVENT_TYPE_")


@dataclass
class Voice:
    core: CoreFixture
    key: str  # the voice frontend's: it also holds the scope that vouches for caller numbers
    agent_id: str


async def _voice_agent(
    core: CoreFixture, store: DemoStoreHandle, *, caller_id: bool, **settings: object
) -> Voice:
    key = await core.new_org_key([*ALL_SCOPES, CALLER_ID_SCOPE])
    agent_id = await new_agent(
        core,
        key,
        publish=False,
        **settings,
        greeting="Hi, this is Ava from Example Outfitters.",
        handoff_config=agent_pb.HandoffConfig(
            warm=True,
            transfer_destination=DESK,
            transfer_rules=[
                agent_pb.TransferRule(label="Lost parcels", when="lost", destination=LOST_DESK)
            ],
        ),
    )
    methods = [
        guardrail_pb.CallerVerificationMethod(method=guardrail_pb.VERIFICATION_METHOD_ORDER_MATCH)
    ]
    if caller_id:
        methods.append(
            guardrail_pb.CallerVerificationMethod(method=guardrail_pb.VERIFICATION_METHOD_CALLER_ID)
        )
    async with core.channel() as channel:
        await guardrail_grpc.GuardrailServiceStub(channel).ReplaceCallerVerification(
            guardrail_pb.ReplaceCallerVerificationRequest(
                parent=f"agents/{agent_id}", methods=methods
            ),
            metadata=auth(key),
        )
    await connect_and_publish(core, key, agent_id, store)
    return Voice(core, key, agent_id)


@pytest.fixture
async def voice(core: CoreFixture, demo_store: DemoStoreHandle) -> Voice:
    return await _voice_agent(core, demo_store, caller_id=True)


class Call:
    """One Converse stream, read turn by turn."""

    def __init__(self, stream: grpc.aio.StreamStreamCall):
        self.stream = stream

    async def send(self, **kind: object) -> None:
        await self.stream.write(pb.ConverseRequest(**kind))  # type: ignore[arg-type]

    async def next(self) -> pb.ConverseResponse:
        response = await asyncio.wait_for(self.stream.read(), 10)
        assert response is not grpc.aio.EOF, "the stream ended"
        return response

    async def turn(self) -> list[pb.ConverseResponse]:
        """Responses up to and including the next turn_end."""
        pieces = [await self.next()]
        while pieces[-1].WhichOneof("kind") != "turn_end":
            pieces.append(await self.next())
        return pieces

    async def rest(self) -> list[pb.ConverseResponse]:
        pieces = []
        while (response := await asyncio.wait_for(self.stream.read(), 10)) is not grpc.aio.EOF:
            pieces.append(response)
        return pieces


def said(pieces: list[pb.ConverseResponse]) -> str:
    return "".join(p.text_delta for p in pieces if p.WhichOneof("kind") == "text_delta")


def kinds(pieces: list[pb.ConverseResponse]) -> list[str]:
    return [p.WhichOneof("kind") or "" for p in pieces]


def events(pieces: list[pb.ConverseResponse]) -> list[str]:
    return [kind(p.event) for p in pieces if p.WhichOneof("kind") == "event"]


async def _call(
    channel: grpc.aio.Channel, key: str, config: pb.ConverseConfig
) -> tuple[Call, pb.Session]:
    call = Call(pb_grpc.ConversationServiceStub(channel).Converse(metadata=auth(key)))
    await call.send(config=config)
    first = await call.next()
    assert first.WhichOneof("kind") == "session", first
    return call, first.session


async def _transcript(core: CoreFixture, key: str, session: str) -> list[audit_pb2.AuditEvent]:
    async with core.channel() as channel:
        reply = await pb_grpc.ConversationServiceStub(channel).ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session, page_size=200), metadata=auth(key)
        )
    return list(reply.events)


async def test_a_voice_call_with_keyed_order_number_and_caller_id(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, session = await _call(
            channel,
            voice.key,
            pb.ConverseConfig(
                agent_id=voice.agent_id, channel=audit_pb2.CHANNEL_VOICE, caller_number=AVA
            ),
        )
        assert session.channel == audit_pb2.CHANNEL_VOICE
        assert session.status == pb.SESSION_STATUS_ACTIVE and session.agent_version == 1

        greeting = await call.turn()
        assert events(greeting) == ["CALL_STARTED", "AGENT_MESSAGE"]
        assert said(greeting).startswith("Hi, this is Ava from Example Outfitters.")
        assert greeting[-1].turn_end.text == said(greeting)

        # the order number keyed on the phone; the calling number is the order's phone
        await call.send(dtmf_digits="1001#")
        keyed = await call.turn()
        text = said(keyed)
        assert "on its way" in text and TRACKING in text.replace(" ", ""), text
        assert "VERIFICATION" in events(keyed)
        verification = [
            p.event
            for p in keyed
            if p.WhichOneof("kind") == "event" and kind(p.event) == "VERIFICATION"
        ]
        assert verification[0].payload["method"] == "caller_id"
        assert events(keyed)[0] == "USER_UTTERANCE"
        utterance = next(p.event for p in keyed if p.WhichOneof("kind") == "event")
        assert utterance.payload["dtmf"] == "1001#"

        await call.send(text="thanks, bye")
        goodbye = await call.turn()
        assert goodbye[-1].turn_end.session.status == pb.SESSION_STATUS_ENDED
        rest = await call.rest()
        assert kinds(rest) == ["hang_up"] and rest[0].hang_up.reason == "conversation_over"
        assert await call.stream.code() == grpc.StatusCode.OK

    transcript = await _transcript(voice.core, voice.key, session.name)
    assert [e.seq for e in transcript] == list(range(1, len(transcript) + 1))
    assert kind(transcript[0]) == "CALL_STARTED" and transcript[0].payload["callerNumber"] == AVA
    assert kind(transcript[-1]) == "CALL_ENDED"
    assert transcript[-1].payload["reason"] == "conversation_over"


async def test_caller_id_is_not_used_unless_configured(
    core: CoreFixture, demo_store: DemoStoreHandle
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=False)
    async with core.channel() as channel:
        call, _ = await _call(
            channel,
            voice.key,
            pb.ConverseConfig(agent_id=voice.agent_id, caller_number=AVA),
        )
        await call.turn()
        await call.send(dtmf_digits="1001")
        asked = said(await call.turn())
        assert "on its way" not in asked and TRACKING not in asked.replace(" ", "")
        await call.send(text="ava dot chen at example dot com")
        told = said(await call.turn())
        assert "on its way" in told
        await call.stream.done_writing()
        assert await call.rest() == []


async def test_a_caller_number_counts_only_from_the_voice_frontends_key(voice: Voice) -> None:
    """Any other key (here one holding every scope `--scopes all` grants) naming the order's
    phone as the caller is refused before a session exists: nothing is said, let alone the
    order. The voice frontend's key, holding calls:caller_id, is what makes a number count."""
    org = await voice.core.org_of(voice.key)
    for scopes in (ALL_SCOPES, ["chat:write", "chat:read"]):
        other = await voice.core.new_key(org, scopes)
        async with voice.core.channel() as channel:
            stub = pb_grpc.ConversationServiceStub(channel)
            for config in (
                pb.ConverseConfig(
                    agent_id=voice.agent_id, channel=audit_pb2.CHANNEL_VOICE, caller_number=AVA
                ),
                pb.ConverseConfig(agent_id=voice.agent_id, caller_number=AVA),
            ):
                call = Call(stub.Converse(metadata=auth(other)))
                # Nothing more is written: the refusal may come before another write lands.
                await call.send(config=config)
                with pytest.raises(grpc.aio.AioRpcError) as raised:
                    heard = await call.next()
                    pytest.fail(f"the call went ahead: {heard}")
                assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
                assert error_reason(raised.value) == "MISSING_SCOPE"
                assert CALLER_ID_SCOPE in (raised.value.details() or "")

            # Without a caller number the same key may call, and must verify as anyone does.
            call, _ = await _call(channel, other, pb.ConverseConfig(agent_id=voice.agent_id))
            await call.turn()
            await call.send(dtmf_digits="1001#")
            asked = said(await call.turn())
            assert "on its way" not in asked and TRACKING not in asked.replace(" ", "")
            await call.stream.done_writing()
            await call.rest()


async def test_no_other_key_speaks_into_a_call_verified_by_its_caller_number(
    voice: Voice,
) -> None:
    """A call opened by the voice frontend with the caller's number: another key of the
    organization, knowing the session, may not send turns into it (each would be verified as
    that caller), streamed or not; the transcript gains nothing."""
    other = await voice.core.new_key(await voice.core.org_of(voice.key), ALL_SCOPES)
    async with voice.core.channel() as channel:
        call, session = await _call(
            channel, voice.key, pb.ConverseConfig(agent_id=voice.agent_id, caller_number=AVA)
        )
        await call.turn()
        stub = pb_grpc.ConversationServiceStub(channel)
        name = f"sessions/{session.id}"
        before = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=name, page_size=100), metadata=auth(voice.key)
        )
        for send in (
            lambda: stub.SendMessage(
                pb.SendMessageRequest(session=name, content="where is order 1001"),
                metadata=auth(other),
            ),
            lambda: stub.StreamMessage(
                pb.StreamMessageRequest(session=name, content="where is order 1001"),
                metadata=auth(other),
            ).read(),
        ):
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await send()
            assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED
            assert error_reason(raised.value) == "MISSING_SCOPE"
        after = await stub.ListSessionEvents(
            pb.ListSessionEventsRequest(parent=name, page_size=100), metadata=auth(voice.key)
        )
        assert len(after.events) == len(before.events)
        # The voice frontend's own stream goes on, verified by the caller's number.
        await call.send(text="where is order 1001")
        assert "on its way" in said(await call.turn())
        await call.stream.done_writing()
        await call.rest()


async def test_a_handoff_transfers_the_call(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, _session = await _call(
            channel, voice.key, pb.ConverseConfig(agent_id=voice.agent_id, caller_number=AVA)
        )
        await call.turn()
        await call.send(text="can I talk to a person please")
        pieces = await call.turn()
        handoff = [p.handoff for p in pieces if p.WhichOneof("kind") == "handoff"]
        transfer = [p.transfer for p in pieces if p.WhichOneof("kind") == "transfer"]
        assert handoff and handoff[0].handoff_id.startswith("hof_")
        assert handoff[0].reason == "requested"
        assert transfer == [pb.Transfer(destination=DESK, warm=True)]
        end = pieces[-1].turn_end
        assert end.session.status == pb.SESSION_STATUS_HANDED_OFF
        assert end.session.handoff_id == handoff[0].handoff_id
        assert kinds(pieces).index("transfer") < kinds(pieces).index("turn_end")
        await call.stream.done_writing()
        assert await call.rest() == []


async def test_outside_business_hours_a_handoff_waits_and_the_call_is_not_transferred(
    core: CoreFixture, demo_store: DemoStoreHandle
) -> None:
    # Open only on a day two days from now by the core's clock: closed now, whatever the date.
    today = core.handle.runtime.clock.now().astimezone(ZoneInfo("America/New_York"))
    shut = today + timedelta(days=2)
    hours = agent_pb.BusinessHours(
        time_zone="America/New_York",
        intervals=[agent_pb.OpenInterval(day=f"{shut:%A}".lower(), open="09:00", close="17:00")],
    )
    closed = await _voice_agent(core, demo_store, caller_id=False, business_hours=hours)
    async with core.channel() as channel:
        call, _session = await _call(
            channel, closed.key, pb.ConverseConfig(agent_id=closed.agent_id, caller_number=AVA)
        )
        await call.turn()
        await call.send(text="can I talk to a person please")
        pieces = await call.turn()
        assert [p.handoff.reason for p in pieces if p.WhichOneof("kind") == "handoff"] == [
            "requested"
        ]
        assert "transfer" not in kinds(pieces)
        assert "away right now" in said(pieces)
        await call.stream.done_writing()
        await call.rest()


async def test_a_lost_parcel_goes_to_the_matching_transfer_rule(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, _ = await _call(
            channel, voice.key, pb.ConverseConfig(agent_id=voice.agent_id, caller_number=AVA)
        )
        await call.turn()
        await call.send(text="where is order 1004")
        pieces = await call.turn()
        transfer = [p.transfer for p in pieces if p.WhichOneof("kind") == "transfer"]
        assert transfer == [pb.Transfer(destination=LOST_DESK, warm=True)], said(pieces)
        await call.stream.done_writing()
        await call.rest()


async def test_barge_in_stops_the_reply_and_is_recorded(
    voice: Voice, demo_store: DemoStoreHandle
) -> None:
    async with voice.core.channel() as channel:
        call, session = await _call(
            channel, voice.key, pb.ConverseConfig(agent_id=voice.agent_id, caller_number=AVA)
        )
        await call.turn()
        # The caller speaks over the reply to this before any of it is spoken: the store
        # answers the turn's lookup half a second late, long after the interrupt is read
        # (a turn with nothing to look up can be faster than reading the next request).
        demo_store.store.faults.latencyMs = 500
        await call.send(text="where is order 1001")
        await call.send(interrupt=pb.Interrupt())
        cut = await call.turn()
        demo_store.store.faults.latencyMs = 0
        assert said(cut) == "" and cut[-1].turn_end.text  # the turn happened; nothing spoken
        await call.send(dtmf_digits="1001")
        after = await call.turn()
        assert "on its way" in said(after)  # later replies are spoken again
        await call.stream.done_writing()
        assert await call.rest() == []

    transcript = await _transcript(voice.core, voice.key, session.name)
    barge = [e for e in transcript if kind(e) == "BARGE_IN"]
    assert len(barge) == 1
    assert barge[0].payload["deliveredChars"] == 0 and barge[0].payload["replyChars"] > 0
    names = [kind(e) for e in transcript]
    # recorded after the reply it cut, before the next turn
    assert names.index("BARGE_IN") > names.index("AGENT_MESSAGE", 2)
    assert names[-1] == "CALL_ENDED" and transcript[-1].payload["reason"] == "caller_hung_up"


async def test_hanging_up_ends_the_session(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, session = await _call(
            channel, voice.key, pb.ConverseConfig(agent_id=voice.agent_id, caller_number=AVA)
        )
        await call.turn()
        await call.stream.done_writing()
        assert await call.rest() == []
        got = await pb_grpc.ConversationServiceStub(channel).GetSession(
            pb.GetSessionRequest(name=session.name), metadata=auth(voice.key)
        )
        assert got.session.status == pb.SESSION_STATUS_ENDED
        # an ended session cannot be resumed
        again = Call(pb_grpc.ConversationServiceStub(channel).Converse(metadata=auth(voice.key)))
        await again.send(config=pb.ConverseConfig(session_id=session.id))
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await again.rest()
        assert raised.value.code() == grpc.StatusCode.FAILED_PRECONDITION
        assert error_reason(raised.value) == "SESSION_ENDED"


async def _reply(core: CoreFixture, key: str, handoff_id: str, text: str) -> None:
    async with core.channel() as channel:
        await handoff_grpc.HandoffServiceStub(channel).SendHandoffMessage(
            handoff_pb.SendHandoffMessageRequest(name=f"handoffs/{handoff_id}", content=text),
            metadata=auth(key),
        )


async def _handed_off_call(voice: Voice, channel: grpc.aio.Channel) -> tuple[Call, str]:
    call, _ = await _call(
        channel, voice.key, pb.ConverseConfig(agent_id=voice.agent_id, caller_number=AVA)
    )
    await call.turn()
    await call.send(text="a person please")
    pieces = await call.turn()
    return call, pieces[-1].turn_end.session.handoff_id


@pytest.mark.usefixtures("bus_only")
async def test_a_persons_reply_reaches_the_open_call(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, handoff_id = await _handed_off_call(voice, channel)
        await _reply(voice.core, voice.key, handoff_id, "Hi, this is Sam from the team.")
        live = await call.turn()
        assert said(live) == "Hi, this is Sam from the team."
        assert events(live) == ["AGENT_MESSAGE"] and live[0].event.payload["from"] == "human"
        assert live[-1].turn_end.session.status == pb.SESSION_STATUS_HANDED_OFF
        # the caller answers; the person hears it in the transcript, the caller an ack
        await call.send(text="thanks Sam, it's about order 1001")
        ack = await call.turn()
        assert "team" in said(ack)
        await _reply(voice.core, voice.key, handoff_id, "Got it, checking now.")
        assert said(await call.turn()) == "Got it, checking now."
        await call.stream.done_writing()
        assert await call.rest() == []


@pytest.fixture
def bus_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Streams never re-read on their own: only a notification can deliver in time."""
    monkeypatch.setattr(converse, "RESYNC_SECONDS", 600.0)


@pytest.mark.usefixtures("bus_only")
async def test_a_reply_through_another_core_reaches_the_call(voice: Voice, tmp_path: Path) -> None:
    """Core B commits the person's reply; core A, which holds the call, hears it through
    LISTEN/NOTIFY, also after its listener connection was killed and came back."""
    if voice.core.backend != "postgresql":
        pytest.skip("replicas share a database on PostgreSQL only")
    settings = voice.core.settings
    other = await start_core(
        core_settings(tmp_path / "b", settings.database_url, settings.master_keys)
    )
    b = CoreFixture(other, "postgresql")
    live_a = voice.core.handle.runtime.live
    try:
        async with voice.core.channel() as channel:
            call, handoff_id = await _handed_off_call(voice, channel)
            await asyncio.wait_for(live_a.listening.wait(), 10)
            await _reply(b, voice.key, handoff_id, "Hello from the other replica.")
            assert said(await call.turn()) == "Hello from the other replica."

            # the listener's connection dies; it reconnects and the next reply still arrives
            killed = live_a.listener_pid
            async with other.runtime.engine.begin() as conn:
                await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": killed})
            for _ in range(100):
                if live_a.listening.is_set() and live_a.listener_pid not in (None, killed):
                    break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the listener did not reconnect")
            await _reply(b, voice.key, handoff_id, "Still here.")
            assert said(await call.turn()) == "Still here."
            await call.stream.done_writing()
            assert await call.rest() == []
    finally:
        await other.stop(0)


async def test_the_first_request_must_be_the_config(core: CoreFixture) -> None:
    key = await core.new_org_key([*ALL_SCOPES, CALLER_ID_SCOPE])
    async with core.channel() as channel:
        call = Call(pb_grpc.ConversationServiceStub(channel).Converse(metadata=auth(key)))
        await call.send(text="hello")
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call.rest()
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert error_fields(raised.value) == ["config"]

        # no agent: a called number nobody is assigned to, or nothing at all
        call = Call(pb_grpc.ConversationServiceStub(channel).Converse(metadata=auth(key)))
        await call.send(config=pb.ConverseConfig(called_number="+15035550100"))
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call.rest()
        assert raised.value.code() == grpc.StatusCode.NOT_FOUND

        call = Call(pb_grpc.ConversationServiceStub(channel).Converse(metadata=auth(key)))
        await call.send(config=pb.ConverseConfig())
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call.rest()
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert error_fields(raised.value) == ["config.agent_id"]

        call = Call(pb_grpc.ConversationServiceStub(channel).Converse(metadata=auth(key)))
        await call.send(config=pb.ConverseConfig(agent_id="agt_x", caller_number="not a number"))
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call.rest()
        assert error_fields(raised.value) == ["config.caller_number"]


async def test_scope_and_organizations(voice: Voice) -> None:
    reader = await voice.core.new_key(await voice.core.org_of(voice.key), ["chat:read"])
    stranger = await voice.core.new_org_key()
    async with voice.core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        # The core refuses a key as the stream opens, so the refusal may already meet the
        # client's first write: both are inside the raises.
        call = Call(stub.Converse(metadata=auth(reader)))
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call.send(config=pb.ConverseConfig(agent_id=voice.agent_id))
            await call.rest()
        assert raised.value.code() == grpc.StatusCode.PERMISSION_DENIED

        call = Call(stub.Converse(metadata=(("authorization", "Bearer nope"),)))
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call.send(config=pb.ConverseConfig(agent_id=voice.agent_id))
            await call.rest()
        assert raised.value.code() == grpc.StatusCode.UNAUTHENTICATED

        mine, session = await _call(channel, voice.key, pb.ConverseConfig(agent_id=voice.agent_id))
        await mine.turn()
        for config in (
            pb.ConverseConfig(session_id=session.id),
            pb.ConverseConfig(agent_id=voice.agent_id),
        ):
            theirs = Call(stub.Converse(metadata=auth(stranger)))
            with pytest.raises(grpc.aio.AioRpcError) as raised:
                await theirs.send(config=config)
                await theirs.rest()
            assert raised.value.code() == grpc.StatusCode.NOT_FOUND

        # the same organization resumes it (another stream, e.g. after a reconnect)
        await mine.stream.done_writing()
        await mine.rest()


async def test_a_session_resumes_without_a_second_greeting(
    core: CoreFixture, demo_store: DemoStoreHandle
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=False)
    async with core.channel() as channel:
        stub = pb_grpc.ConversationServiceStub(channel)
        created = await stub.CreateSession(
            pb.CreateSessionRequest(agent_id=voice.agent_id, channel=audit_pb2.CHANNEL_VOICE),
            metadata=auth(voice.key),
        )
        await stub.SendMessage(
            pb.SendMessageRequest(session=created.session.name, content="order 1002"),
            metadata=auth(voice.key),
        )
        call, session = await _call(
            channel, voice.key, pb.ConverseConfig(session_id=created.session.id)
        )
        assert session.id == created.session.id
        await call.send(text="marcus.okafor@example.net")
        pieces = await call.turn()
        assert events(pieces)[:2] == ["CALL_STARTED", "USER_UTTERANCE"]  # no second greeting
        assert "was delivered" in said(pieces)
        await call.stream.done_writing()
        assert await call.rest() == []


def test_transfer_rules_are_tried_before_the_default() -> None:
    from core.domain.conversations import transfer_for

    snapshot = {
        "agent": {
            "handoff_config": {
                "warm": False,
                "transfer_destination": DESK,
                "transfer_rules": [
                    {"label": "Upset callers", "when": "Angry", "destination": "sip:care@x.test"},
                    {"label": "Lost", "when": "lost", "destination": LOST_DESK},
                ],
            }
        }
    }
    assert transfer_for(snapshot, "negative_sentiment") == ("sip:care@x.test", False)
    assert transfer_for(snapshot, "lost", "+15550000000") == (LOST_DESK, False)
    assert transfer_for(snapshot, "requested") == (DESK, False)
    assert transfer_for(snapshot, "requested", "+15550000000") == ("+15550000000", False)
    assert transfer_for({"agent": {}}, "requested") is None


async def test_bad_dtmf_ends_the_call_with_a_clear_error(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, session = await _call(channel, voice.key, pb.ConverseConfig(agent_id=voice.agent_id))
        await call.turn()
        await call.send(dtmf_digits="12x")
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call.rest()
        assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT
        assert error_fields(raised.value) == ["dtmf_digits"]
    transcript = await _transcript(voice.core, voice.key, session.name)
    assert kind(transcript[-1]) == "CALL_ENDED" and transcript[-1].payload["reason"] == "error"


async def test_a_dropped_line_ends_the_session(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, session = await _call(channel, voice.key, pb.ConverseConfig(agent_id=voice.agent_id))
        await call.turn()
        call.stream.cancel()
        stub = pb_grpc.ConversationServiceStub(channel)
        # Waits for the core to notice, not for a speed: a loaded CI host may take seconds.
        for _ in range(400):
            got = await stub.GetSession(
                pb.GetSessionRequest(name=session.name), metadata=auth(voice.key)
            )
            if got.session.status == pb.SESSION_STATUS_ENDED:
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError("the session did not end")
    transcript = await _transcript(voice.core, voice.key, session.name)
    assert kind(transcript[-1]) == "CALL_ENDED"
