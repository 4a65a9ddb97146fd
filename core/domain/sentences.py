"""A reply cut into sentences, the pieces a streamed turn sends: a chat shows each as it
comes, a call speaks each as soon as it is whole.

A sentence ends at `.`, `!`, `?` or `…` (closing quotes and brackets kept with it) and the
one whitespace character after it, or at a line break. Only whitespace is ever a cut, so a
tracking number, a URL or "$12.50" is never split. A cut needs nothing after that one
character, so a sentence goes out the moment it is whole, and `SentenceCutter` cuts a text
fed in any chunks exactly as `sentences` cuts it whole: a stream's pieces are the stored
reply's sentences, and a replayed turn sends the same pieces as the turn did. (More
whitespace after it starts the next piece.)

Abbreviations ("e.g. this") cut too: a piece is a unit of delivery, not of grammar.
"""

from __future__ import annotations

import re

# A sentence end, then closing quotes (straight, curly, guillemet) and brackets.
_CUT = re.compile(r"[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*\s|\n")


class SentenceCutter:
    """Whole sentences out of text that arrives in pieces."""

    def __init__(self) -> None:
        self._held = ""

    def feed(self, text: str) -> list[str]:
        """The sentences `text` completes, in order (none until one is whole)."""
        self._held += text
        out: list[str] = []
        start = 0
        for match in _CUT.finditer(self._held):
            out.append(self._held[start : match.end()])
            start = match.end()
        self._held = self._held[start:]
        return out

    def finish(self) -> list[str]:
        """What is left when the text is over: the last sentence, if any."""
        rest, self._held = self._held, ""
        return [rest] if rest else []

    @property
    def held(self) -> str:
        return self._held


def sentences(text: str) -> list[str]:
    """`text` in sentences; they join back to it."""
    cutter = SentenceCutter()
    return cutter.feed(text) + cutter.finish()
