"""Whisper's text as the core reads it, and G.711 μ-law as a phone line carries it."""

from __future__ import annotations

import numpy as np
import pytest

from frontends.voice.speech import normalise_transcript, pcm16_to_ulaw, ulaw_to_pcm16
from frontends.voice.speech.audio import resample_pcm16


@pytest.mark.parametrize(
    ("whisper", "core_reads"),
    [
        ("Your order 1,234 shipped with UPS.", "Your order 1234 shipped with UPS."),
        ("1, 2, 3, 4.", "1234."),
        ("My order is 941-09", "My order is 94109"),
        ("0-2-1-3-9.", "02139."),
        ("one two three four", "1234"),
        ("It's mya dot pete at example dot com", "It's mya.pete@example.com"),
        # Left alone: a single number word, a date, counts.
        ("Just one moment", "Just one moment"),
        ("Delivered on December 5, 2026", "Delivered on December 5, 2026"),
        ("It has 2 items in 12 boxes", "It has 2 items in 12 boxes"),
    ],
)
def test_whisper_numbers_and_emails_become_what_the_core_reads(
    whisper: str, core_reads: str
) -> None:
    assert normalise_transcript(whisper) == core_reads


def test_mu_law_matches_g711_at_its_fixed_points() -> None:
    pcm = np.array([0, 32767, -32768, 1000, -1000], dtype="<i2").tobytes()
    assert pcm16_to_ulaw(pcm) == bytes([0xFF, 0x80, 0x00, 0xCE, 0x4E])
    decoded = np.frombuffer(ulaw_to_pcm16(bytes([0xFF, 0x80, 0x00])), dtype="<i2")
    assert decoded.tolist() == [0, 32124, -32124]


def test_a_tone_survives_the_phone_line_and_resampling() -> None:
    t = np.arange(8000) / 8000
    tone = (np.sin(2 * np.pi * 440 * t) * 12000).astype("<i2")
    line = np.frombuffer(ulaw_to_pcm16(pcm16_to_ulaw(tone.tobytes())), dtype="<i2")
    # μ-law keeps about 2 % relative error on a loud signal.
    assert np.max(np.abs(line.astype(int) - tone)) < 12000 * 0.04
    wide = resample_pcm16(tone.tobytes(), 8000, 16000)
    assert len(wide) == 2 * len(tone.tobytes())
    with pytest.raises(ValueError, match="2-byte samples"):
        pcm16_to_ulaw(b"\x00")
