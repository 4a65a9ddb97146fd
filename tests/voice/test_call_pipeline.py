"""A phone call through the voice frontend's per-call pipeline, over a real core with the
built-in brain and the demo store: a caller (a loopback audio leg fed with speech the TTS
made, sent over a μ-law line) speaks and keys; what the call plays back is transcribed by the
project's own recogniser.

Every test starts its own core; the speech workers are shared by the session (tests/voice/
conftest.py), as the voice frontend shares them across calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import grpc
import pytest
import pytest_asyncio

from demostore import DemoStoreHandle, start_demo_store
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from frontends.voice.call import Call, CallOutcome, Ending
from frontends.voice.leg import Digit
from frontends.voice.loopback import LoopbackLeg
from frontends.voice.speech import Expecting, SpeechEngines
from tests.conftest import ALL_SCOPES, BACKENDS, CoreFixture, serving_core
from tests.conversations.test_converse import AVA, DESK, Voice, _voice_agent, kind
from tests.core.helpers import auth
from tests.shopify.fixtures import store_example
from tests.voice.conftest import over_a_phone_line

pytestmark = pytest.mark.asyncio(loop_scope="session")

SPEED = 2.0  # the leg runs twice as fast as a phone line: the endpointer counts frames
_BYTES_PER_SECOND = 16000
GREETING = "Hi, this is Ava from Example Outfitters."  # _voice_agent's


# The speech workers live on the session's event loop, so the core and the store do too.
@pytest_asyncio.fixture(loop_scope="session", params=BACKENDS)
async def core(
    request: pytest.FixtureRequest, tmp_path: Path, master_key: str
) -> AsyncIterator[CoreFixture]:
    async with serving_core(request, tmp_path, master_key) as served:
        yield served


@pytest_asyncio.fixture(loop_scope="session")
async def demo_store() -> AsyncIterator[DemoStoreHandle]:
    handle = await start_demo_store(store_example())
    try:
        yield handle
    finally:
        await handle.stop()


class Phone:
    """A call in progress: its leg (the caller's handset) and the pipeline's task."""

    def __init__(self, voice: Voice, engines: SpeechEngines, leg: LoopbackLeg, **options: object):
        self.voice, self.engines, self.leg = voice, engines, leg
        self._channel = grpc.aio.insecure_channel(voice.core.target)
        self.call = Call(
            leg,
            engines,
            pb_grpc.ConversationServiceStub(self._channel),
            auth(voice.key),
            agent_id=voice.agent_id,
            **options,  # type: ignore[arg-type]
        )
        self.task = asyncio.create_task(self.call.run())

    async def say(self, text: str) -> None:
        audio = await self.engines.synthesiser.synthesize_all(text, 8000)
        self.leg.say(over_a_phone_line(audio))

    async def listened(self, *, after: int = 0, quiet: float = 1.2, limit: float = 60) -> int:
        """Wait until the call has played something past byte `after` and then gone quiet
        for `quiet` seconds; where the heard audio ends."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + limit
        last, still_since = len(self.leg.heard), loop.time()
        while loop.time() < deadline:
            await asyncio.sleep(0.05)
            now = len(self.leg.heard)
            if now != last:
                last, still_since = now, loop.time()
            elif now > after and loop.time() - still_since >= quiet:
                return now
        raise AssertionError(f"nothing more was played after {after} bytes")

    async def answer(self, text: str, after: int) -> tuple[str, int]:
        """Say `text` and hear the reply, saying it again (twice at most) when asked to, as a
        caller does: Whisper tiny's confidence on a phone line is near the core's threshold
        (0.45) for some alignments of the audio with the VAD's chunks, and then the agent
        asks again rather than act on a doubtful hearing."""
        for _ in range(3):
            await self.say(text)
            end = await self.listened(after=after)
            reply = await self.heard_text(after)
            if "again" not in reply.lower():
                break
            after = end
        return reply, end

    async def heard_text(self, start: int = 0) -> str:
        audio = bytes(self.leg.heard[start:])
        return (await self.engines.recogniser.recognise(audio, 8000, Expecting.FREE)).text

    async def ended(self, limit: float = 60) -> CallOutcome:
        try:
            return await asyncio.wait_for(self.task, limit)
        finally:
            await self._channel.close()


async def _session_events(voice: Voice, session: str) -> list[str]:
    async with voice.core.channel() as channel:
        reply = await pb_grpc.ConversationServiceStub(channel).ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session, page_size=200), metadata=auth(voice.key)
        )
    return [kind(e) for e in reply.events]


