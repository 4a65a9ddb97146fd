"""The voice frontend's offline speech pipeline: VAD and endpointing, recognition, synthesis.

Every model ships inside a package (VOICE.md beside DESIGN.md says which and what they
measured); nothing downloads at run time and HF_HUB_OFFLINE is set for every worker. Heavy
work runs in worker processes (worker.py), so the event loop pacing a call's audio never waits
on a model. This package imports nothing from `core`.

Piper and espeak-ng, the voices, are GPL-3.0+: they are loaded only in the TTS worker process
(tts_engine.py), never imported here.
"""

from frontends.voice.speech.audio import (
    OUTPUT_RATES,
    RECOGNITION_RATE,
    TELEPHONE_RATE,
    pcm16_to_ulaw,
    resample_pcm16,
    ulaw_to_pcm16,
)
from frontends.voice.speech.endpointer import Endpointer, SpeechStarted, TurnEnded
from frontends.voice.speech.engines import SpeechEngines
from frontends.voice.speech.live import LiveGrammar
from frontends.voice.speech.models import ModelUnavailable
from frontends.voice.speech.normalise import normalise_transcript
from frontends.voice.speech.recognition import Expecting, Recogniser, Recognition
from frontends.voice.speech.synthesis import Synthesiser
from frontends.voice.speech.vad import VadStream
from frontends.voice.speech.worker import (
    EngineWorker,
    WorkerCrashed,
    WorkerError,
    WorkerUnavailable,
)

__all__ = [
    "OUTPUT_RATES",
    "RECOGNITION_RATE",
    "TELEPHONE_RATE",
    "Endpointer",
    "EngineWorker",
    "Expecting",
    "LiveGrammar",
    "ModelUnavailable",
    "Recogniser",
    "Recognition",
    "SpeechEngines",
    "SpeechStarted",
    "Synthesiser",
    "TurnEnded",
    "VadStream",
    "WorkerCrashed",
    "WorkerError",
    "WorkerUnavailable",
    "normalise_transcript",
    "pcm16_to_ulaw",
    "resample_pcm16",
    "ulaw_to_pcm16",
]
