"""A SIP call as an `AudioLeg`: the one shape the per-call pipeline speaks to.

The SIP library's `Call` gives decoded 20 ms PCM16 frames and digits from one event queue,
plays one piece of audio at a time (a new play replaces the old) and hangs up with a BYE.
The leg keeps the pipeline's promises on top of that: plays queue behind each other, each
with its own stop and the milliseconds the caller heard, and `received` ends with the call.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterable, AsyncIterator

from frontends.voice.leg import FRAME_MS, Digit
from frontends.voice.sip import AudioFrame, Call
from frontends.voice.sip import Digit as SipDigit


class SipPlayback:
    """One `play` on the leg: it starts once the one before it is over."""

    def __init__(self, call: Call, frames: AsyncIterable[bytes], before: SipPlayback | None):
        self._call = call
        self._stopped = False
        self._first_packet: int | None = None  # the RTP packet count when this play began
        self._task = asyncio.get_running_loop().create_task(self._run(frames, before))

    async def _run(self, frames: AsyncIterable[bytes], before: SipPlayback | None) -> int:
        if before is not None:
            await before.finished()
        if self._stopped or self._call.ended.is_set():
            return 0
        self._first_packet = self._call.rtp.sent_packets
        result = await self._call.play(frames)
        return result.played_ms

    def stop(self) -> int:
        """Stops now and says what the caller heard: the library sends one 20 ms frame per
        RTP packet, one play at a time, so the packets sent since this play began count it."""
        if self._task.done():
            return self._result()
        self._stopped = True
        if self._first_packet is None:
            return 0  # still queued behind another play: nothing of it was heard
        self._call.stop_playback()
        return (self._call.rtp.sent_packets - self._first_packet) * FRAME_MS

    def _result(self) -> int:
        if self._task.cancelled() or self._task.exception() is not None:
            return 0
        return self._task.result()

    async def finished(self) -> int:
        with contextlib.suppress(Exception):
            await asyncio.shield(self._task)
        return self._result() if self._task.done() else 0


class SipLeg:
    """The AudioLeg of one answered SIP call."""

    def __init__(self, call: Call) -> None:
        self.call = call
        self._last: SipPlayback | None = None

    @property
    def caller_number(self) -> str:
        return self.call.caller

    @property
    def called_number(self) -> str:
        return self.call.called

    async def received(self) -> AsyncIterator[bytes | Digit]:
        async for event in self.call.events():
            if isinstance(event, AudioFrame):
                yield event.pcm
            elif isinstance(event, SipDigit):
                yield Digit(event.digit)

    def play(self, frames: AsyncIterable[bytes]) -> SipPlayback:
        self._last = SipPlayback(self.call, frames, self._last)
        return self._last

    async def hang_up(self) -> None:
        if self._last is not None:
            self._last.stop()
        await self.call.hangup()