async def _events(voice: Voice, session: str) -> list:  # type: ignore[type-arg]
    async with voice.core.channel() as channel:
        reply = await pb_grpc.ConversationServiceStub(channel).ListSessionEvents(
            pb.ListSessionEventsRequest(parent=session, page_size=200), metadata=auth(voice.key)
        )
    return list(reply.events)


async def _until(condition: Callable[[], bool], limit: float = 30) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while not condition():
        assert loop.time() < deadline, "timed out waiting"
        await asyncio.sleep(0.05)


# --- the status, spoken or keyed ----------------------------------------------------------


async def test_a_spoken_order_number_and_zip_code_bring_the_status_as_audio(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=False)
    phone = Phone(voice, engines, LoopbackLeg(AVA, speed=SPEED))
    greeting_end = await phone.listened()
    assert "Example Outfitters" in await phone.heard_text(), "the greeting is played at once"

    asked, asked_end = await phone.answer("Where is order number one zero zero one?", greeting_end)
    asked = asked.lower()
    assert "zip code" in asked or "email" in asked, asked  # identity first, nothing disclosed
    assert "ups" not in asked

    told, told_end = await phone.answer("My zip code is nine seven two zero nine.", asked_end)
    assert "on its way" in told.lower() and "UPS" in told, told

    phone.leg.drop()
    outcome = await phone.ended()
    assert outcome.ending is Ending.CALLER_HUNG_UP
    assert told_end <= len(phone.leg.heard)
    names = await _session_events(voice, outcome.session_name)
    assert "VERIFICATION" in names and names[-1] == "CALL_ENDED"


async def test_a_keyed_order_number_with_caller_id_brings_the_status_as_audio(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)
    phone = Phone(voice, engines, LoopbackLeg(AVA, speed=SPEED))
    greeting_end = await phone.listened()

    # the greeting is kept for the next call to this agent, so it plays without waiting on TTS
    await _until(lambda: engines.synthesiser.is_prepared(GREETING))

    phone.leg.key("1001#")
    await phone.listened(after=greeting_end)
    told = await phone.heard_text(greeting_end)
    assert "on its way" in told.lower() and "UPS" in told, told

    phone.leg.drop()
    outcome = await phone.ended()
    events = await _events(voice, outcome.session_name)
    keyed = [e.payload["dtmf"] for e in events if kind(e) == "USER_UTTERANCE"]
    assert keyed == ["1001#"]


async def test_digits_keyed_without_hash_are_sent_after_a_pause(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)
    phone = Phone(voice, engines, LoopbackLeg(AVA, speed=SPEED), keypad_pause=0.8)
    greeting_end = await phone.listened()

    phone.leg.key("1001")
    await phone.listened(after=greeting_end)
    assert "UPS" in await phone.heard_text(greeting_end)

    phone.leg.drop()
    outcome = await phone.ended()
    events = await _events(voice, outcome.session_name)
    assert [e.payload["dtmf"] for e in events if kind(e) == "USER_UTTERANCE"] == ["1001"]


# --- barge-in -------------------------------------------------------------------------------


