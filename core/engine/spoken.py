"""Spoken forms into written ones: number words into digits and spelled-out email
addresses into addresses, so the slot patterns see "1001" and "ava.chen@example.com"
whichever way the customer (or the speech recogniser) put them.

Two ways people say numbers are understood: digit by digit ("one zero zero one", "nine
seven two zero nine", "double oh seven", "ten oh one" as pairs) and as a cardinal ("one
thousand and one", "four thousand four hundred seventeen"). A run that would give a single
digit is left alone, so "the one I ordered" stays words.
"""

from __future__ import annotations

import re

_UNITS = {
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
}
_TEENS = {
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
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
_REPEATS = {"double": 2, "triple": 3}
_NUMBER_WORDS = {*_UNITS, *_TEENS, *_TENS, *_SCALES, *_REPEATS}
_WORD = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))
_RUN = re.compile(
    rf"\b(?:{_WORD})(?:(?:[\s,-]+(?:and[\s,-]+)?)(?:{_WORD}))*\b",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"[\s,-]+")
# Letters as case folding leaves them: _RUN can only match where one of these runs is a
# number word (IGNORECASE folds the same way), so most messages skip _RUN's long scan.
_LETTERS = re.compile(r"[a-z]+")

_CONNECTORS = {"dot": ".", "underscore": "_", "dash": "-", "hyphen": "-", "plus": "+"}
_TRAILING = ".,;:!?)\"'"


def _digit_groups(words: list[str]) -> str | None:
    """Digit by digit and in pairs: "one zero zero one", "ten oh one", "double seven"."""
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in _REPEATS:
            if index + 1 < len(words) and words[index + 1] in _UNITS:
                out.append(str(_UNITS[words[index + 1]]) * _REPEATS[word])
                index += 2
                continue
            return None
        if word in _UNITS:
            out.append(str(_UNITS[word]))
        elif word in _TEENS:
            out.append(str(_TEENS[word]))
        elif word in _TENS:
            following = words[index + 1] if index + 1 < len(words) else ""
            if following in _UNITS and _UNITS[following] > 0 and following not in ("oh", "o"):
                out.append(str(_TENS[word] + _UNITS[following]))
                index += 1
            else:
                out.append(str(_TENS[word]))
        else:
            return None
        index += 1
    return "".join(out)


def _cardinal(words: list[str]) -> str | None:
    """ "one thousand and one", "four thousand four hundred seventeen"."""
    total = current = 0
    for word in words:
        if word in _UNITS and word not in ("oh", "o"):
            current += _UNITS[word]
        elif word in _TEENS:
            current += _TEENS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            return None
    return str(total + current)


def _run_to_digits(match: re.Match[str]) -> str:
    text = match.group(0)
    words = [w for w in _SPLIT.split(text.lower()) if w and w != "and"]
    if any(w in _SCALES for w in words):
        digits = _cardinal(words)
    else:
        if " and " in f" {text.lower()} ":
            return text  # "one and two": two numbers, not one
        digits = _digit_groups(words)
    if digits is None or len(digits) < 2:
        return text
    return digits


def numbers_to_digits(text: str) -> str:
    """Every run of number words replaced by its digits; other words untouched."""
    if _NUMBER_WORDS.isdisjoint(_LETTERS.findall(text.casefold())):
        return text
    return _RUN.sub(_run_to_digits, text)


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


# "plus four nine one five …": the international prefix of a spoken phone number.
_SPOKEN_PLUS = re.compile(r"\bplus\s+(?=\d)", re.IGNORECASE)


def normalise(text: str) -> str:
    """The written form of what was said: numbers as digits, spoken addresses as addresses,
    a spoken "plus" before a number as "+"."""
    return _SPOKEN_PLUS.sub("+", spoken_email(numbers_to_digits(text)))
