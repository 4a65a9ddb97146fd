"""Where a caller's turn starts and ends, from 20 ms frames of their audio.

Fed the call's frames as they arrive (PCM16 at 8 kHz from a phone, or 16 kHz), it reports

- `SpeechStarted` as soon as the caller has spoken for `min_speech_ms`: the voice frontend
  uses it for barge-in (stop playback, tell the core how much was heard);
- `TurnEnded` once `trailing_silence_ms` of silence follows speech, with the utterance's
  audio (from a little before speech began) for the recogniser.

The decision is silero VAD's speech probability with hysteresis: speech above `threshold`,
silence below `threshold - 0.15`, so a probability wavering near one value does not flap.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from frontends.voice.speech.audio import (
    RECOGNITION_RATE,
    StreamResampler,
    as_int16,
    check_input_rate,
    int16_to_float32,
)
from frontends.voice.speech.vad import CHUNK_SECONDS, VadStream

FRAME_SECONDS = 0.020


@dataclass(frozen=True)
class SpeechStarted:
    """The caller started speaking `at` seconds into the stream."""

    at: float


@dataclass(frozen=True)
class TurnEnded:
    """The caller's turn: speech from `started_at` to `ended_at` (seconds into the stream),
    and its audio at the stream's own rate, with `preroll_ms` before the start."""

    started_at: float
    ended_at: float
    audio: bytes
    sample_rate: int


Event = SpeechStarted | TurnEnded


class Endpointer:
    """One per call leg. Not thread-safe: feed it from the task that reads the audio."""

    def __init__(
        self,
        sample_rate: int,
        *,
        trailing_silence_ms: int = 600,
        threshold: float = 0.5,
        min_speech_ms: int = 64,
        preroll_ms: int = 200,
        max_turn_seconds: float = 30.0,
        vad: VadStream | None = None,
    ) -> None:
        check_input_rate(sample_rate)
        if not 100 <= trailing_silence_ms <= 5000:
            raise ValueError("trailing_silence_ms must be between 100 and 5000")
        if not 0.0 < threshold < 1.0:
            raise ValueError("threshold must be between 0 and 1")
        self.sample_rate = sample_rate
        self.trailing_silence = trailing_silence_ms / 1000
        self.threshold = threshold
        self.min_speech = min_speech_ms / 1000
        self.max_turn = max_turn_seconds
        self._vad = vad if vad is not None else VadStream()
        self._resampler = StreamResampler(sample_rate, RECOGNITION_RATE)
        self._frame_bytes = 2 * round(sample_rate * FRAME_SECONDS)
        self._preroll: deque[bytes] = deque(maxlen=max(1, round(preroll_ms / 20)))
        self._received = 0.0  # seconds of audio fed
        self._judged = 0.0  # seconds of audio the VAD has scored
        self._in_speech = False
        self._speech_run = 0.0
        self._silence_run = 0.0
        self._started_at = 0.0
        self._turn: list[bytes] = []

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    def feed(self, frame: bytes) -> list[Event]:
        """One 20 ms frame of PCM16 at the stream's rate; the events it completes."""
        if len(frame) != self._frame_bytes:
            raise ValueError(
                f"a frame is 20 ms: {self._frame_bytes} bytes at {self.sample_rate} Hz, "
                f"got {len(frame)}"
            )
        self._received += FRAME_SECONDS
        if self._in_speech:
            self._turn.append(frame)
        else:
            self._preroll.append(frame)
        samples = self._resampler.feed(int16_to_float32(as_int16(frame)))
        events: list[Event] = []
        for probability in self._vad.feed(samples):
            self._judged += CHUNK_SECONDS
            event = self._judge(probability)
            if event is not None:
                events.append(event)
        return events

    def _judge(self, probability: float) -> Event | None:
        if not self._in_speech:
            if probability >= self.threshold:
                self._speech_run += CHUNK_SECONDS
                if self._speech_run >= self.min_speech:
                    return self._start()
            else:
                self._speech_run = 0.0
            return None
        if probability < self.threshold - 0.15:
            self._silence_run += CHUNK_SECONDS
            if self._silence_run >= self.trailing_silence:
                return self._end(self._judged - self._silence_run)
        else:
            self._silence_run = 0.0
        if self._judged - self._started_at >= self.max_turn:
            return self._end(self._judged)  # a turn that never pauses is cut, not kept forever
        return None

    def _start(self) -> SpeechStarted:
        self._in_speech = True
        self._started_at = max(0.0, self._judged - self._speech_run)
        self._silence_run = 0.0
        self._turn = list(self._preroll)
        self._preroll.clear()
        return SpeechStarted(at=round(self._started_at, 3))

    def _end(self, ended_at: float) -> TurnEnded:
        # Keep 200 ms of the trailing silence: the recogniser needs no more.
        surplus = max(0.0, self._silence_run - 0.2)
        audio = b"".join(self._turn)
        audio = audio[: max(0, len(audio) - 2 * round(surplus * self.sample_rate))]
        turn = TurnEnded(
            started_at=round(self._started_at, 3),
            ended_at=round(ended_at, 3),
            audio=audio,
            sample_rate=self.sample_rate,
        )
        self._in_speech = False
        self._speech_run = 0.0
        self._silence_run = 0.0
        self._turn = []
        return turn

    def flush(self) -> TurnEnded | None:
        """The call ended (or the caller keyed `#`): the turn in progress, if any."""
        if not self._in_speech:
            return None
        return self._end(self._judged)
