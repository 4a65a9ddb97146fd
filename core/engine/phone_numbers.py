"""What a phone number written in a message is: one definition for the slot extractor (a
phone given to prove an order is the customer's) and the PII redactor (a phone masked in a
stored transcript), so that what one takes for a phone the other masks.

A phone number is a run of digits with the separators people write between them (spaces,
dots, dashes, brackets), not inside a word, a URL or a decimal, and not a number the words
before it name as an order or tracking number ("order number 5035550142", "seguimiento
1234567890"), with
- a leading "+" and 8 to 15 digits: the country code makes even a short one a phone;
- or 10 to 15 digits: a national number with its area code (US, UK, Germany…);
- or 9 digits written as one run or in three groups or more (a Spanish number: "600111222",
  "600 111 222", "91 123 45 67"). In two groups they are two numbers ("1001 97209": an
  order number and a ZIP code).
Fewer digits, or more than E.164's 15 (a tracking number), are not a phone number.

The cue words come from every language's table, whatever the agent speaks: the redactor
reads every language, and the two must agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .language_words import WORDS

_CANDIDATE = re.compile(r"(?<![\w#/=?&.-])(?:\+|\()?\d[\d\s().\-]{6,}\d(?![\w/])")
_DIGIT_RUN = re.compile(r"\d+")
_MAX_DIGITS = 15  # E.164
_INTERNATIONAL_MIN = 8
_NATIONAL_MIN = 10
_GROUPED_NATIONAL = 9

# Words that make the number after them an order or tracking number ("order #", "pedido
# número", "tracking number is"), read in every language. An order number is one run of
# digits (a phone may follow it); a tracking number is the whole run, however grouped.
_ORDER_NAMED = re.compile(
    rf"(?:#\s*|{'|'.join(c for w in WORDS.values() for c in w.order_cues)})$", re.IGNORECASE
)
_TRACKING_NAMED = re.compile(
    rf"(?:{'|'.join(c for w in WORDS.values() for c in w.tracking_cues)})$", re.IGNORECASE
)
_CUE_REACH = 40  # characters before a number that the cues are looked for in


def _before(text: str, start: int) -> str:
    return text[max(0, start - _CUE_REACH) : start]


def names_an_order_or_tracking_number(text: str, start: int) -> bool:
    """Whether the words just before `start` name what follows as an order or tracking
    number, which a transcript keeps and which proves nothing."""
    before = _before(text, start)
    return bool(_ORDER_NAMED.search(before) or _TRACKING_NAMED.search(before))


def is_phone_number(candidate: str) -> bool:
    """Whether digits and separators alone (a candidate run, or keyed DTMF digits) make a
    phone number by their count and grouping; see the module's docstring."""
    runs = _DIGIT_RUN.findall(candidate)
    digits = sum(len(run) for run in runs)
    if digits > _MAX_DIGITS:
        return False
    if candidate.lstrip().startswith("+"):
        return digits >= _INTERNATIONAL_MIN
    return digits >= _NATIONAL_MIN or (
        digits == _GROUPED_NATIONAL and (len(runs) == 1 or len(runs) >= 3)
    )


def _phone_from(text: str, match: re.Match[str]) -> tuple[re.Match[str] | None, int]:
    """The phone number this candidate is, if any, and where to look on from."""
    if _TRACKING_NAMED.search(_before(text, match.start())):
        return None, match.end()
    if _ORDER_NAMED.search(_before(text, match.start())):
        # "order 1001 503 555 0142": the order number, then perhaps a phone.
        number = _DIGIT_RUN.search(match.group(0))
        return None, match.start() + (number.end() if number else len(match.group(0)))
    return (match if is_phone_number(match.group(0)) else None), match.end()


def phone_numbers(text: str) -> Iterator[re.Match[str]]:
    """Every phone number in the text, left to right."""
    position = 0
    while (candidate := _CANDIDATE.search(text, position)) is not None:
        phone, position = _phone_from(text, candidate)
        if phone is not None:
            yield phone


def phone_number_at(text: str, position: int) -> re.Match[str] | None:
    """The phone number starting exactly at `position`, if one does ("my number is …")."""
    candidate = _CANDIDATE.match(text, position)
    return _phone_from(text, candidate)[0] if candidate is not None else None
