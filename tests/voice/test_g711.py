"""The G.711 tables against the values ITU-T G.711 fixes, and round trips within a step."""

from __future__ import annotations

import struct

from frontends.voice.sip.g711 import (
    alaw_to_pcm16,
    pcm16_to_alaw,
    pcm16_to_ulaw,
    ulaw_to_pcm16,
)


def pcm(*samples: int) -> bytes:
    return struct.pack(f"<{len(samples)}h", *samples)


def samples(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 2}h", data))


def test_ulaw_known_codes() -> None:
    assert pcm16_to_ulaw(pcm(0, 32767, -32768, 1000, -1000)) == bytes(
        [0xFF, 0x80, 0x00, 0xCE, 0x4E]
    )
    assert samples(ulaw_to_pcm16(bytes([0xFF, 0x7F, 0x80, 0x00, 0xCE]))) == [
        0,
        0,
        32124,
        -32124,
        988,
    ]


def test_alaw_known_codes() -> None:
    assert pcm16_to_alaw(pcm(0, 32767, -32768, -1)) == bytes([0xD5, 0xAA, 0x2A, 0x55])
    assert samples(alaw_to_pcm16(bytes([0xD5, 0x55, 0xAA, 0x2A]))) == [8, -8, 32256, -32256]


def test_round_trips_stay_within_one_quantisation_step() -> None:
    for value in range(-32768, 32768, 97):
        for encode, decode in ((pcm16_to_ulaw, ulaw_to_pcm16), (pcm16_to_alaw, alaw_to_pcm16)):
            [back] = samples(decode(encode(pcm(value))))
            # G.711 steps grow with the magnitude: 1/16 of it, at least 16.
            assert abs(back - value) <= max(16, abs(value) // 16), (encode.__name__, value)


def test_every_code_survives_decode_then_encode() -> None:
    codes = bytes(range(256))
    assert pcm16_to_alaw(alaw_to_pcm16(codes)) == codes
    # μ-law has two zeros (0x7F and 0xFF); both decode to 0, which encodes as 0xFF.
    assert pcm16_to_ulaw(ulaw_to_pcm16(codes)) == codes.replace(b"\x7f", b"\xff")
