"""Converse carrying a real call, over a real grpc.aio core with the built-in brain and the
demo store: recognised speech (partial, final, doubtful), keyed entries with their finish
key, interrupts that say how much of a reply was played, silence under the agent's
callControl (reminder, then hang-up, transfer or another reminder), a transfer's outcome,
the maximum call length by the core's clock, an acknowledgement while the store is slow,
and a person joining from the inbox."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import grpc
import pytest

from core.api import converse
from core.engine.packs import pack
from demostore import DemoStoreHandle
from flowyte.clock import FixedClock
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import handoff_service_pb2 as handoff_pb
from flowyte.v1 import handoff_service_pb2_grpc as handoff_grpc
from tests.conftest import CoreFixture
from tests.core.helpers import auth, error_fields, error_reason

from .test_converse import (
    AVA,
    DESK,
    TRACKING,
    Call,
    Voice,
    _call,
    _transcript,
    _voice_agent,
    events,
    kind,
    kinds,
    said,
)

EN = pack("en").lines
ES = pack("es").lines


def spoken(pieces: list[pb.ConverseResponse]) -> str:
    """What a reply_deltas client hears."""
    return "".join(p.reply_delta.text for p in pieces if p.WhichOneof("kind") == "reply_delta")


def deltas(pieces: list[pb.ConverseResponse]) -> list[pb.ReplyDelta]:
    return [p.reply_delta for p in pieces if p.WhichOneof("kind") == "reply_delta"]


def of_kind(transcript: list[audit_pb2.AuditEvent], name: str) -> list[audit_pb2.AuditEvent]:
    return [e for e in transcript if kind(e) == name]


async def _open(
    voice: Voice, channel: grpc.aio.Channel, *, caller: str = AVA, reply_deltas: bool = True
) -> tuple[Call, pb.Session, list[pb.ConverseResponse]]:
    """A call with its greeting read."""
    call, session = await _call(
        channel,
        voice.key,
        pb.ConverseConfig(
            agent_id=voice.agent_id,
            channel=audit_pb2.CHANNEL_VOICE,
            caller_number=caller,
            reply_deltas=reply_deltas,
        ),
    )
    return call, session, await call.turn()


async def _refused(call: Call) -> grpc.aio.AioRpcError:
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await call.rest()
    return raised.value


def _control(**fields: object) -> agent_pb.CallControl:
    return agent_pb.CallControl(**fields)  # type: ignore[arg-type]


@pytest.fixture
async def voice(core: CoreFixture, demo_store: DemoStoreHandle) -> Voice:
    return await _voice_agent(core, demo_store, caller_id=True)


# --- replies ---------------------------------------------------------------------------------


async def test_reply_deltas_carry_an_id_and_whether_they_may_be_cut(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, _, greeting = await _open(voice, channel)
        # the greeting is played whole; its sentences join to the reply, offsets count them
        pieces = deltas(greeting)
        assert pieces and "text_delta" not in kinds(greeting)
        assert {p.reply_id for p in pieces} == {greeting[-1].turn_end.reply_id}
        assert pieces[0].reply_id.startswith("rpl_")
        assert not any(p.interruptible for p in pieces)
        assert spoken(greeting) == greeting[-1].turn_end.text
        assert [p.offset for p in pieces] == [
            sum(len(q.text) for q in pieces[:i]) for i in range(len(pieces))
        ]
        assert [p.last for p in pieces] == [False] * (len(pieces) - 1) + [True]

        await call.send(speech=pb.SpeechInput(text="where is order 1001", is_final=True))
        status = await call.turn()
        assert "on its way" in spoken(status) and TRACKING in spoken(status).replace(" ", "")
        readback = deltas(status)
        assert len(readback) > 1, "a status is read back sentence by sentence"
        assert all(p.interruptible for p in readback)
        assert readback[0].reply_id != pieces[0].reply_id

        await call.send(text="thanks, bye")
        goodbye = await call.turn()
        assert goodbye[-1].turn_end.session.status == pb.SESSION_STATUS_ENDED
        assert not any(p.interruptible for p in deltas(goodbye)), "a goodbye is played whole"
        assert kinds(await call.rest()) == ["hang_up"]


async def test_a_client_that_did_not_ask_gets_text_deltas_and_reply_ids(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, session, greeting = await _open(voice, channel, reply_deltas=False)
        assert "reply_delta" not in kinds(greeting) and said(greeting)
        await call.send(text="where is order 1001")
        status = await call.turn()
        end = status[-1].turn_end
        assert end.reply_id.startswith("rpl_") and said(status) == end.text
        # the reply id works for an interrupt too, counting the text deltas sent
        await call.send(interrupt=pb.Interrupt(reply_id=end.reply_id, played_chars=12))
        await call.stream.done_writing()
        assert await call.rest() == []
    heard = of_kind(await _transcript(voice.core, voice.key, session.name), "REPLY_INTERRUPTED")
    assert [e.payload["heardText"] for e in heard] == [end.text[:12]]


# --- speech ----------------------------------------------------------------------------------


async def test_partial_results_run_nothing_and_a_final_one_is_the_turn(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, session, _ = await _open(voice, channel)
        before = len(await _transcript(voice.core, voice.key, session.name))
        for partial in ("where", "where is", "where is order", "where is order ten"):
            await call.send(speech=pb.SpeechInput(text=partial, confidence=0.5))
        await call.send(
            speech=pb.SpeechInput(
                text="where is order 1001", is_final=True, confidence=0.93, language="en-US"
            )
        )
        pieces = await call.turn()
        # the first thing back is the final result's turn: no partial produced anything
        assert events(pieces)[0] == "USER_UTTERANCE"
        assert pieces[0].event.payload["text"] == "where is order 1001"
        assert "on its way" in spoken(pieces)
        await call.stream.done_writing()
        await call.rest()
    transcript = (await _transcript(voice.core, voice.key, session.name))[before:]
    assert [e.payload["text"] for e in of_kind(transcript, "USER_UTTERANCE")] == [
        "where is order 1001"
    ]


async def test_speech_heard_doubtfully_is_asked_again_not_acted_on(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, session, _ = await _open(voice, channel)
        await call.send(
            speech=pb.SpeechInput(text="where is order 1007", is_final=True, confidence=0.2)
        )
        again = await call.turn()
        assert spoken(again) == EN["call.say_again"]
        assert "USER_UTTERANCE" not in events(again) and "TOOL_CALL" not in events(again)
        # heard clearly (or by a recogniser that gives no confidence): acted on
        for confidence in (0.9, 0.0):
            await call.send(
                speech=pb.SpeechInput(
                    text="where is order 1001", is_final=True, confidence=confidence
                )
            )
            assert "on its way" in spoken(await call.turn())
        await call.stream.done_writing()
        await call.rest()
    transcript = await _transcript(voice.core, voice.key, session.name)
    asked = [e for e in of_kind(transcript, "AGENT_MESSAGE") if "reason" in e.payload]
    assert [(e.payload["reason"], e.payload["confidence"]) for e in asked] == [
        ("low_confidence", 0.2)
    ]
    assert "1007" not in str([e.payload for e in transcript])  # the misheard words are not kept


async def test_bad_speech_ends_the_call_with_the_field_named(voice: Voice) -> None:
    cases = [
        (pb.SpeechInput(text="   ", is_final=True), "speech.text"),
        (pb.SpeechInput(text="order 1001", is_final=True, confidence=1.5), "speech.confidence"),
        (pb.SpeechInput(text="order 1001", is_final=True, language="not a tag"), "speech.language"),
        (pb.SpeechInput(text="x" * 4001), "speech.text"),
    ]
    async with voice.core.channel() as channel:
        for speech, field in cases:
            call, session, _ = await _open(voice, channel)
            await call.send(speech=speech)
            refused = await _refused(call)
            assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert error_fields(refused) == [field]
            transcript = await _transcript(voice.core, voice.key, session.name)
            assert not of_kind(transcript, "USER_UTTERANCE")


# --- keys ------------------------------------------------------------------------------------


async def test_a_keyed_order_number_ends_with_hash_or_a_pause(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        for finish, recorded in (("#", "1001#"), ("", "1001")):
            call, _, _ = await _open(voice, channel)
            await call.send(dtmf=pb.DtmfInput(digits="1001", finish_digit=finish))
            keyed = await call.turn()
            assert keyed[0].event.payload["dtmf"] == recorded
            assert "on its way" in spoken(keyed), spoken(keyed)
            await call.stream.done_writing()
            await call.rest()


async def test_zero_alone_asks_for_a_person(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, _, _ = await _open(voice, channel)
        await call.send(dtmf=pb.DtmfInput(digits="0"))
        pieces = await call.turn()
        assert [p.handoff.reason for p in pieces if p.WhichOneof("kind") == "handoff"] == [
            "requested"
        ]
        assert [p.transfer for p in pieces if p.WhichOneof("kind") == "transfer"] == [
            pb.Transfer(destination=DESK, warm=True)
        ]
        # the line announcing the transfer is played whole
        assert deltas(pieces) and not any(p.interruptible for p in deltas(pieces))
        await call.stream.done_writing()
        await call.rest()


async def test_bad_keys_end_the_call_with_the_field_named(voice: Voice) -> None:
    cases = [
        (pb.DtmfInput(digits="12#4", finish_digit="#"), "dtmf.digits"),
        (pb.DtmfInput(digits="12x"), "dtmf.digits"),
        (pb.DtmfInput(digits="", finish_digit="#"), "dtmf.digits"),
        (pb.DtmfInput(digits="1" * 65), "dtmf.digits"),
        (pb.DtmfInput(digits="1001", finish_digit="*"), "dtmf.finish_digit"),
    ]
    async with voice.core.channel() as channel:
        for entry, field in cases:
            call, session, _ = await _open(voice, channel)
            await call.send(dtmf=entry)
            refused = await _refused(call)
            assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert error_fields(refused) == [field]
            transcript = await _transcript(voice.core, voice.key, session.name)
            assert not of_kind(transcript, "USER_UTTERANCE")
            assert transcript[-1].payload["reason"] == "error"


# --- interrupts ------------------------------------------------------------------------------


async def test_an_interrupt_records_what_the_caller_heard(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, session, _ = await _open(voice, channel)
        await call.send(speech=pb.SpeechInput(text="where is order 1001", is_final=True))
        status = await call.turn()
        reply_id, text = status[-1].turn_end.reply_id, status[-1].turn_end.text
        await call.send(interrupt=pb.Interrupt(reply_id=reply_id, played_chars=20))
        await call.send(speech=pb.SpeechInput(text="when will it arrive", is_final=True))
        after = await call.turn()
        assert after[-1].turn_end.reply_id != reply_id
        await call.stream.done_writing()
        await call.rest()
    transcript = await _transcript(voice.core, voice.key, session.name)
    (cut,) = of_kind(transcript, "REPLY_INTERRUPTED")
    assert dict(cut.payload) == {
        "replyId": reply_id,
        "heardText": text[:20],
        "playedChars": 20.0,
        "replyChars": float(len(text)),
    }
    names = [kind(e) for e in transcript]
    asked, then = [i for i, name in enumerate(names) if name == "USER_UTTERANCE"]
    # after the reply it cut, before the caller's next words
    assert asked < names.index("REPLY_INTERRUPTED") < then


async def test_an_interrupt_must_name_a_reply_of_this_call_and_no_more_than_it_sent(
    voice: Voice,
) -> None:
    async with voice.core.channel() as channel:
        other, _, greeting_elsewhere = await _open(voice, channel)
        elsewhere = greeting_elsewhere[-1].turn_end.reply_id
        await other.stream.done_writing()
        await other.rest()
        for interrupt, field in [
            (pb.Interrupt(reply_id="rpl_nope", played_chars=1), "interrupt.reply_id"),
            (pb.Interrupt(reply_id=elsewhere, played_chars=1), "interrupt.reply_id"),
            (pb.Interrupt(played_chars=3), "interrupt.reply_id"),
            (None, "interrupt.played_chars"),  # beyond the reply
            (-1, "interrupt.played_chars"),
        ]:
            call, session, greeting = await _open(voice, channel)
            end = greeting[-1].turn_end
            if interrupt is None:
                interrupt = pb.Interrupt(reply_id=end.reply_id, played_chars=len(end.text) + 1)
            elif isinstance(interrupt, int):
                interrupt = pb.Interrupt(reply_id=end.reply_id, played_chars=interrupt)
            await call.send(interrupt=interrupt)
            refused = await _refused(call)
            assert refused.code() == grpc.StatusCode.INVALID_ARGUMENT
            assert error_fields(refused) == [field]
            transcript = await _transcript(voice.core, voice.key, session.name)
            assert not of_kind(transcript, "REPLY_INTERRUPTED")


# --- silence ---------------------------------------------------------------------------------


async def _silent_caller_agent(
    core: CoreFixture, store: DemoStoreHandle, action: str, **settings: object
) -> Voice:
    return await _voice_agent(
        core,
        store,
        caller_id=True,
        call_control=_control(idle_reminder_seconds=8, on_no_response_action=action),
        **settings,
    )


async def test_silence_brings_the_reminder_then_a_goodbye(
    core: CoreFixture, demo_store: DemoStoreHandle
) -> None:
    voice = await _silent_caller_agent(core, demo_store, "hang_up")
    async with core.channel() as channel:
        call, session, _ = await _open(voice, channel)
        # shorter than the reminder time: nothing (the next thing back is the reminder)
        await call.send(no_input=pb.NoInput(silence_ms=3000))
        await call.send(no_input=pb.NoInput(silence_ms=8000))
        reminder = await call.turn()
        assert events(reminder)[0] == "NO_INPUT"
        assert reminder[0].event.payload["silenceMs"] == 8000
        assert spoken(reminder) == EN["call.idle_reminder"]
        assert all(p.interruptible for p in deltas(reminder))

        # the caller speaking (even a partial result) starts over: a reminder again
        await call.send(speech=pb.SpeechInput(text="um"))
        await call.send(no_input=pb.NoInput(silence_ms=9000))
        assert spoken(await call.turn()) == EN["call.idle_reminder"]

        # silent again after the reminder: goodbye, hang up
        await call.send(no_input=pb.NoInput(silence_ms=8000))
        goodbye = await call.turn()
        assert spoken(goodbye) == EN["call.idle_goodbye"]
        assert not any(p.interruptible for p in deltas(goodbye))
        rest = await call.rest()
        assert kinds(rest) == ["hang_up"] and rest[0].hang_up.reason == "no_response"
        assert await call.stream.code() == grpc.StatusCode.OK
    transcript = await _transcript(voice.core, voice.key, session.name)
    assert [e.payload["action"] for e in of_kind(transcript, "NO_INPUT")] == [
        "remind",
        "remind",
        "hang_up",
    ]
    assert kind(transcript[-1]) == "CALL_ENDED"
    assert transcript[-1].payload["reason"] == "no_response"


async def test_silence_hands_the_call_to_a_person_when_the_agent_says_transfer(
    core: CoreFixture, demo_store: DemoStoreHandle
) -> None:
    voice = await _silent_caller_agent(core, demo_store, "transfer")
    async with core.channel() as channel:
        call, session, _ = await _open(voice, channel)
        await call.send(no_input=pb.NoInput(silence_ms=8000))
        await call.turn()
        await call.send(no_input=pb.NoInput(silence_ms=8500))
        pieces = await call.turn()
        assert spoken(pieces) == EN["call.idle_handoff"]
        (handoff,) = [p.handoff for p in pieces if p.WhichOneof("kind") == "handoff"]
        assert handoff.reason == "no_response"
        assert [p.transfer for p in pieces if p.WhichOneof("kind") == "transfer"] == [
            pb.Transfer(destination=DESK, warm=True)
        ]
        assert pieces[-1].turn_end.session.status == pb.SESSION_STATUS_HANDED_OFF

        # nobody answered: the caller hears so; the handoff waits in the inbox
        await call.send(
            transfer_result=pb.TransferResult(
                outcome=pb.TRANSFER_OUTCOME_NO_ANSWER, destination=DESK, sip_status=408
            )
        )
        failed = await call.turn()
        assert events(failed)[0] == "TRANSFER_RESULT"
        assert dict(failed[0].event.payload) == {
            "outcome": "no_answer",
            "handoffId": handoff.handoff_id,
            "destination": DESK,
            "sipStatus": 408.0,
        }
        assert spoken(failed) == EN["call.transfer_failed"]
        async with core.channel() as inbox:
            got = await handoff_grpc.HandoffServiceStub(inbox).GetHandoff(
                handoff_pb.GetHandoffRequest(name=f"handoffs/{handoff.handoff_id}"),
                metadata=auth(voice.key),
            )
        assert got.handoff.status == handoff_pb.HANDOFF_STATUS_OPEN

        # a second try is answered: the agent's part of the call is over
        await call.send(transfer_result=pb.TransferResult(outcome=pb.TRANSFER_OUTCOME_ANSWERED))
        rest = await call.rest()
        assert kinds(rest) == ["event", "hang_up"]
        assert kind(rest[0].event) == "TRANSFER_RESULT" and rest[1].hang_up.reason == "transferred"
    transcript = await _transcript(voice.core, voice.key, session.name)
    assert [e.payload["outcome"] for e in of_kind(transcript, "TRANSFER_RESULT")] == [
        "no_answer",
        "answered",
    ]
    assert transcript[-1].payload["reason"] == "transferred"


async def test_repeat_reminds_at_every_silence_in_the_agents_language(
    core: CoreFixture, demo_store: DemoStoreHandle
) -> None:
    voice = await _silent_caller_agent(core, demo_store, "repeat", language="es-ES")
    async with core.channel() as channel:
        call, _, _ = await _open(voice, channel)
        for _ in range(3):
            await call.send(no_input=pb.NoInput(silence_ms=8000))
            assert spoken(await call.turn()) == ES["call.idle_reminder"]
        await call.stream.done_writing()
        assert await call.rest() == []


async def test_without_idle_reminders_silence_changes_nothing(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, session, _ = await _open(voice, channel)
        before = len(await _transcript(voice.core, voice.key, session.name))
        for _ in range(3):
            await call.send(no_input=pb.NoInput(silence_ms=60_000))
        await call.send(dtmf=pb.DtmfInput(digits="1001", finish_digit="#"))
        assert events(await call.turn())[0] == "USER_UTTERANCE"
        await call.stream.done_writing()
        await call.rest()
    transcript = (await _transcript(voice.core, voice.key, session.name))[before:]
    assert not of_kind(transcript, "NO_INPUT")


async def test_bad_silences_and_transfer_results_are_refused(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        for request, code, field in [
            (
                pb.ConverseRequest(no_input=pb.NoInput(silence_ms=0)),
                "INVALID_ARGUMENT",
                "no_input.silence_ms",
            ),
            (
                pb.ConverseRequest(transfer_result=pb.TransferResult()),
                "INVALID_ARGUMENT",
                "transfer_result.outcome",
            ),
            (
                pb.ConverseRequest(
                    transfer_result=pb.TransferResult(
                        outcome=pb.TRANSFER_OUTCOME_FAILED, sip_status=42
                    )
                ),
                "INVALID_ARGUMENT",
                "transfer_result.sip_status",
            ),
            # no transfer was asked for on this call
            (
                pb.ConverseRequest(
                    transfer_result=pb.TransferResult(outcome=pb.TRANSFER_OUTCOME_ANSWERED)
                ),
                "FAILED_PRECONDITION",
                "",
            ),
        ]:
            call, session, _ = await _open(voice, channel)
            await call.stream.write(request)
            refused = await _refused(call)
            assert refused.code().name == code
            if field:
                assert error_fields(refused) == [field]
            else:
                assert error_reason(refused) == "NO_TRANSFER"
            transcript = await _transcript(voice.core, voice.key, session.name)
            assert not of_kind(transcript, "TRANSFER_RESULT") and not of_kind(
                transcript, "NO_INPUT"
            )


# --- the maximum length ----------------------------------------------------------------------


async def test_the_maximum_length_ends_the_call_by_the_cores_clock(
    pinned_core: CoreFixture,
    clock: FixedClock,
    demo_store: DemoStoreHandle,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(converse, "CLOCK_POLL_SECONDS", 0.05)
    voice = await _voice_agent(
        pinned_core, demo_store, caller_id=True, call_control=_control(max_duration_seconds=300)
    )
    async with pinned_core.channel() as channel:
        call, session, _ = await _open(voice, channel)
        # however long it takes by the wall clock, the core's clock has not moved: no limit
        await asyncio.sleep(0.3)
        await call.send(dtmf=pb.DtmfInput(digits="1001", finish_digit="#"))
        assert "on its way" in spoken(await call.turn())
        clock.advance(timedelta(seconds=299))
        await call.send(text="when will it arrive")
        await call.turn()

        clock.advance(timedelta(seconds=2))
        goodbye = await call.turn()  # without anything sent: the core ends it
        assert spoken(goodbye) == EN["call.time_up"]
        assert not any(p.interruptible for p in deltas(goodbye))
        rest = await call.rest()
        assert kinds(rest) == ["hang_up"] and rest[0].hang_up.reason == "max_duration"
    transcript = await _transcript(pinned_core, voice.key, session.name)
    said_last = of_kind(transcript, "AGENT_MESSAGE")[-1]
    assert said_last.payload["reason"] == "max_duration"
    assert transcript[-1].payload["reason"] == "max_duration"


async def test_input_after_the_maximum_length_is_not_answered(
    pinned_core: CoreFixture, clock: FixedClock, demo_store: DemoStoreHandle
) -> None:
    """The timer may not have looked yet: the worker checks the clock before each input."""
    voice = await _voice_agent(
        pinned_core, demo_store, caller_id=True, call_control=_control(max_duration_seconds=60)
    )
    async with pinned_core.channel() as channel:
        call, session, _ = await _open(voice, channel)
        clock.advance(timedelta(seconds=61))
        await call.send(dtmf=pb.DtmfInput(digits="1001", finish_digit="#"))
        goodbye = await call.turn()
        assert spoken(goodbye) == EN["call.time_up"] and "USER_UTTERANCE" not in events(goodbye)
        assert kinds(await call.rest()) == ["hang_up"]
    transcript = await _transcript(pinned_core, voice.key, session.name)
    assert not of_kind(transcript, "USER_UTTERANCE")


# --- slow store, a person joining ------------------------------------------------------------


async def test_a_slow_lookup_is_acknowledged_while_the_caller_waits(
    voice: Voice, demo_store: DemoStoreHandle
) -> None:
    async with voice.core.channel() as channel:
        call, session, _ = await _open(voice, channel)
        # a store that answers at once: no acknowledgement
        await call.send(speech=pb.SpeechInput(text="where is order 1001", is_final=True))
        fast = await call.turn()
        assert "acknowledgement" not in kinds(fast)

        demo_store.store.faults.latencyMs = 1600  # past the default 1000 ms
        await call.send(speech=pb.SpeechInput(text="and order 1001 again?", is_final=True))
        slow = await call.turn()
        # the caller's words (stored first), then "one moment" while the store is asked
        assert kinds(slow)[:2] == ["event", "acknowledgement"], kinds(slow)
        assert slow[0].event.event_type == audit_pb2.AUDIT_EVENT_TYPE_USER_UTTERANCE
        ack = slow[1].acknowledgement
        assert ack.text == EN["call.one_moment"] and ack.reply_id.startswith("rpl_")
        assert "on its way" in spoken(slow)

        # the store's lookups now typically take that long: the next is acknowledged as it
        # starts, before the wait (its own lookup is slow too)
        await call.send(speech=pb.SpeechInput(text="order 1001 please", is_final=True))
        assert kinds(await call.turn())[:2] == ["event", "acknowledgement"]
        demo_store.store.faults.latencyMs = 0
        # an acknowledgement is a reply like any other: it can be interrupted by its id
        await call.send(interrupt=pb.Interrupt(reply_id=ack.reply_id, played_chars=3))
        await call.stream.done_writing()
        assert await call.rest() == []
    transcript = await _transcript(voice.core, voice.key, session.name)
    fillers = of_kind(transcript, "FILLER")
    assert len(fillers) == 2 and fillers[0].payload["replyId"] == ack.reply_id
    assert fillers[0].payload["text"] == EN["call.one_moment"]
    assert of_kind(transcript, "REPLY_INTERRUPTED")[0].payload["heardText"] == ack.text[:3]


async def test_a_person_claiming_the_handoff_joins_the_call(voice: Voice) -> None:
    async with voice.core.channel() as channel:
        call, _, _ = await _open(voice, channel)
        await call.send(dtmf=pb.DtmfInput(digits="0"))
        pieces = await call.turn()
        (handoff,) = [p.handoff for p in pieces if p.WhichOneof("kind") == "handoff"]
        await handoff_grpc.HandoffServiceStub(channel).ClaimHandoff(
            handoff_pb.ClaimHandoffRequest(name=f"handoffs/{handoff.handoff_id}", claimed_by="Sam"),
            metadata=auth(voice.key),
        )
        joined = await call.next()
        assert joined.WhichOneof("kind") == "person_joined"
        assert joined.person_joined == pb.PersonJoined(
            handoff_id=handoff.handoff_id, claimed_by="Sam"
        )
        await handoff_grpc.HandoffServiceStub(channel).SendHandoffMessage(
            handoff_pb.SendHandoffMessageRequest(
                name=f"handoffs/{handoff.handoff_id}", content="Hi, Sam here. How can I help?"
            ),
            metadata=auth(voice.key),
        )
        words = await call.turn()
        assert spoken(words) == "Hi, Sam here. How can I help?"
        assert all(p.interruptible for p in deltas(words))
        await call.stream.done_writing()
        assert await call.rest() == []


def test_a_transfer_rule_may_name_a_silent_caller() -> None:
    from core.domain.conversations import transfer_for

    rules = [{"label": "Silent callers", "when": "Silence", "destination": "sip:desk@x.test"}]
    snapshot = {
        "agent": {"handoff_config": {"transfer_destination": DESK, "transfer_rules": rules}}
    }
    assert transfer_for(snapshot, "no_response") == ("sip:desk@x.test", False)
    assert transfer_for(snapshot, "requested") == (DESK, False)
