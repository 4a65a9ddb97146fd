"""PII out of stored transcripts (content_policy `redactPii`): email addresses, phone
numbers and postcodes are masked; order numbers and tracking numbers stay, because they
are what a person reading the transcript needs and identify no one on their own.

Spoken forms count too, in English and Spanish whatever the agent speaks: "ava dot chen
at example dot com", "ava punto chen arroba example punto com" or a phone number said digit
by digit is redacted in its written form.
"""

from __future__ import annotations

import re

from .packs import available
from .phone_numbers import names_an_order_or_tracking_number, phone_numbers
from .slots import POSTCODE_WORDS
from .spoken import normalise

EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
POSTCODE_MASK = "[postcode]"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
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


def _mask_phones(text: str) -> str:
    """Phone numbers as the slot extractor reads them (phone_numbers.py), masked."""
    spans = [match.span() for match in phone_numbers(text)]
    for start, end in reversed(spans):
        text = text[:start] + PHONE_MASK + text[end:]
    return text


def _mask(text: str) -> str:
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _KEYWORD_POSTCODE.sub(lambda m: m.group(1) + POSTCODE_MASK, text)
    text = _mask_phones(text)
    text = _UK_CA.sub(POSTCODE_MASK, text)
    # Order and tracking numbers stay: "order number 10119" is no ZIP code.
    return _ZIP.sub(
        lambda m: (
            m.group(0) if names_an_order_or_tracking_number(m.string, m.start()) else POSTCODE_MASK
        ),
        text,
    )


def redact(text: str) -> str:
    """The text with emails, phones and postcodes masked. Pure; idempotent."""
    masked = _mask(text)
    for language in available():
        written = normalise(text, language)
        if written != text:
            masked_written = _mask(written)
            if masked_written != written:
                # The PII was spoken: keep the written form, masked.
                return masked_written
    return masked
