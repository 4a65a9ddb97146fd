"""The frontend's side of speech recognition: what the caller said, as the core reads it.

    result = await recogniser.recognise(turn.audio, turn.sample_rate, expecting=Expecting.DIGITS)

What the dialogue is waiting for picks the recogniser. Free speech goes to Whisper tiny.en
(its text normalised: "941-09" → "94109"); digits, yes/no and postcodes go to a pocketsphinx
grammar, which cannot hear anything else and so holds up on telephone audio, and which gives
partial results (`recognise_stream`). When a grammar hears nothing it fits, Whisper is asked
instead, so a caller who answers in a sentence is still understood.

Audio is PCM16 at 8 kHz (telephone; decode μ-law with `audio.ulaw_to_pcm16`) or 16 kHz; both
recognisers read 16 kHz, and the resampling (soxr, a millisecond or two) happens here.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np

from frontends.voice.speech.audio import RECOGNITION_RATE, to_recognition_rate
from frontends.voice.speech.grammar_engine import yes_or_no
from frontends.voice.speech.normalise import normalise_transcript
from frontends.voice.speech.worker import EngineWorker

WHISPER_ENGINE = "frontends.voice.speech.whisper_engine:WhisperEngine"
GRAMMAR_ENGINE = "frontends.voice.speech.grammar_engine:GrammarEngine"


class Expecting(StrEnum):
    """What the dialogue waits for, which decides the recogniser."""

    FREE = "free"
    DIGITS = "digits"
    YES_NO = "yes_no"
    POSTCODE = "postcode"


@dataclass(frozen=True)
class Recognition:
    """What the caller said: `text` for the core, partial (`is_final` false) or final."""

    text: str
    is_final: bool
    confidence: float
    language: str
    engine: str


class Recogniser:
    """Whisper for free speech, pocketsphinx grammars for the rest; both in worker processes
    shared by every call."""

    def __init__(self, general: EngineWorker, grammar: EngineWorker) -> None:
        self._general = general
        self._grammar = grammar

    @classmethod
    def with_workers(cls) -> Recogniser:
        """A recogniser with its own two workers (not started: `await .start()`)."""
        return cls(EngineWorker("asr", WHISPER_ENGINE), EngineWorker("grammar", GRAMMAR_ENGINE))

    @property
    def workers(self) -> tuple[EngineWorker, EngineWorker]:
        return self._general, self._grammar

    async def start(self) -> None:
        for worker in self.workers:
            await worker.start()

    async def transcribe(self, pcm16_16k: bytes) -> Recognition:
        """Free speech at 16 kHz through Whisper."""
        return await self._whisper(to_recognition_rate(pcm16_16k, RECOGNITION_RATE))

    async def recognise(
        self, pcm: bytes, sample_rate: int, expecting: Expecting = Expecting.FREE
    ) -> Recognition:
        """The final result for one utterance."""
        final: Recognition | None = None
        async with contextlib.aclosing(self.recognise_stream(pcm, sample_rate, expecting)) as it:
            async for result in it:
                final = result
        assert final is not None and final.is_final
        return final

    async def recognise_stream(
        self, pcm: bytes, sample_rate: int, expecting: Expecting = Expecting.FREE
    ) -> AsyncGenerator[Recognition, None]:
        """Partial results as a grammar hears them, then the final one."""
        expecting = Expecting(expecting)
        samples = to_recognition_rate(pcm, sample_rate)
        if expecting is Expecting.FREE:
            yield await self._whisper(samples)
            return
        final: dict[str, Any] = {}
        async with contextlib.aclosing(
            self._grammar.stream("decode", (expecting.value, samples))
        ) as results:
            async for result in results:
                if result["is_final"]:
                    final = result
                else:
                    yield _from_grammar(result, expecting)
        if final.get("text"):
            yield _from_grammar(final, expecting)
            return
        heard = await self._whisper(samples)
        if expecting is Expecting.YES_NO and yes_or_no(heard.text):
            heard = dataclasses.replace(heard, text=yes_or_no(heard.text))
        yield heard

    async def best_so_far(self, pcm: bytes, sample_rate: int, expecting: Expecting) -> Recognition:
        """What a grammar makes of an utterance still in progress (a partial result): its
        answer if the words so far complete one, else its best path so far. No Whisper."""
        expecting = Expecting(expecting)
        if expecting is Expecting.FREE:
            raise ValueError("free speech has no partial results: Whisper reads whole turns")
        best: dict[str, Any] = {"text": "", "is_final": False, "confidence": 0.0}
        samples = to_recognition_rate(pcm, sample_rate)
        async with contextlib.aclosing(
            self._grammar.stream("decode", (expecting.value, samples))
        ) as results:
            async for result in results:
                if result["text"]:
                    best = dict(result, is_final=False)
        return _from_grammar(best, expecting)

    async def _whisper(self, samples: np.ndarray) -> Recognition:
        result = await self._general.call("transcribe", samples)
        return Recognition(
            text=normalise_transcript(result["text"]),
            is_final=True,
            confidence=float(result["confidence"]),
            language=str(result["language"]),
            engine="whisper",
        )

    async def close(self) -> None:
        for worker in self.workers:
            await worker.close()


def _from_grammar(result: dict[str, Any], expecting: Expecting) -> Recognition:
    return Recognition(
        text=str(result["text"]),
        is_final=bool(result["is_final"]),
        confidence=float(result["confidence"]),
        language="en",  # pocketsphinx's bundled model is US English
        engine=f"grammar:{expecting.value}",
    )
