"""The voice frontend: phone calls (SIP) and browser calls into the core's `Converse`.

`Call` runs one call over any `AudioLeg`; the speech engines are in `speech/`.
"""

from frontends.voice.call import Call, CallOutcome, Ending, TransferCallback
from frontends.voice.leg import FRAME_BYTES, FRAME_MS, LEG_RATE, AudioLeg, Digit, Playback

__all__ = [
    "FRAME_BYTES",
    "FRAME_MS",
    "LEG_RATE",
    "AudioLeg",
    "Call",
    "CallOutcome",
    "Digit",
    "Ending",
    "Playback",
    "TransferCallback",
]
