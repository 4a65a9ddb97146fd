"""The frontend's side of speech synthesis: sentences in, PCM16 chunks out, never blocking.

    async for chunk in synthesiser.synthesize("Your order shipped.", sample_rate=8000): ...

The work happens in the TTS worker process (Piper, or espeak-ng when Piper cannot speak;
both GPL-3.0+, which is one more reason they live in a process of their own). Fixed prompts,
the greeting first of all, are synthesised ahead with `prepare` and kept, keyed by the
text, the voice and the rate, so a caller hears the greeting at once instead of waiting for
a synthesis that competes with the recogniser for the cores.
"""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import AsyncGenerator, Iterable
from typing import Any

# Not tts_engine: that module (and Piper, GPL-3.0+) is only ever imported by the worker.
from frontends.voice.speech.audio import OUTPUT_RATES, TELEPHONE_RATE
from frontends.voice.speech.worker import EngineWorker

TTS_ENGINE = "frontends.voice.speech.tts_engine:TtsEngine"
# Enough for every agent's greeting and fixed prompts at a couple of rates; bounded so a
# stream of different texts cannot grow the process.
_CACHE_ENTRIES = 256


class Synthesiser:
    """Speaks through one shared TTS worker; caches prepared prompts."""

    def __init__(self, worker: EngineWorker, default_rate: int = TELEPHONE_RATE) -> None:
        self._check_rate(default_rate)
        self._worker = worker
        self.default_rate = default_rate
        self._cache: OrderedDict[tuple[str, str, int], bytes] = OrderedDict()

    @classmethod
    def with_worker(cls, default_rate: int = TELEPHONE_RATE, **options: Any) -> Synthesiser:
        """A synthesiser with its own worker (not started: `await .start()`)."""
        return cls(EngineWorker("tts", TTS_ENGINE, dict(options)), default_rate)

    @property
    def worker(self) -> EngineWorker:
        return self._worker

    @property
    def voice(self) -> str:
        """The voice speaking ("piper:en_US-joe-medium" or "espeak-ng:en-us")."""
        return str(self._worker.description.get("voice", ""))

    async def start(self) -> None:
        await self._worker.start()

    @staticmethod
    def _check_rate(rate: int) -> None:
        if rate not in OUTPUT_RATES:
            raise ValueError(f"unsupported output rate {rate} Hz (one of {OUTPUT_RATES})")

    async def synthesize(
        self, text: str, sample_rate: int | None = None
    ) -> AsyncGenerator[bytes, None]:
        """PCM16 chunks of `text` at `sample_rate`, the first as soon as its sentence is
        ready. A prepared prompt comes from the cache whole."""
        rate = sample_rate or self.default_rate
        self._check_rate(rate)
        await self._worker.start()
        cached = self._cache.get((text, self.voice, rate))
        if cached is not None:
            self._cache.move_to_end((text, self.voice, rate))
            yield cached
            return
        async with contextlib.aclosing(self._worker.stream("synthesize", (text, rate))) as audio:
            async for chunk in audio:
                yield chunk

    async def synthesize_all(self, text: str, sample_rate: int | None = None) -> bytes:
        return b"".join([chunk async for chunk in self.synthesize(text, sample_rate)])

    async def prepare(self, texts: Iterable[str], sample_rate: int | None = None) -> None:
        """Synthesise fixed prompts now, so `synthesize` answers them from the cache."""
        rate = sample_rate or self.default_rate
        self._check_rate(rate)
        await self._worker.start()
        for text in texts:
            key = (text, self.voice, rate)
            if key in self._cache:
                continue
            audio = b"".join([c async for c in self._worker.stream("synthesize", (text, rate))])
            self._cache[key] = audio
            while len(self._cache) > _CACHE_ENTRIES:
                self._cache.popitem(last=False)

    def is_prepared(self, text: str, sample_rate: int | None = None) -> bool:
        return (text, self.voice, sample_rate or self.default_rate) in self._cache

    async def close(self) -> None:
        await self._worker.close()
