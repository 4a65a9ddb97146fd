"""Partial results arrive while the caller is still keying in words, then the final one."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from frontends.voice.speech import Expecting, LiveGrammar, SpeechEngines
from frontends.voice.speech.audio import silence
from tests.voice.speech.conftest import over_a_phone_line

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_digits_said_at_the_pace_of_a_call_give_partials_before_the_turn_ends(
    engines: SpeechEngines,
) -> None:
    audio = over_a_phone_line(
        await engines.synthesiser.synthesize_all("one two three four", 8000)
    ) + silence(0.3, 8000)
    live = LiveGrammar(engines.recogniser, 8000, Expecting.DIGITS, interval_ms=200)
    frame = 320  # 20 ms at 8 kHz

    heard_while_speaking = []
    for start in range(0, len(audio) - frame + 1, frame):
        live.feed(audio[start : start + frame])
        await asyncio.sleep(0.02)  # the audio arrives in real time, as on a call
        while not live.partials.empty():
            heard_while_speaking.append(live.partials.get_nowait())
    final = await live.finish()

    assert heard_while_speaking, "no partial result while the caller was speaking"
    assert all(not p.is_final and p.text.isdigit() for p in heard_while_speaking)
    texts = [p.text for p in heard_while_speaking]
    assert all(a != b for a, b in itertools.pairwise(texts))  # only when it changes
    assert final.is_final and final.text == "1234"


async def test_free_speech_has_no_partials_and_says_why(engines: SpeechEngines) -> None:
    with pytest.raises(ValueError, match="Whisper reads whole turns"):
        LiveGrammar(engines.recogniser, 8000, Expecting.FREE)
