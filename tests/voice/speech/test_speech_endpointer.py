"""The endpointer finds where a caller's turns start and end in 20 ms frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from frontends.voice.speech import Endpointer, SpeechEngines, SpeechStarted, TurnEnded
from frontends.voice.speech.audio import as_int16, duration_seconds, silence
from tests.voice.speech.conftest import over_a_phone_line

pytestmark = pytest.mark.asyncio(loop_scope="session")

LEAD, GAP = 0.5, 0.7


def _voiced(pcm: bytes, rate: int) -> tuple[float, float]:
    """Where the speech in a clip really starts and ends (10 ms frames above 5 % of the
    loudest one's energy): Piper pads its audio with a little silence of its own."""
    samples = as_int16(pcm).astype(np.float64)
    step = rate // 100
    energy = [
        float(np.sqrt(np.mean(samples[i : i + step] ** 2))) for i in range(0, len(samples), step)
    ]
    loud = [i for i, e in enumerate(energy) if e > 0.05 * max(energy)]
    return loud[0] / 100, (loud[-1] + 1) / 100


@dataclass(frozen=True)
class Speech:
    audio: bytes
    first: tuple[float, float]  # where each utterance really is in `audio` (seconds)
    second: tuple[float, float]


async def _speech_gap_speech(engines: SpeechEngines, rate: int) -> Speech:
    """Speech, 700 ms of silence (beyond the clips' own padding), speech."""
    first = await engines.synthesiser.synthesize_all("Where is my order?", rate)
    second = await engines.synthesiser.synthesize_all("It is number 1234.", rate)
    audio = silence(LEAD, rate) + first + silence(GAP, rate) + second + silence(1.0, rate)
    offset = LEAD + duration_seconds(first, rate) + GAP
    (a0, a1), (b0, b1) = _voiced(first, rate), _voiced(second, rate)
    return Speech(audio, (LEAD + a0, LEAD + a1), (offset + b0, offset + b1))


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
    speech = await _speech_gap_speech(engines, rate)
    audio = over_a_phone_line(speech.audio) if phone else speech.audio

    events = _feed(engines.endpointer(rate, trailing_silence_ms=500), audio, rate)

    kinds = [type(event) for event in events]
    assert kinds == [SpeechStarted, TurnEnded, SpeechStarted, TurnEnded]
    started_1, ended_1, started_2, ended_2 = events
    assert isinstance(ended_1, TurnEnded) and isinstance(ended_2, TurnEnded)
    assert isinstance(started_1, SpeechStarted) and isinstance(started_2, SpeechStarted)
    found = [(started_1.at, ended_1.ended_at), (started_2.at, ended_2.ended_at)]
    # Within a VAD chunk or so of where the speech really is (32 ms chunks, 64 ms to be sure
    # it is speech, a trailing sound of low energy the VAD still hears).
    for (start, end), (true_start, true_end) in zip(
        found, [speech.first, speech.second], strict=True
    ):
        assert abs(start - true_start) <= 0.1
        assert abs(end - true_end) <= 0.15
    # Each turn carries its own audio, at the stream's rate, for the recogniser.
    assert ended_1.sample_rate == rate
    assert 0.5 < duration_seconds(ended_1.audio, rate) < GAP + speech.first[1] - LEAD


async def test_a_longer_trailing_silence_keeps_both_utterances_in_one_turn(
    engines: SpeechEngines,
) -> None:
    audio = (await _speech_gap_speech(engines, 8000)).audio

    audio += silence(1.0, 8000)  # room for the longer silence to be noticed at the end

    events = _feed(engines.endpointer(8000, trailing_silence_ms=1000), audio, 8000)

    assert [type(event) for event in events] == [SpeechStarted, TurnEnded]


async def test_the_turn_can_be_recognised(engines: SpeechEngines) -> None:
    audio = (await _speech_gap_speech(engines, 8000)).audio
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
