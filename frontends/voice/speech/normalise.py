"""Whisper's written forms turned into what the core's slot reader understands.

Whisper writes a spoken order number its own way: "1,234", "1, 2, 3, 4.", "941-09",
"0-2-1-3-9"; and an email as words ("mya dot pete at example dot com"). The core reads
digits and addresses, so a run of digit groups becomes one number and a spoken address
becomes an address. Everything else is left as Whisper wrote it.
"""

from __future__ import annotations

import re

DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}

# Two or more digit words in a row ("one two three four"), with commas or dashes between.
_WORD = r"(?:" + "|".join(DIGIT_WORDS) + r")"
_SPOKEN_DIGITS = re.compile(rf"\b{_WORD}(?:[\s,-]+{_WORD})+\b", re.IGNORECASE)

# Digit groups joined by dashes ("941-09"), or short groups by spaces or commas ("1 2 3 4",
# "1, 2, 3, 4"), or a thousands separator ("1,234"). Long groups apart ("order 1234 5 items")
# are left alone only when neither rule fits.
_DASHED = re.compile(r"\b\d+(?:-\d+)+\b")
_SHORT_GROUPS = re.compile(r"\b\d{1,2}(?:(?:,\s*|\s+)\d{1,2}\b)+")
_THOUSANDS = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")

_SPOKEN_EMAIL = re.compile(
    r"\b([a-z0-9]+(?:\s+(?:dot|underscore|dash)\s+[a-z0-9]+)*)\s+at\s+"
    r"([a-z0-9]+(?:\s+dot\s+[a-z0-9]+)+)\b",
    re.IGNORECASE,
)
_EMAIL_WORDS = {"dot": ".", "underscore": "_", "dash": "-"}


def _digits_only(match: re.Match[str]) -> str:
    return re.sub(r"\D", "", match.group(0))


def _words_to_digits(match: re.Match[str]) -> str:
    words = re.split(r"[\s,-]+", match.group(0).lower())
    return "".join(DIGIT_WORDS[word] for word in words)


def _spoken_email(match: re.Match[str]) -> str:
    def join(part: str) -> str:
        return "".join(_EMAIL_WORDS.get(token.lower(), token.lower()) for token in part.split())

    return f"{join(match.group(1))}@{join(match.group(2))}"


def normalise_transcript(text: str) -> str:
    """Whisper's text with numbers as digit runs and spoken emails as addresses."""
    text = _SPOKEN_DIGITS.sub(_words_to_digits, text)
    text = _DASHED.sub(_digits_only, text)
    text = _THOUSANDS.sub(_digits_only, text)
    text = _SHORT_GROUPS.sub(_digits_only, text)
    text = _SPOKEN_EMAIL.sub(_spoken_email, text)
    return text.strip()
