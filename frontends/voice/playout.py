"""The agent's side of a call: sentences synthesised and played in order, and cut on barge-in.

Each `reply_delta` (a sentence) is queued as a `Line`; a synthesis task runs ahead through
the queue (the TTS worker is one process shared by every call, so one sentence at a time),
and the playing task hands each line's audio to the leg as its chunks arrive, so a sentence
starts playing as soon as its first audio exists, and the next one is ready when it ends.
Actions (hang up, transfer) queue behind the lines they follow, so a goodbye is heard before
the line goes dead.

How much of a reply was heard, when it is cut: the characters of the sentences played whole,
plus the playing sentence's characters in proportion to its audio played (ms played / the
sentence's audio length). Speech runs at a nearly even rate of characters, so the estimate is
off by a word or so, which is what the transcript needs. While the sentence is still being
synthesised its length is not yet known; it is then taken as at least 60 ms a character
(Piper's rate is 55-70).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from frontends.voice.leg import LEG_RATE, AudioLeg, Playback
from frontends.voice.speech import Synthesiser, WorkerError

log = logging.getLogger(__name__)

_BYTES_PER_MS = 2 * LEG_RATE // 1000
_MS_PER_CHAR_AT_LEAST = 60


@dataclass(eq=False)
class Line:
    """One sentence of a reply, as the core sent it."""

    reply_id: str
    text: str
    offset: int
    interruptible: bool
    audio: asyncio.Queue[bytes | None] = field(default_factory=asyncio.Queue)
    synthesised_bytes: int = 0
    synthesised: bool = False
    dropped: bool = False

    def heard_chars(self, played_ms: int) -> int:
        audio_ms = self.synthesised_bytes / _BYTES_PER_MS
        if not self.synthesised:
            audio_ms = max(audio_ms, len(self.text) * _MS_PER_CHAR_AT_LEAST)
        if audio_ms <= 0:
            return 0
        return min(len(self.text), round(len(self.text) * played_ms / audio_ms))


@dataclass(frozen=True)
class Cut:
    """A reply barge-in stopped: its id and the characters the caller heard."""

    reply_id: str
    played_chars: int


Action = Callable[[], Awaitable[None]]


class Player:
    """One per call: `say` lines and `then` actions in order; `barge_in` cuts."""

    def __init__(self, leg: AudioLeg, synthesiser: Synthesiser) -> None:
        self._leg = leg
        self._synthesiser = synthesiser
        self._queue: deque[Line | Action] = deque()
        self._to_synthesise: asyncio.Queue[Line] = asyncio.Queue()
        self._wake = asyncio.Event()
        self._playing: tuple[Line, Playback] | None = None
        self._heard: dict[str, int] = {}  # reply id → characters played so far
        self._cut_replies: set[str] = set()
        self._busy = False
        self.idle_since = asyncio.get_running_loop().time()
        self._tasks = [
            asyncio.create_task(self._synthesise_ahead()),
            asyncio.create_task(self._play_in_order()),
        ]

    @property
    def speaking(self) -> bool:
        """Something is playing or waiting to play (the caller is not "silent" meanwhile)."""
        return self._busy or bool(self._queue)

    def say(self, line: Line) -> None:
        if line.reply_id in self._cut_replies:
            return  # the rest of a reply the caller already spoke over
        self._queue.append(line)
        self._to_synthesise.put_nowait(line)
        self._wake.set()

    def then(self, action: Action) -> None:
        """Run `action` once everything queued before it has been played."""
        self._queue.append(action)
        self._wake.set()

    def barge_in(self) -> list[Cut]:
        """The caller started speaking: stop an interruptible reply at once and drop the
        interruptible lines queued; what each cut reply had played. A reply played whole
        (greeting, goodbye, transfer line) goes on."""
        cuts: dict[str, int] = {}
        if self._playing is not None:
            line, playback = self._playing
            if not line.interruptible:
                return []
            played_ms = playback.stop()
            cuts[line.reply_id] = line.offset + line.heard_chars(played_ms)
            line.dropped = True
        kept: deque[Line | Action] = deque()
        for item in self._queue:
            if isinstance(item, Line) and item.interruptible:
                item.dropped = True
                cuts.setdefault(item.reply_id, self._heard.get(item.reply_id, 0))
            else:
                kept.append(item)
        self._queue = kept
        self._cut_replies.update(cuts)
        return [Cut(reply_id, chars) for reply_id, chars in cuts.items()]

    async def _synthesise_ahead(self) -> None:
        while True:
            line = await self._to_synthesise.get()
            if line.dropped:
                line.audio.put_nowait(None)
                continue
            try:
                async with contextlib.aclosing(self._synthesiser.synthesize(line.text)) as audio:
                    async for chunk in audio:
                        if line.dropped:
                            break
                        line.synthesised_bytes += len(chunk)
                        line.audio.put_nowait(chunk)
            except WorkerError as error:  # the caller misses a sentence; the call goes on
                log.warning("synthesis failed for reply %s: %s", line.reply_id, error)
            line.synthesised = True
            line.audio.put_nowait(None)

    async def _play_in_order(self) -> None:
        while True:
            while not self._queue:
                self._wake.clear()
                if self._busy:
                    self._busy = False
                    self.idle_since = asyncio.get_running_loop().time()
                await self._wake.wait()
            self._busy = True
            item = self._queue.popleft()
            if isinstance(item, Line):
                await self._play(item)
            else:
                try:
                    await item()
                except Exception:  # an action's failure must not stop the lines after it
                    log.exception("call action failed")

    async def _play(self, line: Line) -> None:
        if line.dropped:
            return
        playback = self._leg.play(_chunks(line))
        self._playing = (line, playback)
        try:
            await playback.finished()
        finally:
            self._playing = None
        if not line.dropped:
            self._heard[line.reply_id] = line.offset + len(line.text)

    async def close(self) -> None:
        """Stop playing and drop everything (the line is gone)."""
        if self._playing is not None:
            self._playing[1].stop()
        self._queue.clear()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _chunks(line: Line) -> AsyncIterator[bytes]:
    while (chunk := await line.audio.get()) is not None:
        yield chunk