async def test_speaking_over_the_status_stops_it_and_the_core_records_what_was_heard(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)
    phone = Phone(voice, engines, LoopbackLeg(AVA, speed=SPEED))
    greeting_end = await phone.listened()
    interruption = over_a_phone_line(
        await engines.synthesiser.synthesize_all("Sorry, when will it arrive?", 8000)
    )

    phone.leg.key("1001#")
    # two seconds into the status, the caller speaks over it
    await _until(lambda: len(phone.leg.heard) > greeting_end + 2 * _BYTES_PER_SECOND)
    phone.leg.say(interruption)
    await _until(lambda: bool(phone.leg.stops))
    await phone.listened(after=len(phone.leg.heard))  # the answer to the interruption

    phone.leg.drop()
    outcome = await phone.ended()
    events = await _events(voice, outcome.session_name)
    (cut,) = [e for e in events if kind(e) == "REPLY_INTERRUPTED"]
    replies = [dict(e.payload) for e in events if kind(e) == "AGENT_MESSAGE"]
    heard = cut.payload["heardText"]
    (status,) = [r["text"] for r in replies if "UPS" in r["text"]]  # the reply that was cut
    assert 0 < cut.payload["playedChars"] < cut.payload["replyChars"] == len(status)
    assert heard and status.startswith(heard) and "UPS" not in heard
    # the reply stopped within the interruption's first words (under a second of the reply
    # played over them), and what the core recorded is about what was played
    (spoke,) = phone.leg.spoke_at
    assert 0 <= phone.leg.stopped_at[0] - spoke < _BYTES_PER_SECOND
    # and the caller's words after it were heard and answered
    said = [dict(e.payload).get("text", "") for e in events if kind(e) == "USER_UTTERANCE"]
    assert any("arrive" in s.lower() for s in said), said


# --- silence --------------------------------------------------------------------------------


