"""One definition of a phone number: what the slot extractor takes as a phone given to prove
an order is the customer's is exactly what the PII redactor masks in a stored transcript,
for an English and a Spanish agent alike."""

from __future__ import annotations

import pytest

from core.engine.redaction import PHONE_MASK, redact
from tests.engine.fakes import extract

PHONE_LIKE = [
    # Phone numbers, and the number the extractor takes from each
    ("call me on (503) 555-0142", "+15035550142"),
    ("503.555.0142", "+15035550142"),
    ("5035550142", "+15035550142"),
    ("my number is 503 555 0142", "+15035550142"),
    ("+44 7700 900123", "+447700900123"),
    ("+44 (0) 7700 900123", "+447700900123"),
    ("+34 600 111 222", "+34600111222"),
    ("0034 600 111 222", "+34600111222"),
    ("+65 6123 4567", "+6561234567"),  # eight digits after a country code
    ("600 111 222", "600111222"),  # a Spanish mobile
    ("600111222", "600111222"),
    ("91 123 45 67", "911234567"),
    ("order 1001, phone 5035550142", "+15035550142"),
    ("order 1001 503 555 0142", "+15035550142"),  # after the order number
    # Not phone numbers
    ("555-0142", None),  # seven digits: no area code
    ("1001 97209", None),  # an order number and a ZIP code
    ("1001 1002", None),  # two orders
    ("6123 4567", None),  # eight digits and no country code: two numbers as likely
    ("delivered 2026-11-28", None),  # a date
    ("tracking number 1234567890", None),
    ("the tracking number is 9400 1118 9922 3847", None),
    ("order number 5035550142", None),
    ("#5035550142", None),
    ("el número de seguimiento es 1234567890", None),
    ("9400111899223847261234", None),  # longer than any phone number: a tracking number
    ("https://example.com/track/5035550142", None),
]


@pytest.mark.parametrize(("text", "phone"), PHONE_LIKE)
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_slots_and_the_redactor_agree_on_what_a_phone_number_is(text, phone, language):
    assert extract(text, None, "", language).phone == phone
    assert (PHONE_MASK in redact(text)) is (phone is not None), redact(text)


def test_a_phone_number_keyed_on_a_call_is_one_by_the_same_definition():
    assert extract("", "factor", "600111222").phone == "600111222"
    assert extract("", "factor", "55501420").phone is None  # eight digits: a postcode guess
