"""The voice frontend: phone calls (SIP) and browser calls into the core's `Converse`.

`sip/` is the SIP user agent server and its RTP media; `speech/` the offline speech engines
(VAD, recognition, synthesis in worker processes); `Call` runs one call over any `AudioLeg`
(`sip_leg.py` adapts a SIP call to it); the process is `python -m frontends.voice`.
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
