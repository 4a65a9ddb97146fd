"""Audio and RTP the tests send: a PCM16 tone, RTP packets with RFC 4733 digits, and a pcap
file of them that sipp's play_pcap_audio plays to the server from the caller's media port."""

from __future__ import annotations

import math
import struct
from pathlib import Path

from frontends.voice.sip.g711 import pcm16_to_ulaw
from frontends.voice.sip.rtp import DTMF_EVENTS, RtpPacket, build_rtp, telephone_event_payload

FRAME = 0.020


def tone(seconds: float, hz: float = 440.0, amplitude: int = 8000) -> bytes:
    samples = int(seconds * 8000)
    return b"".join(
        struct.pack("<h", int(amplitude * math.sin(2 * math.pi * hz * n / 8000)))
        for n in range(samples)
    )


def call_packets(
    audio_pt: int, dtmf_pt: int, audio: bytes, digits: str, ssrc: int = 0x1234ABCD
) -> list[tuple[float, bytes]]:
    """(send time, RTP packet): the audio in 20 ms PCMU frames, then each digit as a
    sender really emits it: 5 start/update packets, then the end packet three times."""
    out: list[tuple[float, bytes]] = []
    seq, ts, at = 1000, 16000, 0.0
    for i in range(0, len(audio) - 319, 320):
        payload = pcm16_to_ulaw(audio[i : i + 320])
        out.append((at, build_rtp(RtpPacket(audio_pt, i == 0, seq, ts, ssrc, payload))))
        seq, ts, at = seq + 1, ts + 160, at + FRAME
    for digit in digits:
        event = DTMF_EVENTS.index(digit)
        for n in range(5):
            payload = telephone_event_payload(event, False, 160 * (n + 1))
            out.append((at, build_rtp(RtpPacket(dtmf_pt, n == 0, seq, ts, ssrc, payload))))
            seq, at = seq + 1, at + FRAME
        for _ in range(3):  # the end packet, retransmitted as RFC 4733 2.5.1.4 says
            payload = telephone_event_payload(event, True, 960)
            out.append((at, build_rtp(RtpPacket(dtmf_pt, False, seq, ts, ssrc, payload))))
            seq = seq + 1
        at += 0.1  # a gap between key presses
        ts += 8000 // 10 + 960
    return out


def write_pcap(path: Path, packets: list[tuple[float, bytes]], sport: int = 6000) -> None:
    """A libpcap file of Ethernet/IPv4/UDP frames carrying the packets (what sipp reads)."""
    chunks = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    base = 1_700_000_000
    for at, payload in packets:
        udp = struct.pack("!HHHH", sport, 7000, 8 + len(payload), 0) + payload
        ip = struct.pack(
            "!BBHHHBBH4s4s",
            0x45,
            0,
            20 + len(udp),
            0,
            0,
            64,
            17,
            0,
            bytes([127, 0, 0, 1]),
            bytes([127, 0, 0, 1]),
        )
        frame = b"\0" * 12 + b"\x08\x00" + ip + udp
        seconds = int(at)
        micros = round((at - seconds) * 1_000_000)
        chunks.append(struct.pack("<IIII", base + seconds, micros, len(frame), len(frame)))
        chunks.append(frame)
    path.write_bytes(b"".join(chunks))
