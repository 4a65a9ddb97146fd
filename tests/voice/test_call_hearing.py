"""A caller's turn as the core receives it: a grammar's answer counts when Whisper hears the
same; when they differ Whisper's words go, with Whisper's own confidence."""

from __future__ import annotations

import pytest

from frontends.voice.hearing import AGREED_CONFIDENCE, hear
from frontends.voice.speech import Expecting, SpeechEngines
from tests.voice.conftest import over_a_phone_line

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _heard(engines: SpeechEngines, said: str, expecting: Expecting):  # type: ignore[no-untyped-def]
    audio = over_a_phone_line(await engines.synthesiser.synthesize_all(said, 8000))
    return await hear(engines.recogniser, audio, 8000, expecting)


@pytest.mark.parametrize(
    ("said", "expecting", "text"),
    [
        ("one two three four", Expecting.DIGITS, "1234"),
        ("yes please", Expecting.YES_NO, "yes"),
        ("no, it is not", Expecting.YES_NO, "no"),
    ],
)
async def test_two_recognisers_agreeing_are_heard_with_confidence(
    engines: SpeechEngines, said: str, expecting: Expecting, text: str
) -> None:
    heard = await _heard(engines, said, expecting)
    assert heard.text == text and heard.is_final
    assert heard.engine == f"grammar:{expecting.value}"
    assert heard.confidence >= AGREED_CONFIDENCE


async def test_when_the_recognisers_differ_whisper_is_believed(engines: SpeechEngines) -> None:
    # asked for digits, the caller answers in words: the grammar can only fit digits
    heard = await _heard(engines, "I don't know it, sorry.", Expecting.DIGITS)
    assert heard.engine == "whisper" and "know" in heard.text.lower()
    assert heard.confidence < AGREED_CONFIDENCE


async def test_free_speech_is_whispers_alone(engines: SpeechEngines) -> None:
    heard = await _heard(engines, "Where is my parcel?", Expecting.FREE)
    assert heard.engine == "whisper" and "parcel" in heard.text.lower()
