"""RTP packets (RFC 3550) and RFC 4733 telephone-events, as pure functions and small state.

`parse_rtp` reads a packet or returns None for anything that is not one (garbage, a wrong
version, lengths that do not add up): a media socket drops it and moves on. `DtmfDetector`
turns telephone-event packets into digits, once per event: an event is named by its RTP
timestamp, so the repeated start packets and the three retransmitted end packets a sender
emits for one key press all map to one digit, and an event whose start packets were lost is
still reported from its end packet.
"""

from __future__ import annotations

import struct
from collections import deque
from dataclasses import dataclass

RTP_VERSION = 2
HEADER = struct.Struct("!BBHII")
DTMF_EVENTS = "0123456789*#ABCD"


@dataclass(frozen=True)
class RtpPacket:
    payload_type: int
    marker: bool
    sequence: int
    timestamp: int
    ssrc: int
    payload: bytes


def parse_rtp(data: bytes) -> RtpPacket | None:
    if len(data) < HEADER.size:
        return None
    first, second, sequence, timestamp, ssrc = HEADER.unpack_from(data)
    if first >> 6 != RTP_VERSION:
        return None
    offset = HEADER.size + 4 * (first & 0x0F)  # CSRC list
    if first & 0x10:  # header extension: 4-byte head, then its length in 32-bit words
        if len(data) < offset + 4:
            return None
        (words,) = struct.unpack_from("!H", data, offset + 2)
        offset += 4 + 4 * words
    end = len(data)
    if first & 0x20:  # padding: the last byte says how much
        if end <= offset:
            return None
        end -= data[-1]
    if end < offset:
        return None
    return RtpPacket(
        payload_type=second & 0x7F,
        marker=bool(second & 0x80),
        sequence=sequence,
        timestamp=timestamp,
        ssrc=ssrc,
        payload=data[offset:end],
    )


def build_rtp(packet: RtpPacket) -> bytes:
    second = (0x80 if packet.marker else 0) | (packet.payload_type & 0x7F)
    head = HEADER.pack(
        RTP_VERSION << 6,
        second,
        packet.sequence & 0xFFFF,
        packet.timestamp & 0xFFFFFFFF,
        packet.ssrc & 0xFFFFFFFF,
    )
    return head + packet.payload


@dataclass(frozen=True)
class TelephoneEvent:
    event: int
    end: bool
    volume: int
    duration: int


def parse_telephone_event(payload: bytes) -> TelephoneEvent | None:
    if len(payload) < 4:
        return None
    event, flags, duration = struct.unpack_from("!BBH", payload)
    return TelephoneEvent(
        event=event, end=bool(flags & 0x80), volume=flags & 0x3F, duration=duration
    )


def telephone_event_payload(event: int, end: bool, duration: int, volume: int = 10) -> bytes:
    return struct.pack("!BBH", event, (0x80 if end else 0) | (volume & 0x3F), duration & 0xFFFF)


class DtmfDetector:
    """Digits from telephone-event packets, each key press reported once."""

    def __init__(self, memory: int = 32) -> None:
        # The (ssrc, timestamp) of events already reported; bounded, so a flood of events
        # cannot grow it, and long enough to outlive any retransmission of an old event.
        self._seen: deque[tuple[int, int]] = deque(maxlen=memory)

    def feed(self, packet: RtpPacket) -> str | None:
        event = parse_telephone_event(packet.payload)
        if event is None or event.event >= len(DTMF_EVENTS):
            return None
        key = (packet.ssrc, packet.timestamp)
        if key in self._seen:
            return None
        self._seen.append(key)
        return DTMF_EVENTS[event.event]


def parse_dtmf_relay(content_type: str, body: bytes) -> str | None:
    """The digit of a SIP INFO body (application/dtmf-relay `Signal=5`, or application/dtmf)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    try:
        text = body.decode("ascii").strip()
    except UnicodeDecodeError:
        return None
    signal = ""
    if kind == "application/dtmf-relay":
        for line in text.splitlines():
            name, _, value = line.partition("=")
            if name.strip().lower() == "signal":
                signal = value.strip()
    elif kind == "application/dtmf":
        signal = text
    signal = signal.upper()
    if len(signal) == 1 and signal in DTMF_EVENTS:
        return signal
    if signal.isdigit() and int(signal) < len(DTMF_EVENTS):  # some send the event number
        return DTMF_EVENTS[int(signal)] if len(signal) > 1 else signal
    return None