async def test_silence_brings_the_reminder_and_then_the_agents_hang_up(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(
        core,
        demo_store,
        caller_id=True,
        call_control=agent_pb.CallControl(idle_reminder_seconds=2, on_no_response_action="hang_up"),
    )
    leg = LoopbackLeg(AVA, speed=SPEED)
    phone = Phone(voice, engines, leg, no_input_every=0.5)
    greeting_end = await phone.listened()

    await asyncio.wait_for(leg.hung_up.wait(), 60)
    outcome = await phone.ended()
    assert outcome.ending is Ending.AGENT_HUNG_UP and outcome.hang_up_reason == "no_response"
    heard = (await phone.heard_text(greeting_end)).lower()
    assert "still there" in heard or "are you there" in heard, heard
    events = await _events(voice, outcome.session_name)
    assert [e.payload["action"] for e in events if kind(e) == "NO_INPUT"] == ["remind", "hang_up"]
    assert kind(events[-1]) == "CALL_ENDED" and events[-1].payload["reason"] == "no_response"


# --- a person -------------------------------------------------------------------------------


async def test_zero_keyed_transfers_the_call_through_the_callback(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)
    placed: list[pb.Transfer] = []

    async def transfer(to: pb.Transfer) -> pb.TransferResult:
        placed.append(to)
        return pb.TransferResult(outcome=pb.TRANSFER_OUTCOME_ANSWERED, destination=to.destination)

    leg = LoopbackLeg(AVA, speed=SPEED)
    phone = Phone(voice, engines, leg, on_transfer=transfer)
    greeting_end = await phone.listened()

    leg.key("0")
    await asyncio.wait_for(leg.hung_up.wait(), 60)  # a person answered: the agent is done
    outcome = await phone.ended()
    assert placed == [pb.Transfer(destination=DESK, warm=True)]
    assert outcome.transfers == placed and outcome.hang_up_reason == "transferred"
    assert len(leg.heard) > greeting_end + _BYTES_PER_SECOND, "the transfer line was played"
    assert not leg.stops, "nothing cut the transfer line"
    events = await _events(voice, outcome.session_name)
    names = [kind(e) for e in events]
    assert "HANDOFF" in names or "HANDOFF_CREATED" in names or any("HANDOFF" in n for n in names)
    assert [e.payload["outcome"] for e in events if kind(e) == "TRANSFER_RESULT"] == ["answered"]


async def test_a_failed_transfer_is_reported_and_the_caller_stays_with_the_agent(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)

    async def transfer(to: pb.Transfer) -> pb.TransferResult:
        raise ConnectionError("trunk down")

    leg = LoopbackLeg(AVA, speed=SPEED)
    phone = Phone(voice, engines, leg, on_transfer=transfer)
    greeting_end = await phone.listened()
    leg.key("0")
    await phone.listened(after=greeting_end, quiet=2.5)
    assert not leg.hung_up.is_set()

    leg.drop()
    outcome = await phone.ended()
    events = await _events(voice, outcome.session_name)
    assert [e.payload["outcome"] for e in events if kind(e) == "TRANSFER_RESULT"] == ["failed"]


# --- the line drops -------------------------------------------------------------------------


async def test_the_caller_hanging_up_mid_reply_ends_the_call_in_the_core(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)
    leg = LoopbackLeg(AVA, speed=SPEED)
    phone = Phone(voice, engines, leg)
    greeting_end = await phone.listened()

    leg.key("1001#")
    await _until(lambda: len(leg.heard) > greeting_end + _BYTES_PER_SECOND // 2)
    leg.drop()
    outcome = await phone.ended(limit=15)
    assert outcome.ending is Ending.CALLER_HUNG_UP
    played = len(leg.heard)
    await asyncio.sleep(0.5)
    assert len(leg.heard) == played, "nothing is played to a line that is gone"
    async with voice.core.channel() as channel:
        got = await pb_grpc.ConversationServiceStub(channel).GetSession(
            pb.GetSessionRequest(name=outcome.session_name), metadata=auth(voice.key)
        )
    assert got.session.status == pb.SESSION_STATUS_ENDED
    events = await _events(voice, outcome.session_name)
    assert kind(events[-1]) == "CALL_ENDED" and events[-1].payload["reason"] == "caller_hung_up"


# --- refused calls ----------------------------------------------------------------------------


async def test_a_call_the_core_refuses_is_hung_up_with_the_reason(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)
    # a key without calls:caller_id may not pass the caller's number
    plain = Voice(core, await core.new_org_key(ALL_SCOPES), voice.agent_id)
    for who, expected in ((plain, "PERMISSION_DENIED"), (Voice(core, voice.key, "nope"), "")):
        leg = LoopbackLeg(AVA, speed=SPEED)
        phone = Phone(who, engines, leg)
        outcome = await phone.ended(limit=15)
        assert leg.hung_up.is_set() and outcome.ending is Ending.FAILED
        assert outcome.error.startswith(expected or ("NOT_FOUND", "INVALID_ARGUMENT")), outcome
        assert not leg.heard


async def test_an_order_number_said_when_asked_for_is_read_by_the_digit_grammar(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)
    phone = Phone(voice, engines, LoopbackLeg(AVA, speed=SPEED))
    greeting_end = await phone.listened()

    asked, asked_end = await phone.answer("Where is my order?", greeting_end)
    assert "order number" in asked.lower()

    told, _ = await phone.answer("one zero zero one", asked_end)  # as a caller gives it
    assert "on its way" in told.lower() and "UPS" in told, told

    phone.leg.drop()
    outcome = await phone.ended()
    assert outcome.partials > 0, "the core heard the digits as the caller said them"
    events = await _events(voice, outcome.session_name)
    said = [dict(e.payload).get("text") for e in events if kind(e) == "USER_UTTERANCE"]
    assert said[-1] == "1001", said


class _BrokenLeg(LoopbackLeg):
    """A line whose media fails (a socket error, say) once the caller has keyed."""

    async def received(self) -> AsyncIterator[bytes | Digit]:
        async for item in super().received():
            yield item
            if isinstance(item, Digit) and item.key == "#":
                raise OSError("the media socket broke")


async def test_a_leg_that_fails_ends_the_call_in_the_core(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)
    leg = _BrokenLeg(AVA, speed=SPEED)
    phone = Phone(voice, engines, leg)
    await phone.listened()

    leg.key("1001#")
    outcome = await phone.ended(limit=15)
    assert outcome.ending is Ending.CALLER_HUNG_UP
    events = await _events(voice, outcome.session_name)
    assert kind(events[-1]) == "CALL_ENDED" and events[-1].payload["reason"] == "caller_hung_up"


async def test_a_slow_store_is_acknowledged_out_loud_before_the_status(
    core: CoreFixture, demo_store: DemoStoreHandle, engines: SpeechEngines
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=True)
    phone = Phone(voice, engines, LoopbackLeg(AVA, speed=SPEED))
    greeting_end = await phone.listened()

    demo_store.store.faults.latencyMs = 1600  # past the core's 1000 ms for "one moment"
    phone.leg.key("1001#")
    await phone.listened(after=greeting_end)
    demo_store.store.faults.latencyMs = 0
    told = await phone.heard_text(greeting_end)
    assert "one moment" in told.lower() and "UPS" in told, told
    assert told.lower().index("one moment") < told.index("UPS")

    phone.leg.drop()
    await phone.ended()
