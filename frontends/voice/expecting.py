"""What the caller's next words are likely to be, read from what the agent last asked.

The recogniser has small grammars (digits, yes/no, postcode) that hold up on telephone audio
far better than free speech, and fall back to Whisper when they hear nothing they fit. The
core does not say what it waits for, so the frontend reads the question it just played:

- the last sentence asks for an order number        → digits ("one zero zero one")
- it asks for a postcode / zip code and nothing else → postcode
- it is a yes/no question (starts with is, would, do… and offers no "or" choice, and is
  not the open "anything else?")                     → yes/no
- it asks the caller to say it again               → what it waited for before
- anything else                                      → free speech

A wrong guess costs little: a grammar that hears nothing it fits hands the turn to Whisper.
English only, like the grammars.
"""

from __future__ import annotations

import re

from frontends.voice.speech import Expecting

_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
_ORDER_NUMBER = re.compile(r"\border\s+number\b", re.IGNORECASE)
_POSTCODE = re.compile(r"\b(?:post\s*code|postal\s+code|zip(?:\s*code)?)\b", re.IGNORECASE)
_OTHER_FACTORS = re.compile(r"\b(?:e-?mail|phone)\b", re.IGNORECASE)
_YES_NO_START = re.compile(
    r"^(?:is|are|was|were|do|does|did|would|will|shall|should|can|could|may|have|has)\b",
    re.IGNORECASE,
)
_AGAIN = re.compile(r"\bsay\s+(?:it|that)\s+again\b", re.IGNORECASE)
_OPEN = re.compile(r"\banything\s+else\b|\bor\b", re.IGNORECASE)


def expecting_after(reply: str, before: Expecting = Expecting.FREE) -> Expecting:
    """What to listen for after the agent said `reply`, having waited for `before`."""
    if _AGAIN.search(reply):
        return before
    sentences = [s.strip() for s in _SENTENCE_END.split(reply.strip()) if s.strip()]
    if not sentences:
        return Expecting.FREE
    questions = [s for s in sentences if s.endswith("?")]
    last = questions[-1] if questions else sentences[-1]
    if _ORDER_NUMBER.search(last) and last.endswith("?"):
        return Expecting.DIGITS
    if _POSTCODE.search(last) and not _OTHER_FACTORS.search(last):
        return Expecting.POSTCODE
    if last.endswith("?") and _YES_NO_START.search(last) and not _OPEN.search(last):
        return Expecting.YES_NO
    return Expecting.FREE
