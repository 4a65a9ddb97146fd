"""The facts a customer gives in one message: an order number, and the email, phone or
postcode that proves the order is theirs. Typed, spoken or keyed as DTMF digits.

What is found is only a claim. Nothing here knows whether an order exists or whose it is;
the verification guardrail compares the claims with the order's own facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from core.domain.verification_factors import Factor, normalize_phone, normalize_postcode

from .language_words import WORDS, LanguageWords, understood
from .phone_numbers import is_phone_number, phone_number_at, phone_numbers
from .spoken import SPELLED_DIGITS
from .wording import ENGLISH

# What the dialogue is waiting for, which decides what a bare number is.
EXPECT_ORDER = "order_number"
EXPECT_FACTOR = "factor"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_SUFFIX = r"(?:-[A-Za-z0-9]{1,4})?"
_UK = r"[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"
_CA = r"[A-Z]\d[A-Z]\s*\d[A-Z]\d"
_US = r"\d{5}(?:-\d{4})?"
_POSTCODE_SHAPE = rf"(?:{_UK}|{_CA}|{_US}|\d{{4,6}})"


def _postcode_words(tables: Iterable[LanguageWords]) -> str:
    """The words that name a postcode, and the joiner before its value ("zip code is")."""
    tables = tuple(tables)
    names = "|".join(name for t in tables for name in t.postcode_names)
    joiners = "|".join(joiner for t in tables for joiner in t.postcode_joiners)
    return rf"\b(?:{names})\s*(?:{joiners})?\s*"


# In every language: the redactor masks a postcode named in any.
POSTCODE_WORDS = _postcode_words(WORDS.values())
_POSTCODE_FORM = re.compile(rf"\b({_UK}|{_CA}|\d{{5}}-\d{{4}})\b", re.IGNORECASE)
# A postcode spelled out on a call, one character at a time ("H 2 Y 2 A 3" once the
# number words are digits): read as one when a detail is awaited.
_SPELLED_TOKEN = rf"(?:[A-Za-z0-9]|{'|'.join(SPELLED_DIGITS)})"
# Characters apart, by spaces or a comma where the speech-to-text heard a pause.
_SPELLED = re.compile(
    rf"(?<!\w)(?:{_SPELLED_TOKEN}(?:\s*,\s*|\s+)){{4,7}}{_SPELLED_TOKEN}(?!\w)", re.IGNORECASE
)
_SPELLED_POSTCODE = re.compile(rf"{_UK}|{_CA}", re.IGNORECASE)


def _spelled(run: str) -> str:
    """ "H two Y two A three" → "H2Y2A3": one character per word."""
    return "".join(SPELLED_DIGITS.get(t.lower(), t) for t in re.split(r"[\s,]+", run) if t)


# A thousands separator inside a number ("2,009"), not a list ("2003, 2001" or "2003,2001").
_THOUSANDS = re.compile(r"(?<![\d,])(\d{1,3}),(\d{3})(?![\d,])")
_BARE_DIGITS = re.compile(r"(?<![\w#@.])(\d{3,10})(?![\w@])")


@dataclass(frozen=True)
class _Cues:
    """The words around numbers in the languages one agent understands."""

    # "order number 2001", "#2001", "pedido 2001"; `bare`: "number is 2001", which may be
    # a phone number instead.
    order: re.Pattern[str]
    postcode: re.Pattern[str]  # "zip code 97209"
    # "orders 2001 and 2003": a number listed after the order number, as long as it, is
    # another order, not a postcode for the first (which would burn a verification attempt).
    listed: re.Pattern[str]
    # After a number that is no order: "160 dollars", "3 items", "2 days" (not_order_units).
    units_after: re.Pattern[str]
    # "the other one", "the first order": see Slots.reference; a group per place.
    reference: re.Pattern[str]
    # While a detail is awaited a bare number is a postcode, unless the words before it
    # make it an order ("what's the tracking for 2002?", "and 2002?"): a guess at another
    # order is not a detail to spend a verification attempt of this one on.
    order_before: re.Pattern[str]
    date_before: re.Pattern[str]  # "March 3, 2026": a year (see LanguageWords.date_before)


@cache
def _cues_of(languages: tuple[str, ...]) -> _Cues:
    tables = tuple(WORDS[language] for language in languages)
    order_cues = "|".join(cue for t in tables for cue in t.order_cues)
    number_cues = "|".join(cue for t in tables for cue in t.number_cues)
    joiners = "|".join(joiner for t in tables for joiner in t.list_joiners)
    return _Cues(
        order=re.compile(
            rf"(?:#\s*|{order_cues}|(?P<bare>{number_cues}))(\d{{2,10}}{_SUFFIX})(?![\d@])",
            re.IGNORECASE,
        ),
        postcode=re.compile(rf"{_postcode_words(tables)}\b({_POSTCODE_SHAPE})\b", re.IGNORECASE),
        listed=re.compile(rf"(?:,|&|{joiners})\s*$", re.IGNORECASE),
        units_after=re.compile(
            rf"^\s*(?:[{_CURRENCY}%]|(?:{units})|[.,:]\d)"
            if (units := "|".join(u for t in tables for u in t.not_order_units))
            else rf"^\s*(?:[{_CURRENCY}%]|[.,:]\d)",
            re.IGNORECASE,
        ),
        reference=re.compile(
            "|".join(
                f"(?P<{place}>{'|'.join(p for t in tables for p in t.references.get(place, ()))})"
                for place in _PLACES
                if any(t.references.get(place) for t in tables)
            )
            or "(?!)",
            re.IGNORECASE,
        ),
        date_before=re.compile(
            rf"(?:{'|'.join(c for t in tables for c in t.date_before) or '(?!)'})$",
            re.IGNORECASE,
        ),
        order_before=re.compile(
            rf"(?:{'|'.join(c for t in tables for c in t.order_cue_before) or '(?!)'})\s*$",
            re.IGNORECASE,
        ),
    )


_PLACES = ("other", "previous", "first", "second")

# Money in any language: a sign before or after the amount.
_CURRENCY = "$€£¥"
_SIGN_BEFORE = re.compile(rf"[{_CURRENCY}]\s*$")


def not_an_order(written: str, span: tuple[int, int], cues: _Cues) -> bool:
    """A number that is an amount of money, a quantity, a time, a price or a year ("$160",
    "160 dollars", "3 items", "12:30", "19.99", "March 3, 2026"): never an order, nor a
    detail to verify one."""
    before, after = written[: span[0]], written[span[1] :]
    return bool(
        _SIGN_BEFORE.search(before)
        or cues.units_after.search(after)
        or cues.date_before.search(before)
    )


# Orders beyond the first that one message (and the dialogue's queue) holds: enough for
# "my three orders", not a list to walk through someone else's.
MAX_OTHERS = 2


def _another_order(bare: str, order: str, before: str, cues: _Cues) -> bool:
    digits = order.lstrip("#").split("-")[0]
    return len(bare) == len(digits) and cues.listed.search(before) is not None


@dataclass(frozen=True)
class Slots:
    order_number: str | None = None  # "#1001", "#1001-A"
    email: str | None = None
    phone: str | None = None  # E.164 where the country is known
    postcode: str | None = None  # normalised: upper case, no spaces
    # "the other one", "the first order": an order named by its place in the conversation
    # (other | first | second | previous), when no number is given. Not a fact by itself:
    # the brain resolves it against the orders this session verified.
    reference: str | None = None
    # More orders named with the first ("#2003 and #2001", "orders 2003 and 2001"), in the
    # order said: each to be looked at after it, and verified on its own.
    others: tuple[str, ...] = ()

    def factor(self) -> tuple[Factor, str] | None:
        """The one factor an attempt uses: one guess per attempt, whatever else was said."""
        if self.email:
            return Factor.EMAIL, self.email
        if self.phone:
            return Factor.PHONE, self.phone
        if self.postcode:
            return Factor.POSTCODE, self.postcode
        return None

    @property
    def empty(self) -> bool:
        return not (self.order_number or self.email or self.phone or self.postcode)


def order_name(digits: str) -> str:
    """ "1001" / "#1001" / "# 1001-a" → "#1001" / "#1001-A"."""
    text = re.sub(r"\s+", "", digits).lstrip("#").upper()
    return "#" + text if text else ""


def _take(text: str, span: tuple[int, int]) -> str:
    return text[: span[0]] + " " + text[span[1] :]


def extract_written(
    written: str, expecting: str | None = None, dtmf: str = "", language: str = ENGLISH
) -> Slots:
    """The slots of one message already through `spoken.normalise`. `expecting` says what
    a bare number most likely is."""
    order = email = phone = postcode = None
    cues = _cues_of(understood(language))
    written = _THOUSANDS.sub(r"\1\2", written)  # "order 2,009"

    if match := _EMAIL.search(written):
        email = match.group(0).lower()
        written = _take(written, match.span())
    others: list[str] = []
    while match := cues.order.search(written):
        found = match.group("bare") and phone_number_at(written, match.end("bare"))
        if found:
            # "my number is 503 555 0142", "phone number is …": a bare "number" before a
            # phone number is the phone, not an order.
            phone = phone or normalize_phone(found.group(0).strip())
            written = _take(written, (match.start(), found.end()))
            continue
        if order is None:
            order = order_name(match.group(2))
        else:
            others.append(order_name(match.group(2)))  # "#2003 and #2001"
        written = _take(written, match.span())
    if match := cues.postcode.search(written):
        postcode = normalize_postcode(match.group(1))
        written = _take(written, match.span())
    if phone is None and (match := next(phone_numbers(written), None)):
        phone = normalize_phone(match.group(0).strip())
        written = _take(written, match.span())
    if postcode is None and (match := _POSTCODE_FORM.search(written)):
        postcode = normalize_postcode(match.group(1))
        written = _take(written, match.span())
    if postcode is None and expecting == EXPECT_FACTOR:
        for match in _SPELLED.finditer(written):
            joined = _spelled(match.group(0))
            if _SPELLED_POSTCODE.fullmatch(joined):
                postcode = normalize_postcode(joined)
                written = _take(written, match.span())
                break

    for match in _BARE_DIGITS.finditer(written):
        bare = match.group(1)
        if not_an_order(written, match.span(1), cues):
            continue
        if order is None and expecting != EXPECT_FACTOR:
            order = order_name(bare)
        elif order is not None and _another_order(bare, order, written[: match.start()], cues):
            others.append(order_name(bare))
        elif order is None and cues.order_before.search(written[: match.start()]):
            order = order_name(bare)
        elif postcode is None and 4 <= len(bare) <= 6:
            postcode = bare
        elif order is None:
            order = order_name(bare)

    keyed = "".join(c for c in dtmf if c.isdigit())
    if len(keyed) >= 3:  # "0" alone asks for a person (nlu), and no order is one digit
        if order is None and expecting != EXPECT_FACTOR:
            order = order_name(keyed)
        elif phone is None and is_phone_number(keyed):
            phone = normalize_phone(keyed)
        elif postcode is None:
            postcode = keyed
    reference = None
    if order is None and (match := cues.reference.search(written)):
        reference = match.lastgroup
    others = [name for name in dict.fromkeys(others) if name != order]
    return Slots(order, email, phone, postcode, reference, tuple(others[:MAX_OTHERS]))
