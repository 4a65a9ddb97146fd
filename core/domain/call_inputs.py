"""What a caller's channel may send on a call, checked: recognised speech, a keyed entry,
how much of a reply was played, a silence, a transfer's outcome. Each bad value is an
InvalidArgument naming its field, before anything is written."""

from __future__ import annotations

import math
import re

from . import validation
from .conversations import MAX_CONTENT, MAX_DTMF, content
from .errors import InvalidArgument

# A final result below this confidence is not acted on: the agent asks the caller to say it
# again (FLOWYTE_SPEECH_MIN_CONFIDENCE). Whisper-family recognisers put clear speech well
# above 0.6 and noise or a half-heard word below 0.4; a wrong order number costs a failed
# verification attempt, a repeat costs a few seconds.
DEFAULT_MIN_CONFIDENCE = 0.45

TRANSFER_OUTCOMES = ("answered", "no_answer", "failed", "rejected")
FINISH_DIGITS = ("", "#")
_KEYED = re.compile(r"[0-9*A-Da-d]+")
# A silence longer than a day is a channel's bug, not a caller.
_MAX_SILENCE_MS = 86_400_000


def speech(text: str, is_final: bool, confidence: float, language: str) -> str:
    """A recogniser's result; its text (a final one must say something)."""
    if is_final:
        text = content(text, "speech.text")
    elif len(text) > MAX_CONTENT:
        raise InvalidArgument(f"must have at most {MAX_CONTENT} characters", field="speech.text")
    if math.isnan(confidence) or not 0.0 <= confidence <= 1.0:
        raise InvalidArgument("must be between 0 and 1", field="speech.confidence")
    validation.language(language, "speech.language")
    return text


def heard_clearly(confidence: float, minimum: float) -> bool:
    """Whether a final result may be acted on; a recogniser that gives no confidence (0)
    is taken at its word."""
    return confidence == 0.0 or confidence >= minimum


def keyed_entry(digits: str, finish_digit: str) -> str:
    """A keyed entry as the dialogue reads keys: the digits, then `#` when that ended it."""
    if not digits or not _KEYED.fullmatch(digits):
        raise InvalidArgument(
            "must be 1 or more of 0-9, * or A-D (the finishing # goes in finish_digit)",
            field="dtmf.digits",
        )
    if len(digits) > MAX_DTMF:
        raise InvalidArgument(f"must have at most {MAX_DTMF} digits", field="dtmf.digits")
    if finish_digit not in FINISH_DIGITS:
        raise InvalidArgument("must be # or empty", field="dtmf.finish_digit")
    return digits.upper() + finish_digit


def played(played_chars: int, sent_chars: int) -> int:
    """How much of a reply was played: no more than was sent of it."""
    if played_chars < 0:
        raise InvalidArgument("must not be negative", field="interrupt.played_chars")
    if played_chars > sent_chars:
        raise InvalidArgument(
            f"is more than the {sent_chars} characters of this reply sent",
            field="interrupt.played_chars",
        )
    return played_chars


def silence(silence_ms: int) -> int:
    if not 0 < silence_ms <= _MAX_SILENCE_MS:
        raise InvalidArgument(
            "must be a positive number of milliseconds, at most a day", field="no_input.silence_ms"
        )
    return silence_ms


def transfer_outcome(outcome: str) -> str:
    if outcome not in TRANSFER_OUTCOMES:
        raise InvalidArgument(
            "must be one of: " + ", ".join(TRANSFER_OUTCOMES), field="transfer_result.outcome"
        )
    return outcome
