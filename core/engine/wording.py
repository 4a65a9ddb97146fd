"""How the built-in brain words things for the agent's language tag.

English and Spanish are spoken; an agent set to another language gets English (the turn's
metadata says so). Within English the region in a tag still decides what a shopper there
expects to hear: the name of the code on their address ("ZIP code" in the US, "postal code"
in Canada, "postcode" elsewhere) and whether the day comes before the month ("Sunday 29
November" outside North America). A tag without a region, or none, keeps the neutral
default.
"""

from __future__ import annotations

from dataclasses import dataclass

ENGLISH = "en"
SPANISH = "es"


@dataclass(frozen=True)
class Wording:
    postcode: str = "postcode"
    day_first: bool = False
    language: str = ENGLISH  # ENGLISH | SPANISH: the words themselves

    def say(self, en: str, es: str) -> str:
        """The line in this wording's language: both are written side by side where the
        line is made, so a change to one is seen next to the other."""
        return es if self.language == SPANISH else en

    def line(self, message: str, **fields: object) -> str:
        """The line `message` of this wording's language pack (the fallback pack's where
        the language has none), its fields filled in; `postcode` is this wording's."""
        from .packs import FALLBACK, pack  # the packs hold the words: loaded when spoken

        template = pack(self.language).lines.get(message) or pack(FALLBACK).lines[message]
        return template.format(postcode=self.postcode, **fields)


NEUTRAL = Wording()  # no region in the tag
SPANISH_WORDING = Wording("código postal", day_first=True, language=SPANISH)

# Regions that write the month first, and what each calls the code on an address.
_NORTH_AMERICA = {"US": "ZIP code", "PR": "ZIP code", "CA": "postal code"}


def _subtags(tag: str) -> list[str]:
    """ "en-GB", "en_GB" → ["en", "GB"]."""
    return tag.strip().replace("_", "-").split("-")


def primary_language(tag: str) -> str:
    """The language subtag of a BCP 47 tag, lower case: "es" for "es-MX"."""
    return _subtags(tag)[0].lower()


def wording_for(language: str) -> Wording:
    """From a BCP 47 tag such as "en-GB" (or "en_GB"); the region is its two-letter part."""
    if primary_language(language) == SPANISH:
        return SPANISH_WORDING
    subtags = _subtags(language)[1:]
    region = next((s.upper() for s in subtags if len(s) == 2 and s.isalpha()), None)
    if region is None:
        return NEUTRAL
    if region in _NORTH_AMERICA:
        return Wording(_NORTH_AMERICA[region], day_first=False)
    return Wording("postcode", day_first=True)
