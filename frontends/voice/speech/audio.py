"""PCM as the speech pipeline passes it around: signed 16-bit little-endian mono bytes.

Telephone audio is G.711 μ-law at 8 kHz; the recognisers and the VAD want 16 kHz; Piper
speaks at 22.05 kHz. Conversions are here, μ-law by table (audioop is gone in Python 3.13)
and resampling with soxr.
"""

from __future__ import annotations

import numpy as np
import soxr

TELEPHONE_RATE = 8000
RECOGNITION_RATE = 16000
SUPPORTED_INPUT_RATES = (TELEPHONE_RATE, RECOGNITION_RATE)
# What the synthesiser speaks at: telephony, wideband, Piper's own, WebRTC.
OUTPUT_RATES = (8000, 16000, 22050, 48000)

_ULAW_BIAS = 0x84


def _ulaw_decode_table() -> np.ndarray:
    codes = ~np.arange(256, dtype=np.int32) & 0xFF
    sign = codes & 0x80
    exponent = (codes >> 4) & 0x07
    mantissa = codes & 0x0F
    magnitude = (((mantissa << 3) + _ULAW_BIAS) << exponent) - _ULAW_BIAS
    return np.where(sign != 0, -magnitude, magnitude).astype(np.int16)


_ULAW_TO_PCM = _ulaw_decode_table()


def _ulaw_encode_table() -> np.ndarray:
    """The μ-law byte for every 16-bit sample (G.711 on the 14-bit value, as audioop did),
    so encoding is one lookup per sample."""
    samples = np.arange(-32768, 32768, dtype=np.int32) >> 2
    mask = np.where(samples < 0, 0x7F, 0xFF)
    magnitude = np.minimum(np.abs(samples), 8159) + (_ULAW_BIAS >> 2)
    segment_ends = np.array([0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF])
    segment = np.searchsorted(segment_ends, magnitude)
    code = np.where(segment >= 8, 0x7F, (segment << 4) | ((magnitude >> (segment + 1)) & 0x0F))
    return (code ^ mask).astype(np.uint8)


_PCM_TO_ULAW = _ulaw_encode_table()


def ulaw_to_pcm16(ulaw: bytes) -> bytes:
    """G.711 μ-law bytes (one per sample) to PCM16."""
    return _ULAW_TO_PCM[np.frombuffer(ulaw, dtype=np.uint8)].tobytes()


def pcm16_to_ulaw(pcm: bytes) -> bytes:
    """PCM16 to G.711 μ-law bytes, one per sample."""
    samples = as_int16(pcm).astype(np.int32) + 32768
    return _PCM_TO_ULAW[samples].tobytes()


def as_int16(pcm: bytes) -> np.ndarray:
    if len(pcm) % 2:
        raise ValueError("PCM16 audio must be a whole number of 2-byte samples")
    return np.frombuffer(pcm, dtype="<i2")


def int16_to_float32(samples: np.ndarray) -> np.ndarray:
    return samples.astype(np.float32) / 32768.0


def float32_to_pcm16(samples: np.ndarray) -> bytes:
    return (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()


def resample_pcm16(pcm: bytes, from_rate: int, to_rate: int) -> bytes:
    """The same audio at another rate (a whole utterance at once; see `StreamResampler`)."""
    if from_rate == to_rate:
        return pcm
    samples = as_int16(pcm)
    if samples.size == 0:
        return b""
    return soxr.resample(samples, from_rate, to_rate, quality="HQ").astype("<i2").tobytes()


def to_recognition_rate(pcm: bytes, sample_rate: int) -> np.ndarray:
    """Float32 samples at 16 kHz, what Whisper, pocketsphinx and silero read."""
    check_input_rate(sample_rate)
    samples = int16_to_float32(as_int16(pcm))
    if sample_rate == RECOGNITION_RATE or samples.size == 0:
        return samples
    return soxr.resample(samples, sample_rate, RECOGNITION_RATE, quality="HQ")


def check_input_rate(sample_rate: int) -> None:
    if sample_rate not in SUPPORTED_INPUT_RATES:
        raise ValueError(
            f"unsupported sample rate {sample_rate} Hz: callers send 8000 (telephone) or 16000"
        )


class StreamResampler:
    """Resamples a stream frame by frame, keeping the filter's state between frames."""

    def __init__(self, from_rate: int, to_rate: int) -> None:
        self._same = from_rate == to_rate
        self._stream = (
            None
            if self._same
            else soxr.ResampleStream(from_rate, to_rate, 1, dtype="float32", quality="HQ")
        )

    def feed(self, samples: np.ndarray) -> np.ndarray:
        if self._stream is None:
            return samples
        return self._stream.resample_chunk(samples)


def duration_seconds(pcm: bytes, sample_rate: int) -> float:
    return len(pcm) / 2 / sample_rate


def silence(seconds: float, sample_rate: int) -> bytes:
    return bytes(2 * round(seconds * sample_rate))
