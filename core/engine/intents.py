"""What the customer wants, how they feel, and whether they are trying to talk the agent
out of its rules: keyword patterns, checked in a fixed order of precedence, so the same
words always give the same answer.

The words are language_words' tables; an agent reads those of the languages it
understands (language_words.understood), so a Spanish word never decides what an English
agent hears. The order of precedence is the same in every language: it is here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from .language_words import WORDS, LanguageWords, understood
from .typos import corrected
from .wording import ENGLISH


class Intent(StrEnum):
    """In order of precedence: a message means the first intent whose patterns match it."""

    # Before HUMAN: "are you a real person?" deserves an honest answer (and the offer of a
    # person), not a handoff the customer did not ask for.
    ABOUT_AGENT = "about_agent"  # "are you a bot?", "what's your name?"
    HUMAN = "human"
    # Accounts, passwords, newsletters: not an order question; never asked for an order.
    # Before the order intents: "I lost my password" is not a lost parcel.
    ACCOUNT = "account"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"
    # A delivery the carrier attempted and missed, or one the customer wants made again: a
    # person arranges that. Before NOT_RECEIVED ("they tried to deliver but it never came")
    # and CANCEL_OR_CHANGE ("reschedule the delivery").
    FAILED_DELIVERY = "failed_delivery"  # "they tried to deliver but I was home"
    # Before NOT_RECEIVED: "I never got a confirmation email" is about the number.
    NO_ORDER_NUMBER = "no_order_number"  # "I don't know my order number"
    NOT_RECEIVED = "not_received"
    # A complaint about an order or the store: a person, once it is clear which (builtin).
    COMPLAINT = "complaint"
    CANCEL_OR_CHANGE = "cancel_or_change"
    DELIVERY_DATE = "delivery_date"
    TRACKING = "tracking"
    ORDER_STATUS = "order_status"
    DENY = "deny"
    GOODBYE = "goodbye"
    AFFIRM = "affirm"
    THANKS = "thanks"
    GREETING = "greeting"
    OUT_OF_SCOPE = "out_of_scope"  # nothing matched


# Intents about one order: they need an order number and, before any detail, verification.
ORDER_INTENTS = frozenset(
    {
        Intent.DAMAGED,
        Intent.WRONG_ITEM,
        Intent.FAILED_DELIVERY,
        Intent.NOT_RECEIVED,
        Intent.DELIVERY_DATE,
        Intent.TRACKING,
        Intent.ORDER_STATUS,
        # Named with an order: verified first, then a person with the order's details.
        Intent.COMPLAINT,
    }
)

_SHORT = 6  # "yes please" and "no thanks" are short; a long sentence starting "no" is not a no
_ONLY_WHEN_SHORT = frozenset({Intent.AFFIRM, Intent.DENY})

# What a cancel-or-change asks for, in order of precedence ("return it and cancel the
# rest" is a return; "refund 160 dollars" is money back); `item`: something in the order
# added, removed or swapped; anything else is a change to the order.
CHANGES = ("refund", "return", "cancel", "address", "faster", "item")
FACTORS = ("email", "phone", "postcode")

_NEVER = re.compile(r"(?!)")


def _any(patterns: Iterable[str]) -> re.Pattern[str]:
    """Alternatives written in lower case, matched against lower-cased text: the same
    answers as re.IGNORECASE, for a third of the time (it folds case at every comparison
    of every alternative). None at all match nothing."""
    patterns = tuple(patterns)
    for pattern in patterns:
        if re.search(r"[A-Z]", re.sub(r"\\.", "", pattern)):
            raise ValueError(f"write intent patterns in lower case: {pattern!r}")
    if not patterns:
        return _NEVER
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True)
class _Reader:
    """The patterns of the languages one agent understands, compiled together."""

    intents: tuple[tuple[Intent, re.Pattern[str]], ...]
    no_number_when_asked: re.Pattern[str]
    negative: re.Pattern[str]
    question: re.Pattern[str]
    changes: tuple[tuple[str, re.Pattern[str]], ...]
    not_at_hand: re.Pattern[str]
    name_given: re.Pattern[str]
    the_rest: re.Pattern[str]


def _intent_patterns(words: LanguageWords, intent: Intent) -> tuple[str, ...]:
    # "what about the rest of it?" after a partly shipped order is an order question.
    the_rest = words.the_rest if intent is Intent.ORDER_STATUS else ()
    return (*words.intents.get(intent.value, ()), *the_rest)


def _not_at_hand(tables: tuple[LanguageWords, ...]) -> re.Pattern[str]:
    """ "I don't remember which email I used": a group named after the detail."""
    negations = "|".join(p for t in tables for p in t.not_at_hand) or "(?!)"
    details = "|".join(
        f"(?P<{factor}>{'|'.join(p for t in tables for p in t.factor_names.get(factor, ()))})"
        for factor in FACTORS
    )
    return re.compile(rf"\b(?:{negations})\b[^.?!]{{0,30}}?\b(?:{details})\b")


@cache
def _reader_of(languages: tuple[str, ...]) -> _Reader:
    tables = tuple(WORDS[language] for language in languages)
    for table in tables:
        unknown = {*table.intents, *table.examples} - {i.value for i in Intent}
        if unknown:
            raise ValueError(f"no such intents: {sorted(unknown)}")

    def every(field: str) -> re.Pattern[str]:
        return _any(p for t in tables for p in getattr(t, field))

    return _Reader(
        intents=tuple(
            (intent, _any(p for t in tables for p in _intent_patterns(t, intent)))
            for intent in Intent
            if intent is not Intent.OUT_OF_SCOPE
        ),
        no_number_when_asked=every("no_number_when_asked"),
        negative=every("negative"),
        question=every("question"),
        changes=tuple(
            (kind, _any(p for t in tables for p in t.changes.get(kind, ()))) for kind in CHANGES
        ),
        not_at_hand=_not_at_hand(tables),
        name_given=every("name_given"),
        the_rest=every("the_rest"),
    )


def _reader(language: str) -> _Reader:
    return _reader_of(understood(language))


def _lowered(text: str, language: str) -> str:
    """The message in lower case, its mistyped cue words restored (typos.py)."""
    return corrected(text.lower(), understood(language))


def readings(text: str, language: str = ENGLISH) -> Iterator[Intent]:
    """Every intent whose patterns match the message, in order of precedence."""
    lowered = _lowered(text, language)
    short = len(text.split()) <= _SHORT
    for intent, pattern in _reader(language).intents:
        if (short or intent not in _ONLY_WHEN_SHORT) and pattern.search(lowered):
            yield intent


def classify(text: str, asked_for_order: bool = False, language: str = ENGLISH) -> Intent:
    """The message's intent for an agent speaking `language`; `asked_for_order`: the
    agent's last question was the order number, which gives "I don't have it" its
    meaning."""
    if asked_for_order and _reader(language).no_number_when_asked.search(text.lower()):
        return Intent.NO_ORDER_NUMBER
    return next(readings(text, language), Intent.OUT_OF_SCOPE)


_CAPS_WORD = re.compile(r"\b[A-Z]{2,}\b")
_WORD = re.compile(r"\b[A-Za-z]{2,}\b")


def is_question(text: str, language: str = ENGLISH) -> bool:
    """Whether the message asks something. A question about nothing the agent handles is
    out of scope, and gets an answer saying so; other words not understood are asked
    again."""
    return bool(_reader(language).question.search(text.lower()))


def is_negative(text: str, language: str = ENGLISH) -> bool:
    """Angry words, repeated exclamation marks, or mostly shouting."""
    if _reader(language).negative.search(text.lower()):
        return True
    words = _WORD.findall(text)
    shouted = _CAPS_WORD.findall(text)
    return len(shouted) >= 3 and len(shouted) >= 0.6 * len(words)


# Read in every language, whatever the agent speaks: an attempt is recorded, never obeyed,
# so a false alarm costs nothing; and order data that reads as instructions in any
# language is dropped (disclosure.py), as a model behind the agent may follow any language.
_INJECTION = _any(p for table in WORDS.values() for p in table.injection)


def looks_like_injection(text: str) -> bool:
    """An attempt to talk the agent out of its rules. It changes nothing either way; this
    only lets the attempt be recorded."""
    return bool(_INJECTION.search(text.lower()))


def change_asked(text: str, language: str = ENGLISH) -> str:
    """What a cancel-or-change message asks: one of CHANGES, or change."""
    lowered = _lowered(text, language)
    for kind, pattern in _reader(language).changes:
        if pattern.search(lowered):
            return kind
    return "change"  # "change" itself: said back as a change, whatever is changed


def factor_not_at_hand(text: str, language: str = ENGLISH) -> str | None:
    """email | phone | postcode: the detail a message says the customer does not have."""
    match = _reader(language).not_at_hand.search(text.lower())
    if match is None:
        return None
    return next(factor for factor in FACTORS if match.group(factor) is not None)


_NAME_PART = re.compile(r"[^\W\d_][^\W\d_'\-]*")


def gives_a_name(text: str, language: str = ENGLISH) -> bool:
    """ "Maya Patel", "Sofía García", "my name is Maya": a name, which proves nothing about
    an order. Two or three capitalised words and nothing else count as one."""
    if _reader(language).name_given.search(text.lower()):
        return True
    words = text.strip().rstrip(".!").split()
    return 2 <= len(words) <= 3 and all(
        _NAME_PART.fullmatch(w) and w[0].isupper() and not w[1:].isupper() for w in words
    )


def asks_about_the_rest(text: str, language: str = ENGLISH) -> bool:
    """ "what about the rest of it?": the part of an order that has not shipped."""
    return bool(_reader(language).the_rest.search(text.lower()))
