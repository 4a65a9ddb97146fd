"""One call's RTP: a UDP socket that receives the caller's audio and digits and plays ours.

- Symmetric RTP: we send to the address the caller's valid RTP really comes from (latched on
  the first packet with a negotiated payload type), not only to the SDP address, which is
  often wrong behind NAT. Until something arrives we send to the SDP address. After latching,
  packets from other addresses are dropped, so a stray sender cannot take the stream over;
  only the exact SDP address may (if a stranger got in first, the caller wins it back).
- Pacing: 20 ms frames sent on a monotonic schedule (frame n at start + n * 20 ms), so the
  sending never drifts with the time each send takes; a stall of the event loop re-anchors
  the schedule instead of bursting.
- Receiving never blocks: events go into a bounded queue; when the application falls
  behind, audio frames are dropped (digits never are), so an RTP flood cannot grow memory.
Not supported: SRTP, RTCP (ignored), jitter buffering or reordering (frames are delivered in
arrival order), comfort noise, codecs other than G.711.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import AsyncGenerator, AsyncIterable, Iterable
from dataclasses import dataclass
from typing import cast

from frontends.voice.sip.g711 import DECODERS, ENCODERS
from frontends.voice.sip.rtp import DtmfDetector, RtpPacket, build_rtp, parse_rtp
from frontends.voice.sip.sdp import MediaPlan

log = logging.getLogger(__name__)

SAMPLE_RATE = 8000
FRAME_SECONDS = 0.020
FRAME_SAMPLES = 160
FRAME_BYTES = FRAME_SAMPLES * 2  # PCM16
# Behind schedule by more than this (a stalled loop), start a new schedule from now.
MAX_LAG_SECONDS = 0.2
EVENT_QUEUE_SIZE = 250  # 5 s of audio frames


@dataclass(frozen=True)
class AudioFrame:
    """20 ms of the caller's audio: 160 samples of 16-bit little-endian PCM at 8 kHz."""

    pcm: bytes


@dataclass(frozen=True)
class Digit:
    """A key the caller pressed; source is "rfc4733" (RTP) or "info" (SIP INFO)."""

    digit: str
    source: str


@dataclass(frozen=True)
class PlayResult:
    played_ms: int
    stopped: bool  # True when stop_playback() (barge-in) or the end of the call cut it short


CallEvent = AudioFrame | Digit


class EventQueue:
    """The caller's audio and digits for the application; closed with None at the end."""

    def __init__(self, size: int = EVENT_QUEUE_SIZE) -> None:
        self._queue: asyncio.Queue[CallEvent | None] = asyncio.Queue(maxsize=size)
        self.dropped_frames = 0
        self.closed = False

    def put_audio(self, frame: AudioFrame) -> None:
        if self.closed or self._queue.full():
            self.dropped_frames += 1
            return
        self._queue.put_nowait(frame)

    def put_digit(self, digit: Digit) -> None:
        if self.closed:
            return
        self._make_room()
        self._queue.put_nowait(digit)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self._make_room()
            self._queue.put_nowait(None)

    def _make_room(self) -> None:
        if self._queue.full():
            self._queue.get_nowait()
            self.dropped_frames += 1

    async def get(self) -> CallEvent | None:
        return await self._queue.get()


