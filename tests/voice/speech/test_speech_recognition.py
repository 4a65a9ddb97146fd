"""Speech the TTS makes, sent over a phone line, is understood by the project's recognisers."""

from __future__ import annotations

import pytest

from frontends.voice.speech import Expecting, SpeechEngines
from tests.voice.speech.conftest import over_a_phone_line

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def _phone_audio(engines: SpeechEngines, text: str) -> bytes:
    return over_a_phone_line(await engines.synthesiser.synthesize_all(text, 8000))


async def test_a_status_sentence_over_a_phone_line_names_the_status_and_carrier(
    engines: SpeechEngines,
) -> None:
    audio = await _phone_audio(engines, "Your order 1234 shipped with UPS.")

    heard = await engines.recogniser.recognise(audio, 8000, Expecting.FREE)

    assert "shipped" in heard.text.lower()
    assert "UPS" in heard.text
    assert "1234" in heard.text  # Whisper's "1,234" reaches the core as digits
    assert heard.is_final and heard.language == "en" and heard.engine == "whisper"
    assert 0.0 < heard.confidence <= 1.0


async def test_spoken_digits_are_read_by_the_digit_grammar_with_partials_first(
    engines: SpeechEngines,
) -> None:
    audio = await _phone_audio(engines, "one two three four")

    results = [r async for r in engines.recogniser.recognise_stream(audio, 8000, "digits")]

    final = results[-1]
    assert final.text == "1234"
    assert final.is_final and final.engine == "grammar:digits"
    partials = results[:-1]
    assert partials and not any(r.is_final for r in partials)
    assert all(r.text.isdigit() for r in partials if r.text)


@pytest.mark.parametrize(
    ("spoken", "meaning"),
    [("Yes, that is right.", "yes"), ("Nope, that is wrong.", "no"), ("No, it is not.", "no")],
)
async def test_a_yes_or_no_answer_reaches_the_core_as_yes_or_no(
    engines: SpeechEngines, spoken: str, meaning: str
) -> None:
    audio = await _phone_audio(engines, spoken)

    heard = await engines.recogniser.recognise(audio, 8000, Expecting.YES_NO)

    # The grammar answers, or Whisper when the grammar found no complete answer; either
    # way the core reads one word.
    assert heard.text == meaning
    assert heard.engine in ("grammar:yes_no", "whisper")


async def test_wideband_audio_is_recognised_without_the_phone_line(
    engines: SpeechEngines,
) -> None:
    audio = await engines.synthesiser.synthesize_all("nine oh one two", 16000)

    heard = await engines.recogniser.recognise(audio, 16000, Expecting.DIGITS)

    assert heard.text == "9012"


async def test_silence_is_heard_as_nothing(engines: SpeechEngines) -> None:
    heard = await engines.recogniser.recognise(bytes(16000), 8000, Expecting.FREE)

    assert heard.text == "" and heard.confidence == 0.0 and heard.is_final


async def test_audio_at_an_unsupported_rate_is_refused_with_a_reason(
    engines: SpeechEngines,
) -> None:
    with pytest.raises(ValueError, match="unsupported sample rate 44100"):
        await engines.recogniser.recognise(bytes(4410), 44100)
    with pytest.raises(ValueError, match="2-byte samples"):
        await engines.recogniser.recognise(b"\x00\x01\x02", 8000)
    with pytest.raises(ValueError, match="not a valid Expecting"):
        await engines.recogniser.recognise(bytes(1600), 8000, "email")  # type: ignore[arg-type]
