"""The facts a caller can prove they own an order with: its email, phone and shipping
postcode, normalised so that what a customer says or types compares equal to what the store
holds.

Comparisons go through `hmac.compare_digest` so how long a check takes says little about how
much of a guess was right. A missing factor on either side never matches.

A detail a customer gave is remembered only as its `fingerprint` (a keyed hash of its
normalised form, never the detail itself): enough to know the same wrong detail when it comes
again, and nothing to read back.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

_NOT_DIGITS = re.compile(r"\D")
_SPACES_AND_DASHES = re.compile(r"[\s\-]+")
_TRUNK_ZERO = re.compile(r"\(\s*0\s*\)")
# A national number without its country code or trunk prefix is at least this long; shorter
# suffixes would let a guess match too many numbers.
_MIN_NATIONAL_DIGITS = 8


class Factor(StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    POSTCODE = "postcode"


def normalize_email(value: str | None) -> str:
    """Trimmed, NFKC, case-folded; empty when absent."""
    if not value:
        return ""
    return unicodedata.normalize("NFKC", value).strip().casefold()


def normalize_phone(value: str | None) -> str:
    """E.164 where the input says or implies a country: `+…` and `00…` keep theirs, US
    10-digit numbers (and 11 digits starting with 1) become +1…. Anything else is its bare
    digits (a national number whose country we cannot know). Empty when absent."""
    if not value:
        return ""
    # "+44 (0) 7700 900123": the bracketed trunk zero is not dialled after a country code.
    text = _TRUNK_ZERO.sub("", unicodedata.normalize("NFKC", value).strip())
    digits = _NOT_DIGITS.sub("", text)
    if not digits:
        return ""
    if text.startswith("+"):
        return "+" + digits
    if digits.startswith("00") and len(digits) > 2:
        return "+" + digits[2:]
    if len(digits) == 10 and digits[0] in "23456789":
        return "+1" + digits
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "23456789":
        return "+" + digits
    return digits


def normalize_postcode(value: str | None) -> str:
    """Upper case without spaces or dashes: "ls1 4ap" == "LS1 4AP", "97209-1234" keeps all."""
    if not value:
        return ""
    return _SPACES_AND_DASHES.sub("", unicodedata.normalize("NFKC", value)).upper()


@dataclass(frozen=True)
class VerificationFactors:
    """An order's own factors, already normalised (see the normalize_* functions)."""

    email: str = ""
    phone: str = ""
    shipping_zip: str = ""
    shipping_phone: str = ""

    @classmethod
    def from_raw(
        cls,
        email: str | None,
        phone: str | None,
        shipping_zip: str | None,
        shipping_phone: str | None,
    ) -> VerificationFactors:
        return cls(
            normalize_email(email),
            normalize_phone(phone),
            normalize_postcode(shipping_zip),
            normalize_phone(shipping_phone),
        )


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode(), b.encode())


def email_matches(expected: str, given: str | None) -> bool:
    return _same(expected, normalize_email(given))


def phone_matches(expected: str, given: str | None) -> bool:
    """Exact E.164 equality; a number given without a country ("07700 900123") also matches
    the stored E.164 number it is the national form of."""
    candidate = normalize_phone(given)
    if not expected or not candidate:
        return False
    exact = _same(expected, candidate)
    national = False
    if expected.startswith("+") and not (given or "").strip().startswith("+"):
        stored = expected[1:]
        bare = _NOT_DIGITS.sub("", given or "").lstrip("0")
        country_digits = len(stored) - len(bare)
        if len(bare) >= _MIN_NATIONAL_DIGITS and 1 <= country_digits <= 3:
            national = _same(stored[country_digits:], bare)
    return exact or national


def postcode_matches(expected: str, given: str | None) -> bool:
    """Case and space insensitive; a US ZIP matches its own ZIP+4 either way round."""
    candidate = normalize_postcode(given)
    if not expected or not candidate:
        return False
    exact = _same(expected, candidate)
    zip5 = False
    if expected.isdigit() and candidate.isdigit() and {len(expected), len(candidate)} == {5, 9}:
        zip5 = _same(expected[:5], candidate[:5])
    return exact or zip5


def factor_matches(factors: VerificationFactors, factor: Factor, given: str | None) -> bool:
    if factor is Factor.EMAIL:
        return email_matches(factors.email, given)
    if factor is Factor.PHONE:
        # Evaluate both, so the time taken does not say which of the two numbers matched.
        order_phone = phone_matches(factors.phone, given)
        shipping_phone = phone_matches(factors.shipping_phone, given)
        return order_phone or shipping_phone
    return postcode_matches(factors.shipping_zip, given)


def normalized(factor: Factor, value: str | None) -> str:
    """`value` as a detail of kind `factor` compares: what two spellings of one detail share."""
    if factor is Factor.EMAIL:
        return normalize_email(value)
    if factor is Factor.PHONE:
        return normalize_phone(value)
    return normalize_postcode(value)


def fingerprint(key: bytes, scope: Sequence[str], factor: Factor, value: str) -> str:
    """A keyed hash (HMAC-SHA256) of the normalised detail within `scope` (the organization,
    store and order it was given for): equal for the same detail, and without the key it
    says nothing about the detail, nor links the same email given for two orders."""
    message = "\x1f".join([*scope, factor.value, normalized(factor, value)])
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class FactorClaim:
    """What the attempts ledger says before a detail is compared with an order.

    `allowed` False: the order is locked (its wrong details in the window reached the
    limit); nothing may be compared, not even the right detail. Otherwise the detail is
    already counted as wrong (`fresh` when this claim counted it, False when the same detail
    was counted before and costs nothing again), and `failures` is the count with it: a
    detail that turns out right is released, and stops counting."""

    allowed: bool
    failures: int
    fresh: bool = False
