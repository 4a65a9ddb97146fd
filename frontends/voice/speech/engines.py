"""Every speech engine of one voice frontend process, started once and shared by its calls.

    engines = await SpeechEngines.start(greetings=["Hello, this is Acme."])
    endpointer = engines.endpointer(8000)          # one per call
    async for chunk in engines.synthesiser.synthesize("Your order shipped."): ...
    result = await engines.recogniser.recognise(turn.audio, 8000, Expecting.DIGITS)
    await engines.close()

Three worker processes (TTS, Whisper, pocketsphinx), one thread each; the VAD runs in this
process on a shared onnxruntime session (microseconds per chunk).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from frontends.voice.speech.audio import TELEPHONE_RATE
from frontends.voice.speech.endpointer import Endpointer
from frontends.voice.speech.models import offline_environment
from frontends.voice.speech.recognition import Recogniser
from frontends.voice.speech.synthesis import Synthesiser
from frontends.voice.speech.vad import VadStream, shared_session


@dataclass
class SpeechEngines:
    synthesiser: Synthesiser
    recogniser: Recogniser

    @classmethod
    async def start(
        cls,
        *,
        greetings: Iterable[str] = (),
        output_rate: int = TELEPHONE_RATE,
        tts_options: dict[str, Any] | None = None,
    ) -> SpeechEngines:
        """Start the workers side by side, load the VAD, and synthesise `greetings` ahead."""
        offline_environment()
        synthesiser = Synthesiser.with_worker(output_rate, **(tts_options or {}))
        recogniser = Recogniser.with_workers()
        engines = cls(synthesiser, recogniser)
        try:
            await asyncio.gather(synthesiser.start(), recogniser.start())
            await asyncio.to_thread(shared_session)
            await synthesiser.prepare(greetings)
        except BaseException:
            await engines.close()
            raise
        return engines

    def endpointer(self, sample_rate: int, **options: Any) -> Endpointer:
        """A fresh endpointer for one call leg (its own VAD state, the shared model)."""
        return Endpointer(sample_rate, vad=VadStream(shared_session()), **options)

    async def close(self) -> None:
        await asyncio.gather(self.synthesiser.close(), self.recogniser.close())
