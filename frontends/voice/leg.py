"""What a call needs from the line it runs on: the caller's audio and keys in, our audio out.

The SIP endpoint (RTP), and later WebRTC and carriers' media streams, each adapt their call
to this shape, so the per-call pipeline (call.py) is the same whatever carries the audio.

Audio is PCM16 mono at 8 kHz (the telephone rate) both ways: the leg decodes μ-law/A-law and
paces the frames; the pipeline never sees a codec or a packet.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import Protocol

LEG_RATE = 8000
FRAME_MS = 20
FRAME_BYTES = 2 * LEG_RATE * FRAME_MS // 1000  # 320: 160 samples of PCM16


@dataclass(frozen=True)
class Digit:
    """A key the caller pressed (RFC 4733 or SIP INFO): 0-9, *, #, A-D."""

    key: str


class Playback(Protocol):
    """Audio the leg is playing to the caller."""

    def stop(self) -> int:
        """Stop at once (what is queued is dropped); the milliseconds the caller heard."""
        ...

    async def finished(self) -> int:
        """Wait until it has all been played (or was stopped); the milliseconds played."""
        ...


class AudioLeg(Protocol):
    """One call's line."""

    @property
    def caller_number(self) -> str:
        """The caller's number, E.164 (From / P-Asserted-Identity); empty when withheld."""
        ...

    @property
    def called_number(self) -> str:
        """The number dialled, E.164; it picks the agent."""
        ...

    def received(self) -> AsyncIterator[bytes | Digit]:
        """The caller's side as it arrives: a 20 ms frame (FRAME_BYTES of PCM16 at 8 kHz)
        every 20 ms, silence included, and keys as they are pressed. It ends when the
        caller hangs up (or `hang_up` was called)."""
        ...

    def play(self, frames: AsyncIterable[bytes]) -> Playback:
        """Play PCM16 at 8 kHz after anything already playing; chunks of any length."""
        ...

    async def hang_up(self) -> None:
        """End the call from our side (BYE); `received` ends."""
        ...
