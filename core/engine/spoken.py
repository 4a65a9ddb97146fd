"""Spoken forms into written ones: number words into digits and spelled-out email
addresses into addresses, so the slot patterns see "1001" and "ava.chen@example.com"
whichever way the customer (or the speech recogniser) put them.

Two ways people say numbers are understood: digit by digit ("one zero zero one", "nine
seven two zero nine", "double oh seven", "ten oh one" as pairs) and as a cardinal ("one
thousand and one", "four thousand four hundred seventeen"). A run that would give a single
digit is left alone, so "the one I ordered" stays words. The words are the agent's language
pack's (packs/<language>.py): for a Spanish-speaking agent the same in Spanish ("dos cero
cero uno", "dos mil uno", "veintiocho cero uno tres"), with "arroba" and "punto" in
addresses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

from .language_words import understood
from .packs import FALLBACK, NumberWords, pack
from .wording import ENGLISH


@dataclass(frozen=True)
class _Numbers(NumberWords):
    """One pack's number words (format.NumberWords), compiled."""

    words: frozenset[str] = field(init=False)
    run: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        words = {*self.units, *self.teens, *self.tens, *self.scales, *self.repeats}
        words |= set(self.hundreds)
        alternatives = "|".join(sorted(words, key=len, reverse=True))
        run = re.compile(
            rf"\b(?:{alternatives})(?:(?:[\s,-]+(?:{self.joiner}[\s,-]+)?)(?:{alternatives}))*\b",
            re.IGNORECASE,
        )
        object.__setattr__(self, "words", frozenset(words))
        object.__setattr__(self, "run", run)


@cache
def _numbers(language: str) -> _Numbers:
    """The number words of the pack for a primary subtag (English where there is none)."""
    return _Numbers(**vars(pack(language).numbers))


# One character of a postcode spelled out ("H two Y two A three"): the digit words, without
# "o" (the letter O, in a spelled code) and "nought".
SPELLED_DIGITS = {
    word: str(value)
    for word, value in _numbers(FALLBACK).units.items()
    if word not in _numbers(FALLBACK).not_spelled
}

_SPLIT = re.compile(r"[\s,-]+")
# Letters as case folding leaves them: a run can only match where one of these is a number
# word (IGNORECASE folds the same way), so most messages skip the run's long scan.
_LETTERS = re.compile(r"[^\W\d_]+")

_CONNECTORS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-", "plus": "+"}
_TRAILING = ".,;:!?)\"'"


def _digit_groups(words: list[str], v: _Numbers) -> str | None:
    """Digit by digit and in pairs: "one zero zero one", "ten oh one", "double seven"."""
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in v.repeats:
            if index + 1 < len(words) and words[index + 1] in v.units:
                out.append(str(v.units[words[index + 1]]) * v.repeats[word])
                index += 2
                continue
            return None
        if word in v.units:
            out.append(str(v.units[word]))
        elif word in v.teens:
            out.append(str(v.teens[word]))
        elif word in v.tens:
            following = words[index + 1] if index + 1 < len(words) else ""
            if following in v.units and v.units[following] > 0 and following not in v.letter_zeros:
                out.append(str(v.tens[word] + v.units[following]))
                index += 1
            else:
                out.append(str(v.tens[word]))
        else:
            return None
        index += 1
    return "".join(out)


def _cardinal(words: list[str], v: _Numbers) -> str | None:
    """ "one thousand and one", "four thousand four hundred seventeen", "dos mil uno"."""
    total = current = 0
    for word in words:
        if word in v.units and word not in v.letter_zeros:
            current += v.units[word]
        elif word in v.teens:
            current += v.teens[word]
        elif word in v.tens:
            current += v.tens[word]
        elif word in v.hundreds:
            current += v.hundreds[word]
        elif word in v.scales and v.scales[word] == 100:
            # "four hundred": multiplies the group so far; "thousand"/"mil" closes a group
            current = (current or 1) * 100
        elif word in v.scales:
            total += (current or 1) * v.scales[word]
            current = 0
        else:
            return None
    return str(total + current)


