"""A small asyncio SIP user agent server with G.711 RTP media, for the voice frontend.

See `server` for what SIP it speaks (and does not), `call` for the call an application
handles, `media` for RTP (symmetric RTP, pacing, DTMF), `admission` for trunk admission.
"""

from frontends.voice.sip.admission import (
    ACCEPT,
    FORBIDDEN,
    NOT_FOUND,
    TrunkAdmission,
    Verdict,
    called_number,
    caller_number,
)
from frontends.voice.sip.call import Call, CallEnded, CallState
from frontends.voice.sip.media import AudioFrame, CallEvent, Digit, PlayResult
from frontends.voice.sip.server import SipServer
from frontends.voice.sip.transactions import Timers

__all__ = [
    "ACCEPT",
    "FORBIDDEN",
    "NOT_FOUND",
    "AudioFrame",
    "Call",
    "CallEnded",
    "CallEvent",
    "CallState",
    "Digit",
    "PlayResult",
    "SipServer",
    "Timers",
    "TrunkAdmission",
    "Verdict",
    "called_number",
    "caller_number",
]
