"""Speech synthesis, run only inside its own worker process (see worker.py).

Licences: piper-tts and espeak-ng are GPL-3.0-or-later. Flowyte never imports them into the
frontend's process: this module is loaded by the TTS worker process alone, and espeak-ng is
run as a separate program. The frontend talks to both over a pipe, as it would to any
program. (The joe voice is fine-tuned from lessac: check its terms before commercial use.)

Piper with the joe voice speaks first; espeak-ng (Debian) takes over when Piper is not
installed, its voice cannot load, or it fails on a sentence, so a call is never silent.
Every chunk comes back as PCM16 at the rate the caller asked for (8 kHz for telephony).
"""

from __future__ import annotations

import io
import json
import logging
import shutil
import subprocess
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from frontends.voice.speech.audio import OUTPUT_RATES, float32_to_pcm16, resample_pcm16
from frontends.voice.speech.models import piper_voice_files

log = logging.getLogger(__name__)

# Pipe messages stay small: a long sentence goes back in pieces of at most a second of audio.
_MAX_CHUNK_SECONDS = 1.0
_ESPEAK_TIMEOUT_SECONDS = 20


class Espeak:
    """espeak-ng as a program: one short-lived process per sentence (first audio ~7 ms)."""

    def __init__(self, voice: str = "en-us") -> None:
        binary = shutil.which("espeak-ng")
        if binary is None:
            raise RuntimeError("espeak-ng is not installed (Debian package espeak-ng)")
        self._binary = binary
        self.voice = voice

    def synthesize(self, text: str) -> tuple[np.ndarray, int]:
        """(int16 samples, rate) for the whole text."""
        done = subprocess.run(
            [self._binary, "-v", self.voice, "--stdout", "--", text],
            capture_output=True,
            timeout=_ESPEAK_TIMEOUT_SECONDS,
            check=True,
        )
        with wave.open(io.BytesIO(done.stdout)) as wav:
            rate = wav.getframerate()
            frames = wav.readframes(wav.getnframes())
        return np.frombuffer(frames, dtype="<i2"), rate


def _load_piper(model_path: Path, config_path: Path) -> Any:
    """A PiperVoice on one intra-op thread (`PiperVoice.load` hides its session options)."""
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    session = onnxruntime.InferenceSession(
        str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
    )
    config = PiperConfig.from_dict(json.loads(config_path.read_text(encoding="utf-8")))
    return PiperVoice(session=session, config=config)


class TtsEngine:
    """The worker's engine: `synthesize` (text, rate) → PCM16 chunks, one sentence at a time.

    `piper_model` names another ONNX voice (its config beside it, as Piper lays them out); a
    voice that cannot load leaves espeak-ng speaking. `prefer="espeak-ng"` skips Piper.
    `variation` scales the voice's random variation (Piper's noise and phoneme-length noise,
    from its config): 1 is the voice as trained, 0 says a sentence the same way every time.
    """

    def __init__(
        self, piper_model: str | None = None, prefer: str = "piper", variation: float = 1.0
    ) -> None:
        if not 0.0 <= variation <= 2.0:
            raise ValueError("variation must be between 0 and 2")
        self._variation = variation
        self._piper: Any = None
        self._espeak: Espeak | None = None
        self.piper_problem = ""
        if prefer == "piper":
            try:
                if piper_model:
                    model = Path(piper_model)
                    config = Path(f"{piper_model}.json")
                else:
                    model, config = piper_voice_files()
                self._piper = _load_piper(model, config)
                self._piper_voice = model.stem
            except Exception as error:  # any failure to load leaves the fallback voice
                self.piper_problem = f"{type(error).__name__}: {error}"
                log.warning("Piper unavailable, espeak-ng speaks instead: %s", error)
        try:
            self._espeak = Espeak()
        except RuntimeError as error:
            if self._piper is None:
                raise RuntimeError(f"no voice: Piper ({self.piper_problem}); {error}") from error

    @property
    def voice(self) -> str:
        if self._piper is not None:
            return f"piper:{self._piper_voice}"
        assert self._espeak is not None
        return f"espeak-ng:{self._espeak.voice}"

    def describe(self) -> dict[str, Any]:
        return {"voice": self.voice, "piper_problem": self.piper_problem}

    def _synthesis_config(self) -> Any:
        from piper.config import SynthesisConfig

        voice = self._piper.config
        return SynthesisConfig(
            noise_scale=voice.noise_scale * self._variation,
            noise_w_scale=voice.noise_w_scale * self._variation,
        )

    def handle(self, method: str, payload: Any) -> Iterator[Any]:
        if method != "synthesize":
            raise ValueError(f"unknown TTS request {method!r}")
        text, rate = payload
        if rate not in OUTPUT_RATES:
            raise ValueError(f"unsupported output rate {rate} Hz (one of {OUTPUT_RATES})")
        if not text.strip():
            return
        yield from self._synthesize(text, rate)

    def _synthesize(self, text: str, rate: int) -> Iterator[bytes]:
        if self._piper is not None:
            try:
                for chunk in self._piper.synthesize(text, syn_config=self._synthesis_config()):
                    pcm = float32_to_pcm16(chunk.audio_float_array)
                    yield from _pieces(resample_pcm16(pcm, chunk.sample_rate, rate), rate)
                return
            except Exception as error:
                if self._espeak is None:
                    raise
                log.warning("Piper failed on a sentence, espeak-ng speaks it: %s", error)
        assert self._espeak is not None
        samples, source_rate = self._espeak.synthesize(text)
        yield from _pieces(resample_pcm16(samples.tobytes(), source_rate, rate), rate)


def _pieces(pcm: bytes, rate: int) -> Iterator[bytes]:
    size = 2 * int(rate * _MAX_CHUNK_SECONDS)
    for start in range(0, len(pcm), size):
        yield pcm[start : start + size]
