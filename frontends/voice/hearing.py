"""One caller turn, recognised for the core: the grammar the dialogue waits for, checked by
Whisper.

Measured on TTS speech over a μ-law line (this machine, Piper joe-medium, Whisper tiny.en):
the pocketsphinx grammars' confidence (the hypothesis' posterior) sits at 0.02-0.06 however
clear the audio, far below the core's threshold for acting on speech (0.45), so sent as it is
every grammar answer would be asked again; and a grammar can only answer with something it
fits, so it sometimes fits the wrong thing ("one zero zero one" heard as "122"). Whisper
hears those digits right, though with confidences (0.4-0.65) near the same threshold.

So a turn the dialogue expects digits, a postcode or a yes/no for goes to both recognisers at
once (separate worker processes: the grammar's tens of milliseconds hide inside Whisper's
time):

- both agree (the same digits, the same yes/no): the grammar's answer, with at least
  `AGREED_CONFIDENCE`: two different recognisers hearing the same thing is what a
  confidence is meant to say;
- they differ, or the grammar heard nothing it fits: Whisper's words and its own confidence
  (the core asks again when that is low); for a yes/no, Whisper's sentence read as yes or
  no when it says one.

Free speech goes to Whisper alone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re

from frontends.voice.speech import Expecting, Recogniser, Recognition
from frontends.voice.speech.grammar_engine import yes_or_no

AGREED_CONFIDENCE = 0.9


async def hear(recogniser: Recogniser, pcm: bytes, rate: int, expecting: Expecting) -> Recognition:
    """The final result for one turn."""
    general = recogniser.recognise(pcm, rate, Expecting.FREE)
    if expecting is Expecting.FREE:
        return await general
    # The grammar's best reading alone (`recognise` would ask Whisper a second time when the
    # grammar fits nothing), beside Whisper's.
    grammar, whisper = await asyncio.gather(recogniser.best_so_far(pcm, rate, expecting), general)
    if grammar.text and _same(grammar, whisper, expecting):
        confidence = max(AGREED_CONFIDENCE, whisper.confidence)
        return dataclasses.replace(grammar, is_final=True, confidence=confidence)
    if expecting is Expecting.YES_NO and yes_or_no(whisper.text):
        return dataclasses.replace(whisper, text=yes_or_no(whisper.text))
    return whisper


def _same(grammar: Recognition, whisper: Recognition, expecting: Expecting) -> bool:
    if expecting is Expecting.YES_NO:
        return yes_or_no(whisper.text) == grammar.text
    return _compact(whisper.text) == _compact(grammar.text)


def _compact(text: str) -> str:
    """Digits and letters only, upper case: "97209." and "9 7 2 0 9" are the same code."""
    return re.sub(r"[^0-9A-Z]", "", text.upper())
