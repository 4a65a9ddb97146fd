"""Spoken forms into written ones: number words into digits and spelled-out email
addresses into addresses, so the slot patterns see "1001" and "ava.chen@example.com"
whichever way the customer (or the speech recogniser) put them.

Two ways people say numbers are understood: digit by digit ("one zero zero one", "nine
seven two zero nine", "double oh seven", "ten oh one" as pairs) and as a cardinal ("one
thousand and one", "four thousand four hundred seventeen"). A run that would give a single
digit is left alone, so "the one I ordered" stays words. For a Spanish-speaking agent the
same in Spanish ("dos cero cero uno", "dos mil uno", "veintiocho cero uno tres"), with
"arroba" and "punto" in addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .language_words import understood
from .wording import ENGLISH, SPANISH


@dataclass(frozen=True)
class _Numbers:
    """One language's number words. `teens` are single words read as a whole value
    ("eleven", "veintiocho"); `hundreds` add their value ("doscientos"), where `scales`
    multiply what came before ("hundred", "thousand", "mil"); `joiner` is the word a
    cardinal may carry between its parts ("and", "y"); `plus` the word said for the "+"
    before a phone number, a pattern ("m[aá]s")."""

    units: dict[str, int]
    teens: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    repeats: dict[str, int]
    joiner: str
    plus: str
    hundreds: dict[str, int] = field(default_factory=dict)
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


_ENGLISH = _Numbers(
    units={
        "zero": 0,
        "oh": 0,
        "o": 0,
        "nought": 0,
        "one": 1,
        "two": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "six": 6,
        "seven": 7,
        "eight": 8,
        "nine": 9,
    },
    teens={
        "ten": 10,
        "eleven": 11,
        "twelve": 12,
        "thirteen": 13,
        "fourteen": 14,
        "fifteen": 15,
        "sixteen": 16,
        "seventeen": 17,
        "eighteen": 18,
        "nineteen": 19,
    },
    tens={
        "twenty": 20,
        "thirty": 30,
        "forty": 40,
        "fifty": 50,
        "sixty": 60,
        "seventy": 70,
        "eighty": 80,
        "ninety": 90,
    },
    scales={"hundred": 100, "thousand": 1000},
    repeats={"double": 2, "triple": 3},
    joiner="and",
    plus="plus",
)

_SPANISH_TEENS = {
    "diez": 10,
    "once": 11,
    "doce": 12,
    "trece": 13,
    "catorce": 14,
    "quince": 15,
    "dieciseis": 16,
    "dieciséis": 16,
    "diecisiete": 17,
    "dieciocho": 18,
    "diecinueve": 19,
    "veintiuno": 21,
    "veintidos": 22,
    "veintidós": 22,
    "veintitres": 23,
    "veintitrés": 23,
    "veinticuatro": 24,
    "veinticinco": 25,
    "veintiseis": 26,
    "veintiséis": 26,
    "veintisiete": 27,
    "veintiocho": 28,
    "veintinueve": 29,
}
_SPANISH_HUNDREDS = {"cien": 100, "ciento": 100, "quinientos": 500, "quinientas": 500}
for _word, _value in (
    ("dos", 2),
    ("tres", 3),
    ("cuatro", 4),
    ("seis", 6),
    ("sete", 7),
    ("ocho", 8),
    ("nove", 9),
):
    _SPANISH_HUNDREDS[f"{_word}cientos"] = _SPANISH_HUNDREDS[f"{_word}cientas"] = _value * 100

_SPANISH = _Numbers(
    # "un" and "una" are left out: mostly articles ("un pedido"), and one digit alone is
    # never converted anyway.
    units={
        "cero": 0,
        "uno": 1,
        "dos": 2,
        "tres": 3,
        "cuatro": 4,
        "cinco": 5,
        "seis": 6,
        "siete": 7,
        "ocho": 8,
        "nueve": 9,
    },
    teens=_SPANISH_TEENS,
    tens={
        "veinte": 20,
        "treinta": 30,
        "cuarenta": 40,
        "cincuenta": 50,
        "sesenta": 60,
        "setenta": 70,
        "ochenta": 80,
        "noventa": 90,
    },
    scales={"mil": 1000},
    repeats={"doble": 2, "triple": 3},
    joiner="y",
    plus="m[aá]s",
    hundreds=_SPANISH_HUNDREDS,
)
_NUMBERS = {ENGLISH: _ENGLISH, SPANISH: _SPANISH}

# One character of a postcode spelled out ("H two Y two A three"): the digit words, without
# "o" (the letter O, in a spelled code) and "nought".
SPELLED_DIGITS = {
    word: str(value) for word, value in _ENGLISH.units.items() if word not in ("o", "nought")
}

_SPLIT = re.compile(r"[\s,-]+")
# Letters as case folding leaves them: a run can only match where one of these is a number
# word (IGNORECASE folds the same way), so most messages skip the run's long scan.
_LETTERS = re.compile(r"[^\W\d_]+")

_CONNECTORS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-", "plus": "+"}
# Spanish spoken address words, as the English ones the address reader knows.
_SPANISH_CONNECTORS = re.compile(r"\b(arroba|punto|guion\s+bajo|gui[oó]n)\b", re.IGNORECASE)
_AS_ENGLISH = {"arroba": "at", "punto": "dot", "guion": "dash"}
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
            if following in v.units and v.units[following] > 0 and following not in ("oh", "o"):
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
        if word in v.units and word not in ("oh", "o"):
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
        if v is _ENGLISH and " and " in f" {text.lower()} ":
            return text  # "one and two": two numbers, not one
        digits = _digit_groups(words, v)
    if digits is None or len(digits) < 2:
        return text
    return digits


def numbers_to_digits(text: str, language: str = ENGLISH) -> str:
    """Every run of number words replaced by its digits; other words untouched."""
    v = _NUMBERS.get(language, _ENGLISH)
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
    words = "|".join(_NUMBERS[language].plus for language in languages if language in _NUMBERS)
    return re.compile(rf"\b(?:{words})\s+(?=\d)", re.IGNORECASE)


def _spanish_connectors(text: str) -> str:
    """ "ava punto chen arroba example punto com" → the English words spoken_email reads."""

    def english(match: re.Match[str]) -> str:
        word = match.group(1).lower()
        if word.startswith("guion b"):
            return "underscore"
        return _AS_ENGLISH.get(word.replace("á", "a").replace("ó", "o"), word)

    return _SPANISH_CONNECTORS.sub(english, text)


def normalise(text: str, language: str = ENGLISH) -> str:
    """The written form of what was said: numbers as digits, spoken addresses as addresses,
    a spoken "plus" before a number as "+". Spanish number and address words are read for
    a Spanish-speaking agent."""
    if language == SPANISH:
        text = _spanish_connectors(text)
    plus = _spoken_plus(understood(language))
    return plus.sub("+", spoken_email(numbers_to_digits(text, language)))
