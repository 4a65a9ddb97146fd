"""The synthesiser speaks sentence by sentence at the caller's rate, has the greeting ready,
stops cleanly when the caller interrupts, and falls back to espeak-ng."""

from __future__ import annotations

import contextlib

import numpy as np
import pytest

from frontends.voice.speech import SpeechEngines, Synthesiser
from frontends.voice.speech.audio import as_int16, duration_seconds
from tests.voice.speech.conftest import GREETING

pytestmark = pytest.mark.asyncio(loop_scope="session")


def _loudness(pcm: bytes) -> float:
    return float(np.sqrt(np.mean(as_int16(pcm).astype(np.float64) ** 2)))


async def test_the_greeting_is_ready_before_the_first_caller(engines: SpeechEngines) -> None:
    assert engines.synthesiser.voice == "piper:en_US-joe-medium"
    assert engines.synthesiser.is_prepared(GREETING, 8000)

    chunks = [chunk async for chunk in engines.synthesiser.synthesize(GREETING, 8000)]

    # Whole, from the cache: the same audio every caller hears, not a new synthesis.
    assert len(chunks) == 1
    assert chunks[0] == await engines.synthesiser.synthesize_all(GREETING, 8000)
    assert duration_seconds(chunks[0], 8000) > 2.0 and _loudness(chunks[0]) > 500


@pytest.mark.parametrize("rate", [8000, 16000, 48000])
async def test_speech_comes_at_the_rate_asked_for(engines: SpeechEngines, rate: int) -> None:
    audio = await engines.synthesiser.synthesize_all("Your parcel is on its way.", rate)

    # About a second and a half of speech whatever the rate (Piper varies its pace a bit).
    assert 0.9 < duration_seconds(audio, rate) < 3.0
    assert _loudness(audio) > 500


async def test_sentences_stream_one_by_one_and_a_barge_in_leaves_the_worker_clean(
    engines: SpeechEngines,
) -> None:
    text = (
        "Your order shipped on Monday. It is with UPS. "
        "The tracking number is on its way to your email. Is there anything else?"
    )
    chunks = engines.synthesiser.synthesize(text, 8000)
    async with contextlib.aclosing(chunks):
        first = await anext(chunks)  # the caller spoke over the first sentence
    assert 0.5 < duration_seconds(first, 8000) < 3.0

    # The next request gets its own audio, not the tail of the interrupted one.
    after = await engines.synthesiser.synthesize_all("Goodbye.", 8000)
    assert 0.2 < duration_seconds(after, 8000) < 1.5


async def test_an_unsupported_rate_or_empty_text(engines: SpeechEngines) -> None:
    with pytest.raises(ValueError, match="unsupported output rate 44100"):
        await engines.synthesiser.synthesize_all("Hello.", 44100)
    assert await engines.synthesiser.synthesize_all("   ", 8000) == b""


async def test_the_voice_varies_as_trained_by_default_and_not_at_all_with_variation_0(
    engines: SpeechEngines,
) -> None:
    text = "Your parcel is on its way."
    repeatable = {await engines.synthesiser.synthesize_all(text, 8000) for _ in range(3)}
    assert len(repeatable) == 1  # the tests' engines: variation 0

    natural = Synthesiser.with_worker(8000)
    try:
        renderings = {await natural.synthesize_all(text, 8000) for _ in range(3)}
    finally:
        await natural.close()
    assert len(renderings) > 1
    assert all(0.9 < duration_seconds(audio, 8000) < 3.0 for audio in renderings)


async def test_espeak_ng_speaks_when_the_piper_voice_cannot_load() -> None:
    synthesiser = Synthesiser.with_worker(8000, piper_model="/nonexistent/voice.onnx")
    try:
        await synthesiser.start()
        assert synthesiser.voice == "espeak-ng:en-us"
        assert "voice.onnx" in synthesiser.worker.description["piper_problem"]

        audio = await synthesiser.synthesize_all("Your order shipped with UPS.", 8000)

        assert 1.0 < duration_seconds(audio, 8000) < 5.0 and _loudness(audio) > 500
    finally:
        await synthesiser.close()
