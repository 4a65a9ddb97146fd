"""Partial results while the caller is still speaking, for a turn a grammar reads.

pocketsphinx runs as one decoder in one worker shared by every call (a decoder costs about
100 MB and a quarter second to build), so a call cannot keep an utterance open in it while
other calls decode theirs. Instead the call keeps its own audio, and every `interval_ms` of
new audio the utterance so far is decoded again, whole: a few seconds of digits decode in
tens of milliseconds, so this costs little, and the worker stays shared and stateless.

    live = LiveGrammar(recogniser, 8000, Expecting.DIGITS)
    live.feed(frame)                      # from the task pacing the call's audio; never waits
    partial = await live.partials.get()   # elsewhere: Recognition(is_final=False, ...)
    final = await live.finish()           # when the endpointer says the turn has ended
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from frontends.voice.speech.audio import check_input_rate
from frontends.voice.speech.recognition import Expecting, Recogniser, Recognition
from frontends.voice.speech.worker import WorkerError

log = logging.getLogger(__name__)


class LiveGrammar:
    """One turn's audio, re-decoded as it grows; partial results land in `partials`."""

    def __init__(
        self,
        recogniser: Recogniser,
        sample_rate: int,
        expecting: Expecting,
        *,
        interval_ms: int = 300,
    ) -> None:
        check_input_rate(sample_rate)
        if Expecting(expecting) is Expecting.FREE:
            raise ValueError("free speech has no partial results: Whisper reads whole turns")
        self._recogniser = recogniser
        self.sample_rate = sample_rate
        self.expecting = Expecting(expecting)
        self._interval_bytes = 2 * sample_rate * interval_ms // 1000
        self._audio = bytearray()
        self._decoded_up_to = 0
        self._decoding: asyncio.Task[None] | None = None
        self._last_text = ""
        self.partials: asyncio.Queue[Recognition] = asyncio.Queue()

    def feed(self, frame: bytes) -> None:
        """Add caller audio (PCM16 at the turn's rate); start a decode when one is due."""
        self._audio.extend(frame)
        due = len(self._audio) - self._decoded_up_to >= self._interval_bytes
        if due and (self._decoding is None or self._decoding.done()):
            self._decoded_up_to = len(self._audio)
            self._decoding = asyncio.create_task(self._decode(bytes(self._audio)))

    async def _decode(self, audio: bytes) -> None:
        try:
            result = await self._recogniser.best_so_far(audio, self.sample_rate, self.expecting)
        except WorkerError as error:  # a partial is a hint: the final result still comes
            log.info("partial recognition skipped: %s", error)
            return
        if result.text and result.text != self._last_text:
            self._last_text = result.text
            self.partials.put_nowait(result)

    async def finish(self) -> Recognition:
        """The final result for the whole turn (Whisper steps in if the grammar hears none)."""
        if self._decoding is not None:
            self._decoding.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._decoding
        return await self._recogniser.recognise(
            bytes(self._audio), self.sample_rate, self.expecting
        )
