"""One set of speech workers for every voice test: loading the models takes seconds, and the
workers are built to be shared (the voice frontend shares them across calls too)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from frontends.voice.speech import SpeechEngines, pcm16_to_ulaw, ulaw_to_pcm16

GREETING = "Hello, you have reached the order desk. How can I help?"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def engines() -> AsyncIterator[SpeechEngines]:
    # Piper varies each rendering at random (its noise), and a few renderings in a hundred
    # are ones Whisper mishears ("ship" for "shipped"); with the variation off, a sentence
    # sounds the same on every run, so a test's outcome does not depend on the draw.
    # test_speech_synthesis.py checks the default voice too; bench/speech.py uses it.
    started = await SpeechEngines.start(greetings=[GREETING], tts_options={"variation": 0.0})
    yield started
    await started.close()


def over_a_phone_line(pcm_8k: bytes) -> bytes:
    """What reaches the far end of a G.711 call: μ-law there and back."""
    return ulaw_to_pcm16(pcm16_to_ulaw(pcm_8k))
