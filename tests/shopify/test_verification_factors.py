"""Comparing what a caller says with an order's own email, phone and postcode."""

from __future__ import annotations

import pytest

from core.domain.verification_factors import (
    Factor,
    VerificationFactors,
    factor_matches,
    normalize_phone,
    normalize_postcode,
)

US = VerificationFactors.from_raw("Ava.Chen@Example.com", "+15035550101", "97209", None)
UK = VerificationFactors.from_raw("priya@example.org", None, "LS1 4AP", "+447700900123")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("(503) 555-0101", "+15035550101"),
        ("503.555.0101", "+15035550101"),
        ("1 503 555 0101", "+15035550101"),
        ("+1 503-555-0101", "+15035550101"),
        ("0044 7700 900123", "+447700900123"),
        ("+44 (0) 7700 900123", "+447700900123"),
        ("07700 900123", "07700900123"),
        ("", ""),
        ("call me", ""),
        (None, ""),
    ],
)
def test_phone_normalisation(given, expected):
    assert normalize_phone(given) == expected


@pytest.mark.parametrize(
    ("given", "matches"),
    [
        ("ava.chen@example.com", True),
        ("  AVA.CHEN@EXAMPLE.COM ", True),
        ("ava.chen@example.co", False),
        ("", False),
        (None, False),
    ],
)
def test_email_is_trimmed_and_case_insensitive(given, matches):
    assert factor_matches(US, Factor.EMAIL, given) is matches


@pytest.mark.parametrize(
    ("factors", "given", "matches"),
    [
        (US, "503-555-0101", True),
        (US, "+1 (503) 555 0101", True),
        (US, "15035550101", True),
        (US, "503-555-0102", False),
        (US, "555-0101", False),
        (UK, "+44 7700 900123", True),
        (UK, "07700 900123", True),  # national form of the shipping phone
        (UK, "7700 900123", True),
        (UK, "+1 7700 900123", False),  # an explicit other country never matches
        (UK, "900123", False),  # too short to be a whole national number
        (VerificationFactors(), "503-555-0101", False),
    ],
)
def test_phone_matches_order_or_shipping_phone(factors, given, matches):
    assert factor_matches(factors, Factor.PHONE, given) is matches


@pytest.mark.parametrize(
    ("factors", "given", "matches"),
    [
        (UK, "ls1 4ap", True),
        (UK, "LS14AP", True),
        (UK, " ls1-4ap ", True),
        (UK, "LS1 4AQ", False),
        (US, "97209", True),
        (US, "97209-1234", True),  # ZIP+4 of the stored ZIP
        (US, "97210", False),
        (US, "9720", False),
        (US, "", False),
    ],
)
def test_postcode_is_case_and_space_insensitive(factors, given, matches):
    assert factor_matches(factors, Factor.POSTCODE, given) is matches


def test_stored_zip_plus_four_matches_the_five_digit_zip():
    factors = VerificationFactors.from_raw(None, None, "97209-1234", None)
    assert factors.shipping_zip == "972091234"
    assert factor_matches(factors, Factor.POSTCODE, "97209")
    assert normalize_postcode(" sw1a 1aa ") == "SW1A1AA"
