"""Small-grammar recognition with pocketsphinx, run inside its own worker process.

pocketsphinx holds the GIL while it decodes (another thread ran at 1 % speed beside it), so
it never runs in the frontend's process. A grammar says what the dialogue is waiting for:
digits, yes or no, a postcode. Against a grammar the recogniser cannot hear anything else,
which is what makes it reliable on telephone audio where its free language model is not.

`decode` feeds the utterance in 100 ms blocks and answers each change of hypothesis as a
partial result, then the final one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np

from frontends.voice.speech.normalise import DIGIT_WORDS

_LETTERS = "abcdefghijklmnopqrstuvwxyz"
_NO_WORDS = {"no", "nope", "not", "wrong", "nah"}
_YES_WORDS = {"yes", "yeah", "yep", "yup", "correct", "right", "sure"}


def yes_or_no(text: str) -> str:
    """ "yes", "no", or "" when the words say neither (also reads Whisper's sentences)."""
    tokens = re.findall(r"[a-z]+", text.lower())
    if any(token in _NO_WORDS for token in tokens):
        return "no"
    if any(token in _YES_WORDS for token in tokens):
        return "yes"
    return ""


_DIGIT_RULE = "<digit> = " + " | ".join(DIGIT_WORDS) + ";"
GRAMMARS = {
    "digits": f"""#JSGF V1.0;
grammar digits;
public <digits> = <digit>+;
{_DIGIT_RULE}
""",
    # Whole answers, not one word: "yes, that is right" as a single alternative left the
    # decoder with no complete path and no answer.
    "yes_no": """#JSGF V1.0;
grammar yes_no;
public <answer> = <yes> [<yes>] [<thanks>] | <no> [<no>] [<thanks>];
<yes> = yes | yeah | yep | correct | right | sure | that is right | that is correct | please;
<no> = no | nope | not really | wrong | that is wrong | it is not | that is not right;
<thanks> = thank you | thanks;
""",
    # A US ZIP code (five digits) or a UK postcode ("LS1 4AP": outward code, then a digit and
    # two letters). Spelled out, never a free loop of letters: an unbounded loop is both
    # slow (17 s on a 4 s sentence) and wrong.
    "postcode": f"""#JSGF V1.0;
grammar postcode;
public <postcode> = <zip> | <uk>;
<zip> = <digit> <digit> <digit> <digit> <digit>;
<uk> = <letter> [<letter>] <digit> [<letter> | <digit>] <digit> <letter> <letter>;
{_DIGIT_RULE}
<letter> = {" | ".join(_LETTERS)};
""",
}

_BLOCK_SAMPLES = 1600  # 100 ms at 16 kHz
# Silence put around every utterance: with a quarter second each side the digit grammar read
# 24 of 24 TTS digit strings over a phone line, after unrelated utterances; without, 22.
_PADDING = np.zeros(4000, dtype=np.float32)
# Nobody keys a postcode or says an order number for longer than this; longer audio is cut,
# so one long utterance cannot hold the worker for seconds.
MAX_SECONDS = 15
_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_ZIP = re.compile(r"^[0-9]{5}$")


def words_to_text(grammar: str, words: str) -> str:
    """What the dialogue reads: "one two three four" → "1234", "yeah" → "yes"."""
    tokens = words.split()
    if grammar == "digits":
        return "".join(DIGIT_WORDS.get(token, "") for token in tokens)
    if grammar == "yes_no":
        # The grammar keeps yes-answers and no-answers apart, so one "no" word decides.
        return yes_or_no(words)
    if grammar == "postcode":
        code = "".join(DIGIT_WORDS.get(token, token.upper()) for token in tokens)
        uk = _UK_POSTCODE.match(code)
        return f"{uk.group(1)} {uk.group(2)}" if uk else code
    raise ValueError(f"unknown grammar {grammar!r}")


def is_complete(grammar: str, text: str) -> bool:
    """Whether a final result is a whole answer. pocketsphinx answers its best partial path
    when the audio never reached the grammar's end ("LX14P" for a postcode)."""
    if grammar == "postcode":
        return bool(_ZIP.match(text) or _UK_POSTCODE.match(text.replace(" ", "")))
    return bool(text)
    raise ValueError(f"unknown grammar {grammar!r}")


class GrammarEngine:
    """The worker's engine: one pocketsphinx decoder holding every grammar as a search."""

    def __init__(self) -> None:
        import pocketsphinx

        # A word insertion penalty well above the default (wip 0.65): on telephone audio the
        # default inserted digits ("77631" → "778831"); 1e-3 read 12 of 14 TTS digit strings
        # right against 6. The cepstral mean adapts live across utterances on purpose:
        # resetting it to the model's wideband mean for each one read 1 of 14.
        self._decoder = pocketsphinx.Decoder(
            samprate=16000, loglevel="FATAL", bestpath=True, wip=1e-3
        )
        for name, jsgf in GRAMMARS.items():
            self._decoder.add_jsgf_string(name, jsgf)

    def describe(self) -> dict[str, Any]:
        return {"grammars": sorted(GRAMMARS), "rate": 16000}

    def handle(self, method: str, payload: Any) -> Iterator[Any]:
        if method != "decode":
            raise ValueError(f"unknown grammar request {method!r}")
        grammar, samples = payload
        if grammar not in GRAMMARS:
            raise ValueError(f"unknown grammar {grammar!r} (one of {sorted(GRAMMARS)})")
        yield from self._decode(grammar, np.asarray(samples, dtype=np.float32))

    def _decode(self, grammar: str, samples: np.ndarray) -> Iterator[dict[str, Any]]:
        decoder = self._decoder
        decoder.activate_search(grammar)
        padded = np.concatenate([_PADDING, samples[: MAX_SECONDS * 16000], _PADDING])
        pcm = (np.clip(padded, -1.0, 1.0) * 32767).astype("<i2")
        decoder.start_utt()
        last = ""
        try:
            for start in range(0, pcm.size, _BLOCK_SAMPLES):
                decoder.process_raw(pcm[start : start + _BLOCK_SAMPLES].tobytes())
                hypothesis = decoder.hyp()
                words = hypothesis.hypstr if hypothesis is not None else ""
                if words and words != last:
                    last = words
                    yield self._result(grammar, words, None, is_final=False)
        finally:
            decoder.end_utt()
        hypothesis = decoder.hyp()
        words = hypothesis.hypstr if hypothesis is not None else ""
        yield self._result(grammar, words, hypothesis, is_final=True)

    def _result(
        self, grammar: str, words: str, hypothesis: Any, *, is_final: bool
    ) -> dict[str, Any]:
        confidence = 0.0
        if hypothesis is not None and words:
            # The hypothesis' posterior probability (bestpath is on); partials have none.
            confidence = max(0.0, min(1.0, float(hypothesis.prob)))
        text = words_to_text(grammar, words)
        if is_final and not is_complete(grammar, text):
            text, confidence = "", 0.0
        return {
            "text": text,
            "words": words,
            "is_final": is_final,
            "confidence": confidence,
        }
