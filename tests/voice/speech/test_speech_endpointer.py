"""The endpointer finds where a caller's turns start and end in 20 ms frames."""

from __future__ import annotations

import pytest

from frontends.voice.speech import Endpointer, SpeechEngines, SpeechStarted, TurnEnded
from frontends.voice.speech.audio import duration_seconds, silence
from tests.voice.speech.conftest import over_a_phone_line

pytestmark = pytest.mark.asyncio(loop_scope="session")

LEAD, GAP = 0.5, 0.7


async def _speech_gap_speech(engines: SpeechEngines, rate: int) -> tuple[bytes, float, float]:
    """Speech, 700 ms of silence, speech; and where the gap starts and ends (seconds)."""
    first = await engines.synthesiser.synthesize_all("Where is my order?", rate)
    second = await engines.synthesiser.synthesize_all("It is number 1234.", rate)
    audio = silence(LEAD, rate) + first + silence(GAP, rate) + second + silence(1.0, rate)
    gap_start = LEAD + duration_seconds(first, rate)
    return audio, gap_start, gap_start + GAP


def _feed(endpointer: Endpointer, audio: bytes, rate: int) -> list[SpeechStarted | TurnEnded]:
    frame = 2 * rate // 50
    events = []
    for start in range(0, len(audio) - frame + 1, frame):
        events.extend(endpointer.feed(audio[start : start + frame]))
    return events


@pytest.mark.parametrize(("rate", "phone"), [(8000, True), (16000, False)])
async def test_two_utterances_apart_by_700_ms_are_two_turns(
    engines: SpeechEngines, rate: int, phone: bool
) -> None:
    audio, gap_start, gap_end = await _speech_gap_speech(engines, rate)
    if phone:
        audio = over_a_phone_line(audio)

    events = _feed(engines.endpointer(rate, trailing_silence_ms=500), audio, rate)

    kinds = [type(event) for event in events]
    assert kinds == [SpeechStarted, TurnEnded, SpeechStarted, TurnEnded]
    started_1, ended_1, started_2, ended_2 = events
    assert isinstance(ended_1, TurnEnded) and isinstance(ended_2, TurnEnded)
    assert isinstance(started_1, SpeechStarted) and isinstance(started_2, SpeechStarted)
    # Piper's audio starts and ends with a little silence of its own, hence the margins.
    assert LEAD - 0.05 <= started_1.at <= LEAD + 0.3
    assert gap_start - 0.4 <= ended_1.ended_at <= gap_start + 0.1
    assert gap_end - 0.1 <= started_2.at <= gap_end + 0.4
    assert ended_2.ended_at > started_2.at
    # Each turn carries its own audio, at the stream's rate, for the recogniser.
    assert ended_1.sample_rate == rate
    assert 0.5 < duration_seconds(ended_1.audio, rate) < gap_start - LEAD + 0.6


async def test_a_longer_trailing_silence_keeps_both_utterances_in_one_turn(
    engines: SpeechEngines,
) -> None:
    audio, _, _ = await _speech_gap_speech(engines, 8000)

    audio += silence(1.0, 8000)  # room for the longer silence to be noticed at the end

    events = _feed(engines.endpointer(8000, trailing_silence_ms=1000), audio, 8000)

    assert [type(event) for event in events] == [SpeechStarted, TurnEnded]


async def test_the_turn_can_be_recognised(engines: SpeechEngines) -> None:
    audio, _, _ = await _speech_gap_speech(engines, 8000)
    turns = [
        e
        for e in _feed(engines.endpointer(8000), over_a_phone_line(audio), 8000)
        if isinstance(e, TurnEnded)
    ]

    heard = await engines.recogniser.recognise(turns[1].audio, 8000)

    assert "1234" in heard.text


async def test_silence_and_a_dropped_call_end_cleanly(engines: SpeechEngines) -> None:
    endpointer = engines.endpointer(8000)
    assert _feed(endpointer, silence(3.0, 8000), 8000) == []
    assert endpointer.flush() is None

    speech = await engines.synthesiser.synthesize_all("Where is my order?", 8000)
    events = _feed(endpointer, silence(0.3, 8000) + speech[: len(speech) // 2], 8000)
    assert [type(e) for e in events] == [SpeechStarted]
    cut = endpointer.flush()  # the call dropped mid-turn: what was said is still there
    assert cut is not None and len(cut.audio) > 0 and not endpointer.in_speech


async def test_frames_of_the_wrong_size_or_rate_are_refused(engines: SpeechEngines) -> None:
    with pytest.raises(ValueError, match="320 bytes at 8000 Hz, got 640"):
        engines.endpointer(8000).feed(bytes(640))
    with pytest.raises(ValueError, match="unsupported sample rate 11025"):
        engines.endpointer(11025)
    with pytest.raises(ValueError, match="trailing_silence_ms"):
        engines.endpointer(8000, trailing_silence_ms=50)