class RtpSession(asyncio.DatagramProtocol):
    def __init__(self, plan: MediaPlan, events: EventQueue) -> None:
        self.plan = plan
        self.events = events
        self.port = 0
        self.latched: tuple[str, int] | None = None
        self.received_packets = 0
        self.last_received = 0.0  # loop time of the caller's last valid packet
        self.dropped_packets = 0
        self.sent_packets = 0
        self._transport: asyncio.DatagramTransport | None = None
        self._dtmf = DtmfDetector()
        self._ssrc = secrets.randbits(32)
        self._sequence = secrets.randbits(16)
        self._timestamp = secrets.randbits(32)
        self._last_send = 0.0
        self._stop: asyncio.Event | None = None
        self._closed = asyncio.Event()

    @classmethod
    async def open(cls, host: str, plan: MediaPlan, events: EventQueue) -> RtpSession:
        loop = asyncio.get_running_loop()
        transport, session = await loop.create_datagram_endpoint(
            lambda: cls(plan, events), local_addr=(host, 0)
        )
        session.port = transport.get_extra_info("sockname")[1]
        return session

    # --- receiving ------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # (the selector loop's datagram transport does not subclass DatagramTransport)
        self._transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        packet = parse_rtp(data)
        plan = self.plan
        wanted = (plan.payload_type, plan.dtmf_payload_type)
        if packet is None or packet.payload_type not in wanted:
            self.dropped_packets += 1
            return
        source = (addr[0], addr[1])
        if self.latched != source:
            # The SDP's own address, named in signalling we admitted, may always take over.
            if self.latched is None or source == (plan.remote_address, plan.remote_port):
                self.latched = source
            else:
                self.dropped_packets += 1
                return
        self.received_packets += 1
        self.last_received = asyncio.get_running_loop().time()
        if packet.payload_type == plan.dtmf_payload_type:
            digit = self._dtmf.feed(packet)
            if digit is not None:
                self.events.put_digit(Digit(digit, "rfc4733"))
        elif packet.payload:
            self.events.put_audio(AudioFrame(DECODERS[plan.codec](packet.payload[:480])))

    def error_received(self, exc: Exception) -> None:
        # An ICMP port-unreachable from a caller that went away; the call's signalling ends it.
        log.debug("rtp socket error: %s", exc)

    # --- sending --------------------------------------------------------------------------

    @property
    def remote(self) -> tuple[str, int] | None:
        if self.latched is not None:
            return self.latched
        if self.plan.on_hold or not self.plan.remote_port:
            return None
        return (self.plan.remote_address, self.plan.remote_port)

    def send_frame(self, pcm: bytes, marker: bool = False) -> None:
        remote = self.remote
        if self._transport is None or self._transport.is_closing() or remote is None:
            return
        if self.plan.on_hold:
            return
        payload = ENCODERS[self.plan.codec](pcm)
        packet = RtpPacket(
            self.plan.payload_type, marker, self._sequence, self._timestamp, self._ssrc, payload
        )
        self._transport.sendto(build_rtp(packet), remote)
        self.sent_packets += 1
        self._sequence = (self._sequence + 1) & 0xFFFF
        self._timestamp = (self._timestamp + FRAME_SAMPLES) & 0xFFFFFFFF

    async def play(self, audio: Iterable[bytes] | AsyncIterable[bytes] | bytes) -> PlayResult:
        """Send PCM16 audio (any chunking) as paced 20 ms frames until done or stopped."""
        if self._stop is not None:
            self._stop.set()  # one playback at a time: a new one replaces the old
        stop = self._stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        if self._last_send:  # keep the timestamp running across the silence between plays
            gap = int((loop.time() - self._last_send) * SAMPLE_RATE) - FRAME_SAMPLES
            self._timestamp = (self._timestamp + max(0, gap)) & 0xFFFFFFFF
        start = loop.time()
        sent = 0
        frames = _frames(audio)
        try:
            async for frame in frames:
                if stop.is_set() or self._closed.is_set():
                    break
                delay = start + sent * FRAME_SECONDS - loop.time()
                if delay < -MAX_LAG_SECONDS:
                    start = loop.time() - sent * FRAME_SECONDS
                elif delay > 0:
                    await asyncio.sleep(delay)
                    if stop.is_set() or self._closed.is_set():
                        break
                self.send_frame(frame, marker=sent == 0)
                self._last_send = loop.time()
                sent += 1
            else:
                return PlayResult(sent * 20, stopped=False)
            return PlayResult(sent * 20, stopped=True)
        finally:
            await frames.aclose()  # the re-chunker ends now, not whenever it is collected
            if self._stop is stop:
                self._stop = None

    def stop_playback(self) -> None:
        if self._stop is not None:
            self._stop.set()

    def close(self) -> None:
        self._closed.set()
        self.stop_playback()
        if self._transport is not None:
            self._transport.close()


async def _frames(
    audio: Iterable[bytes] | AsyncIterable[bytes] | bytes,
) -> AsyncGenerator[bytes, None]:
    """Re-chunk PCM16 into whole 20 ms frames; the last one is padded with silence."""
    pending = b""
    if isinstance(audio, bytes | bytearray | memoryview):
        audio = [bytes(audio)]
    if isinstance(audio, AsyncIterable):
        async for chunk in audio:
            pending += chunk
            while len(pending) >= FRAME_BYTES:
                yield pending[:FRAME_BYTES]
                pending = pending[FRAME_BYTES:]
    else:
        for chunk in audio:
            pending += chunk
            while len(pending) >= FRAME_BYTES:
                yield pending[:FRAME_BYTES]
                pending = pending[FRAME_BYTES:]
    if pending:
        yield pending.ljust(FRAME_BYTES, b"\0")
