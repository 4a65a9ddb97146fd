"""An `AudioLeg` inside the process: code plays the caller (speaks PCM, keys digits) and
keeps what the call played back. It paces both directions in 20 ms frames like RTP, at
`speed` times real time, and notes when each thing the caller said began and when playback
was stopped, so tests and `bench/call_latency.py` can drive a call without a phone line.
The SIP and WebRTC legs are the real ones; this one is the reference for their shape."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator

from frontends.voice.leg import FRAME_BYTES, FRAME_MS, Digit

_FRAME_SECONDS = FRAME_MS / 1000
_SPEAKING = object()  # marks where something the caller says begins


class LoopbackPlayback:
    def __init__(self, leg: LoopbackLeg, frames: AsyncIterable[bytes]) -> None:
        self._leg = leg
        self.played_ms = 0
        self._task = asyncio.create_task(self._play(frames))

    async def _play(self, frames: AsyncIterable[bytes]) -> None:
        pending = b""
        loop = asyncio.get_running_loop()
        due = loop.time()
        async for chunk in frames:
            pending += chunk
            while len(pending) >= FRAME_BYTES:
                frame, pending = pending[:FRAME_BYTES], pending[FRAME_BYTES:]
                due = max(due, loop.time()) + _FRAME_SECONDS / self._leg.speed
                await asyncio.sleep(max(0.0, due - loop.time()))
                self._leg.heard.extend(frame)
                self.played_ms += FRAME_MS
        if pending:
            self._leg.heard.extend(pending)
            self.played_ms += round(len(pending) / FRAME_BYTES * FRAME_MS)

    def stop(self) -> int:
        if not self._task.done():
            self._task.cancel()
            self._leg.stops.append(self.played_ms)
            self._leg.stopped_at.append(len(self._leg.heard))
            self._leg.stop_times.append(asyncio.get_running_loop().time())
        return self.played_ms

    async def finished(self) -> int:
        await asyncio.wait([self._task])  # stopped or not; a cancel of the waiter propagates
        return self.played_ms


class LoopbackLeg:
    def __init__(
        self, caller_number: str = "", called_number: str = "", *, speed: float = 1.0
    ) -> None:
        self._caller_number = caller_number
        self._called_number = called_number
        self.speed = speed
        self.heard = bytearray()  # everything played to the caller, PCM16 at 8 kHz
        self.stops: list[int] = []  # ms played of each playback stopped before its end
        self.stopped_at: list[int] = []  # len(heard) when each was stopped
        self.stop_times: list[float] = []  # loop time of each stop
        self.spoke_at: list[int] = []  # len(heard) when each thing the caller said began
        self.hung_up = asyncio.Event()  # the call hung up on the caller
        self._dropped = False
        self._to_send: deque[bytes | Digit | object] = deque()
        self.received_frames = 0
        self.spoke_times: list[float] = []  # loop time each began
        self.spoken_until = 0.0  # loop time the caller's last frame of speech was sent

    @property
    def caller_number(self) -> str:
        return self._caller_number

    @property
    def called_number(self) -> str:
        return self._called_number

    # --- the test's side: the caller -----------------------------------------------------

    def say(self, pcm: bytes) -> None:
        """Speak (PCM16 at 8 kHz): sent frame by frame from the next frame on."""
        pcm += bytes(-len(pcm) % FRAME_BYTES)
        self._to_send.append(_SPEAKING)
        self._to_send.extend(pcm[i : i + FRAME_BYTES] for i in range(0, len(pcm), FRAME_BYTES))

    def key(self, keys: str) -> None:
        self._to_send.extend(Digit(k) for k in keys)

    @property
    def speaking(self) -> bool:
        return bool(self._to_send)

    def drop(self) -> None:
        """The caller hangs up."""
        self._dropped = True

    # --- the call's side ----------------------------------------------------------------

    async def received(self) -> AsyncIterator[bytes | Digit]:
        loop = asyncio.get_running_loop()
        due = loop.time()
        while not (self._dropped or self.hung_up.is_set()):
            due = max(due, loop.time() - 0.2) + _FRAME_SECONDS / self.speed
            await asyncio.sleep(max(0.0, due - loop.time()))
            if not self._to_send:
                item: bytes | Digit | object = bytes(FRAME_BYTES)
            else:
                item = self._to_send.popleft()
                if item is _SPEAKING:
                    self.spoke_at.append(len(self.heard))
                    self.spoke_times.append(loop.time())
                    item = self._to_send.popleft()
                if not self._to_send and isinstance(item, bytes):
                    self.spoken_until = loop.time()  # the last frame of what was said
            assert isinstance(item, bytes | Digit)
            self.received_frames += 1
            yield item

    def play(self, frames: AsyncIterable[bytes]) -> LoopbackPlayback:
        return LoopbackPlayback(self, frames)

    async def hang_up(self) -> None:
        self.hung_up.set()