def _run_to_digits(match: re.Match[str], v: _Numbers) -> str:
    text = match.group(0)
    words = [w for w in _SPLIT.split(text.lower()) if w and w != v.joiner]
    if any(w in v.scales or w in v.hundreds for w in words):
        digits = _cardinal(words, v)
    else:
        if v.joiner_lists and f" {v.joiner} " in f" {text.lower()} ":
            return text  # "one and two": two numbers, not one
        digits = _digit_groups(words, v)
    if digits is None or len(digits) < 2:
        return text
    return digits


def numbers_to_digits(text: str, language: str = ENGLISH) -> str:
    """Every run of number words replaced by its digits; other words untouched."""
    v = _numbers(language)
    if v.words.isdisjoint(_LETTERS.findall(text.casefold())):
        return text
    return v.run.sub(lambda match: _run_to_digits(match, v), text)


def spoken_email(text: str) -> str:
    """ "ava dot chen at example dot com" → "ava.chen@example.com" (the first such form).

    Only a complete form converts: a local part, "at", and a domain with at least one dot,
    so "I'm at home" is left alone."""
    tokens = text.split()
    lowered = [t.lower().rstrip(_TRAILING) for t in tokens]
    for at in range(1, len(tokens) - 1):
        if lowered[at] != "at":
            continue
        # The domain: word (dot word)+, or a word already holding its dots.
        end = at + 1
        domain = lowered[end]
        if not domain or not re.fullmatch(r"[a-z0-9.-]+", domain):
            continue
        while end + 2 < len(tokens) and lowered[end + 1] == "dot" and lowered[end + 2]:
            domain += "." + lowered[end + 2]
            end += 2
        if "." not in domain.strip("."):
            continue
        # The local part: the word before "at", and words joined to it by connectors.
        start = at - 1
        local = lowered[start]
        while start - 2 >= 0 and lowered[start - 1] in _CONNECTORS:
            local = lowered[start - 2] + _CONNECTORS[lowered[start - 1]] + local
            start -= 2
        if not local or not re.fullmatch(r"[a-z0-9._%+-]+", local):
            continue
        address = f"{local}@{domain}"
        return " ".join([*tokens[:start], address, *tokens[end + 1 :]])
    return text


@cache
def _spoken_plus(languages: tuple[str, ...]) -> re.Pattern[str]:
    """ "plus four nine one five …": the international prefix of a spoken phone number, in
    the languages an agent understands (a Spanish agent's shoppers say "plus" too)."""
    words = "|".join(_numbers(language).plus for language in languages)
    return re.compile(rf"\b(?:{words})\s+(?=\d)", re.IGNORECASE)


@cache
def _address_words(language: str) -> tuple[re.Pattern[str], Mapping[str, str]] | None:
    words = pack(language).address_words
    if not words:
        return None
    names = "|".join(
        r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True)
    )
    return re.compile(rf"\b({names})\b", re.IGNORECASE), {
        " ".join(w.split()).casefold(): said for w, said in words.items()
    }


def _connectors(text: str, language: str) -> str:
    """ "ava punto chen arroba example punto com" → the English words spoken_email reads."""
    compiled = _address_words(language)
    if compiled is None:
        return text
    pattern, said = compiled
    return pattern.sub(
        lambda m: said.get(" ".join(m.group(1).split()).casefold(), m.group(1)), text
    )


def normalise(text: str, language: str = ENGLISH) -> str:
    """The written form of what was said: numbers as digits, spoken addresses as addresses,
    a spoken "plus" before a number as "+", in the words of the agent's language pack."""
    text = _connectors(text, language)
    plus = _spoken_plus(understood(language))
    return plus.sub("+", spoken_email(numbers_to_digits(text, language)))
