"""RTP packets and RFC 4733 digits: each key press once, garbage never an exception."""

from __future__ import annotations

import os

from frontends.voice.sip.rtp import (
    DtmfDetector,
    RtpPacket,
    build_rtp,
    parse_dtmf_relay,
    parse_rtp,
    telephone_event_payload,
)


def test_packets_round_trip_and_header_extensions_are_skipped() -> None:
    packet = RtpPacket(0, True, 65535, 2**32 - 1, 0xDEADBEEF, b"\x01\x02")
    assert parse_rtp(build_rtp(packet)) == packet
    data = bytearray(build_rtp(packet))
    data[0] |= 0x10 | 0x01  # one CSRC and an extension of one word
    data[12:12] = b"CSRC" + b"\xbe\xde\x00\x01" + b"EXT!"
    assert parse_rtp(bytes(data)) == packet


def test_garbage_is_not_a_packet() -> None:
    assert parse_rtp(b"") is None
    assert parse_rtp(b"\x00" * 40) is None  # version 0
    assert parse_rtp(b"\x8f" + b"\x00" * 11) is None  # 15 CSRCs in a 12-byte packet
    assert parse_rtp(b"\xa0\x00" + b"\x00" * 9 + b"\xff") is None  # padding longer than it
    for _ in range(2000):
        parse_rtp(os.urandom(int.from_bytes(os.urandom(1)) % 64))


def events(ts: int, event: int, ssrc: int = 1) -> list[RtpPacket]:
    starts = [telephone_event_payload(event, False, d) for d in (160, 320, 480)]
    ends = [telephone_event_payload(event, True, 640)] * 3
    return [RtpPacket(101, i == 0, i, ts, ssrc, p) for i, p in enumerate(starts + ends)]


def test_each_event_is_one_digit_however_many_packets_carry_it() -> None:
    detector = DtmfDetector()
    packets = events(1000, 1) + events(2000, 1) + events(3000, 11) + events(1000, 1)
    digits = [d for p in packets if (d := detector.feed(p))]
    assert digits == ["1", "1", "#"]  # the late repeat of the first event stays silent


def test_an_event_whose_start_was_lost_is_reported_from_its_end_packets() -> None:
    detector = DtmfDetector()
    digits = [d for p in events(500, 10)[3:] if (d := detector.feed(p))]
    assert digits == ["*"]


def test_sip_info_bodies() -> None:
    assert parse_dtmf_relay("application/dtmf-relay", b"Signal=5\r\nDuration=160\r\n") == "5"
    assert parse_dtmf_relay("Application/DTMF-Relay; x=1", b"Signal= #\r\n") == "#"
    assert parse_dtmf_relay("application/dtmf", b"11") == "#"
    assert parse_dtmf_relay("application/dtmf-relay", b"Signal=Z") is None
    assert parse_dtmf_relay("text/plain", b"Signal=5") is None
