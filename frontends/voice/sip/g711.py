"""G.711 μ-law (PCMU) and A-law (PCMA) to and from 16-bit little-endian PCM, by table.

Python's audioop is deprecated (gone in 3.13), so the codec is these four tables, computed
once at import with the segment arithmetic of ITU-T G.711: decoding is one lookup per byte,
encoding one lookup per 16-bit sample.
"""

from __future__ import annotations

import sys
from array import array

_ULAW_BIAS = 0x21  # 0x84 on 16 bits
_ULAW_CLIP = 8159
_ULAW_SEGMENT_ENDS = (0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF)
_ALAW_SEGMENT_ENDS = (0x1F, 0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF)


def ulaw_encode_sample(sample: int) -> int:
    value = sample >> 2  # μ-law works on 14 bits; the shift rounds negatives down, as G.191
    if value < 0:
        value, mask = -value, 0x7F
    else:
        mask = 0xFF
    value = min(value, _ULAW_CLIP) + _ULAW_BIAS
    segment = next((i for i, end in enumerate(_ULAW_SEGMENT_ENDS) if value <= end), 8)
    if segment >= 8:
        return 0x7F ^ mask
    return ((segment << 4) | ((value >> (segment + 1)) & 0x0F)) ^ mask


def ulaw_decode_sample(code: int) -> int:
    code = ~code & 0xFF
    exponent = (code >> 4) & 0x07
    magnitude = (((code & 0x0F) << 3) + 0x84) << exponent
    magnitude -= 0x84
    return -magnitude if code & 0x80 else magnitude


def alaw_encode_sample(sample: int) -> int:
    value = sample >> 3  # A-law works on 13 bits
    if value >= 0:
        mask = 0xD5
    else:
        mask = 0x55
        value = -value - 1
    segment = next((i for i, end in enumerate(_ALAW_SEGMENT_ENDS) if value <= end), 8)
    if segment >= 8:
        return 0x7F ^ mask
    code = segment << 4
    code |= (value >> 1) & 0x0F if segment < 2 else (value >> segment) & 0x0F
    return code ^ mask


def alaw_decode_sample(code: int) -> int:
    code ^= 0x55
    magnitude = (code & 0x0F) << 4
    segment = (code & 0x70) >> 4
    if segment == 0:
        magnitude += 8
    else:
        magnitude = (magnitude + 0x108) << (segment - 1)
    return magnitude if code & 0x80 else -magnitude


def _decode_table(decode: object) -> list[bytes]:
    fn = decode  # typed loosely so the two decoders share this builder
    assert callable(fn)
    return [int(fn(code)).to_bytes(2, "little", signed=True) for code in range(256)]


def _encode_table(encode: object) -> bytes:
    fn = encode
    assert callable(fn)
    # Indexed by the sample read as an unsigned 16-bit number.
    return bytes(fn(u - 65536 if u >= 32768 else u) for u in range(65536))


_ULAW_DECODE = _decode_table(ulaw_decode_sample)
_ALAW_DECODE = _decode_table(alaw_decode_sample)
_ULAW_ENCODE = _encode_table(ulaw_encode_sample)
_ALAW_ENCODE = _encode_table(alaw_encode_sample)


def _samples(pcm16: bytes) -> array[int]:
    if len(pcm16) % 2:
        pcm16 = pcm16[:-1]
    samples = array("H", pcm16)
    if sys.byteorder == "big":
        samples.byteswap()
    return samples


def ulaw_to_pcm16(payload: bytes) -> bytes:
    return b"".join(_ULAW_DECODE[b] for b in payload)


def alaw_to_pcm16(payload: bytes) -> bytes:
    return b"".join(_ALAW_DECODE[b] for b in payload)


def pcm16_to_ulaw(pcm16: bytes) -> bytes:
    return bytes(_ULAW_ENCODE[s] for s in _samples(pcm16))


def pcm16_to_alaw(pcm16: bytes) -> bytes:
    return bytes(_ALAW_ENCODE[s] for s in _samples(pcm16))


DECODERS = {"PCMU": ulaw_to_pcm16, "PCMA": alaw_to_pcm16}
ENCODERS = {"PCMU": pcm16_to_ulaw, "PCMA": pcm16_to_alaw}
