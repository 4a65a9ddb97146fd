"""What a language pack holds: the format every pack (packs/<language>.py) fills in.

A pack is data only. The engine compiles its words (intents.py, slots.py, phone_numbers.py,
typos.py), reads its number words (spoken.py) and says its lines (replies.py, through
Wording.line); no language's text lives in the engine itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LanguageWords:
    # Intent value → patterns, and → lines of this language that must be read as it (and
    # as no intent before it): tests/engine/test_languages.py holds every table to them.
    intents: Mapping[str, tuple[str, ...]]
    examples: Mapping[str, tuple[str, ...]]
    # "what about the rest of it?": an order question, answered with the part not shipped.
    the_rest: tuple[str, ...]
    # Said just after the order number was asked for: there is none to give.
    no_number_when_asked: tuple[str, ...]
    negative: tuple[str, ...]  # angry words
    injection: tuple[str, ...]  # attempts to talk the agent out of its rules
    question: tuple[str, ...]
    # What a cancel-or-change asks for: return | cancel | address | faster.
    changes: Mapping[str, tuple[str, ...]]
    # "I don't remember which email I used": the words that say a detail is not at hand,
    # and the words naming each detail (email | phone | postcode).
    not_at_hand: tuple[str, ...]
    factor_names: Mapping[str, tuple[str, ...]]
    name_given: tuple[str, ...]  # "my name is …"
    # Slots. Matched ignoring case.
    order_cues: tuple[str, ...]  # before an order number: "order number", "pedido"
    number_cues: tuple[str, ...]  # "number is": an order number, or a phone number after it
    tracking_cues: tuple[str, ...]  # before a tracking number
    postcode_names: tuple[str, ...]  # "zip code", "código postal"
    postcode_joiners: tuple[str, ...]  # between the name and the value: "is", "es"
    list_joiners: tuple[str, ...]  # between orders listed together: "and", "y"
    # Words right after a number that make it no order: money, a quantity, a time span
    # ("160 dollars", "3 items", "2 days"). Currency signs are the same in every language.
    not_order_units: tuple[str, ...] = ()
    # The cue words a slip of the keyboard is read back to ("somneone" → "someone"): see
    # typos.py. Words a pattern of this table is built on, five letters or more.
    typo_words: tuple[str, ...] = ()
    # An order named by its place in the conversation, by place (other | previous | first |
    # second): "the other one", "my first order" (slots.Slots.reference).
    references: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Words just before a bare number that make it an order while a detail is awaited
    # ("what's the tracking for 2002?", "and 2002?"), each ending where the number begins.
    order_cue_before: tuple[str, ...] = ()
    # Words just before a number that make it a year or a day of a date ("March 3, 2026",
    # "3 de marzo de 2026"), never an order; each ending where the number begins.
    date_before: tuple[str, ...] = ()


@dataclass(frozen=True)
class NumberWords:
    """One language's number words. `teens` are single words read as a whole value
    ("eleven", "veintiocho"); `hundreds` add their value ("doscientos"), where `scales`
    multiply what came before ("hundred", "thousand", "mil"); `joiner` is the word a
    cardinal may carry between its parts ("and", "y"); `plus` the word said for the "+"
    before a phone number, a pattern ("m[aá]s"); `joiner_lists`: the joiner between digits
    says two numbers, not one ("one and two")."""

    units: Mapping[str, int]
    teens: Mapping[str, int]
    tens: Mapping[str, int]
    scales: Mapping[str, int]
    repeats: Mapping[str, int]
    joiner: str
    plus: str
    hundreds: Mapping[str, int] = field(default_factory=dict)
    joiner_lists: bool = False
    # Digit words that are also letters of a spelled postcode ("o"), left out of one.
    not_spelled: tuple[str, ...] = ()
    # Zero said as a letter ("oh"): a digit in a run, never part of a cardinal or a tens.
    letter_zeros: tuple[str, ...] = ()


@dataclass(frozen=True)
class LanguagePack:
    language: str  # the primary subtag: "en", "es"
    # The packs an agent speaking this language reads, its own first (see understood()).
    reads: tuple[str, ...]
    words: LanguageWords
    numbers: NumberWords
    # Spoken address words → the English ones the address reader knows ("arroba" → "at").
    address_words: Mapping[str, str] = field(default_factory=dict)
    # The agent's lines by message id, as str.format templates (replies.py says which).
    lines: Mapping[str, str] = field(default_factory=dict)
    # Dates read back (dates.py): names Monday first and January first, and the words for
    # the days next to today (-1, 0, 1).
    weekdays: tuple[str, ...] = ()
    months: tuple[str, ...] = ()
    near_days: Mapping[int, str] = field(default_factory=dict)
    # What the code on an address is called, and whether the day goes before the month,
    # for a tag with no region (or one not in `regions`, unless `other_region` is set).
    postcode_word: str = "postcode"
    day_first: bool = False
    regions: Mapping[str, tuple[str, bool]] = field(default_factory=dict)
    other_region: tuple[str, bool] | None = None
