"""Slips of the keyboard in the words that decide an intent: "somneone", "reclsmation",
"reimbvurse" read as the word meant, so a typo does not turn a request into the status flow.

Only a language's cue words (its table's `typo_words`) are restored, only words of five
letters or more, and only at one edit (a letter added, dropped, changed, or two swapped), a
letter more or less at the end excepted (that is another form of the word: "deliver",
"delivery"): a word that is one of the cues, or no cue's neighbour, stays as written.
Deterministic and offline; the words come from the tables of the languages the agent
understands, so a word of another language is never bent into one of this one ("persona"
stays Spanish).
Used for intents only: order numbers, emails and other details are read as written.
"""

from __future__ import annotations

import re
from functools import cache

from .language_words import WORDS

_MIN = 5
_TOKEN = re.compile(rf"[^\W\d_]{{{_MIN},}}")


def _one_edit(a: str, b: str) -> bool:
    """Whether a and b (different) are one insertion, deletion, substitution or swap of
    adjacent letters apart."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0] if len(diff) == 2 else -1
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if la < lb else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    # A letter more or less at the end is a word form ("deliver", "delivery"), not a slip.
    return i < len(short) and short[i:] == long_[i + 1 :]


@cache
def _cues(languages: tuple[str, ...]) -> tuple[frozenset[str], dict[int, tuple[str, ...]]]:
    words = {w for language in languages for w in WORDS[language].typo_words}
    # Every word the understood tables treat as a cue stays itself.
    by_length: dict[int, list[str]] = {}
    for word in sorted(words):
        by_length.setdefault(len(word), []).append(word)
    return frozenset(words), {n: tuple(ws) for n, ws in by_length.items()}


def corrected(lowered: str, languages: tuple[str, ...]) -> str:
    """`lowered` with each mistyped cue word restored (the first cue, alphabetically, one
    edit away; none when the word is a cue or is ambiguous in no way that matters)."""
    known, by_length = _cues(languages)
    if not known:
        return lowered

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if word in known:
            return word
        for n in (len(word), len(word) - 1, len(word) + 1):
            if n < _MIN:
                continue
            for cue in by_length.get(n, ()):
                if _one_edit(word, cue):
                    return cue
        return word

    return _TOKEN.sub(fix, lowered)
