"""PII out of stored transcripts (content_policy `redactPii`): email addresses, phone
numbers and postcodes are masked; order numbers and tracking numbers stay, because they
are what a person reading the transcript needs and identify no one on their own.

Spoken forms count too, in English and Spanish whatever the agent speaks: "ava dot chen
at example dot com", "ava punto chen arroba example punto com" or a phone number said digit
by digit is redacted in its written form.
"""

from __future__ import annotations

import re

from .slots import POSTCODE_WORDS
from .spoken import normalise
from .wording import ENGLISH, SPANISH

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
POSTCODE_MASK = "[postcode]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
# Digits with the separators people write phone numbers with; a leading + or ( counts.
_PHONE = re.compile(r"(?<![\w#/=?&.-])(\+|\()?\d[\d\s().\-]{6,}\d(?![\w/])")
_KEYWORD_POSTCODE = re.compile(
    rf"({POSTCODE_WORDS})"
    r"([A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|[A-Z]\d[A-Z]\s*\d[A-Z]\d|\d{5}-\d{4}|\d{3,6})\b",
    re.IGNORECASE,
)
_UK_CA = re.compile(
    r"(?<![\w#])(?:[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|[A-Z]\d[A-Z]\s*\d[A-Z]\d)(?!\w)",
    re.IGNORECASE,
)
_ZIP = re.compile(r"(?<![\w#/=?&.-])\d{5}(?:-\d{4})?(?![\w/])")
# Words before a number that make it an order or tracking number, which stay.
_KEEP_BEFORE = re.compile(
    r"(?:#\s*|\border\s*(?:number|num|no\.?)?\s*(?:is\s+)?[:#]?\s*|\btrack\w*\s+"
    r"(?:number|no\.?|id|code)?s?\s*(?:is|are|:)?\s*(?:[A-Z0-9]+\s+and\s+)?"
    r"|\bpedido\s*(?:n[uú]mero|n[º°o]\.?)?\s*(?:es\s+)?(?:el\s+)?[:#]?\s*"
    r"|\bseguimiento\s*(?:es\s+)?(?:el\s+)?[:#]?\s*)$",
    re.IGNORECASE,
)
# Longer than any E.164 number: a tracking number, never a phone.
_MAX_PHONE_DIGITS = 15


def _kept(text: str, start: int) -> bool:
    return bool(_KEEP_BEFORE.search(text[max(0, start - 40) : start]))


def _mask(text: str) -> str:
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _KEYWORD_POSTCODE.sub(lambda m: m.group(1) + POSTCODE_MASK, text)

    def phone(match: re.Match[str]) -> str:
        candidate = match.group(0)
        digits = sum(c.isdigit() for c in candidate)
        if digits < 8 or digits > _MAX_PHONE_DIGITS or _kept(match.string, match.start()):
            return candidate
        separated = bool(match.group(1)) or bool(re.search(r"\d[\s().\-]+\d", candidate))
        if separated or digits >= 10:
            return PHONE_MASK
        return candidate

    text = _PHONE.sub(phone, text)
    text = _UK_CA.sub(POSTCODE_MASK, text)
    return _ZIP.sub(lambda m: m.group(0) if _kept(m.string, m.start()) else POSTCODE_MASK, text)


def redact(text: str) -> str:
    """The text with emails, phones and postcodes masked. Pure; idempotent."""
    masked = _mask(text)
    for language in (ENGLISH, SPANISH):
        written = normalise(text, language)
        if written != text:
            masked_written = _mask(written)
            if masked_written != written:
                # The PII was spoken: keep the written form, masked.
                return masked_written
    return masked
