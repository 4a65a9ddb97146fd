"""How the built-in brain words things for the agent's language tag.

Every language with a pack (packs/) is spoken; an agent set to another language gets
English (the turn's metadata says so). Within a language the region in a tag still decides
what a shopper there expects to hear, as its pack says: the name of the code on their
address ("ZIP code" in the US, "postcode" in Britain) and whether the day comes before the
month ("Sunday 29 November" outside North America). A tag without a region, or none, keeps
the pack's default.
"""

from __future__ import annotations

from dataclasses import dataclass

from .packs import FALLBACK, available, pack

ENGLISH = "en"
SPANISH = "es"


@dataclass(frozen=True)
class Wording:
    postcode: str = "postcode"
    day_first: bool = False
    language: str = ENGLISH  # the pack the words come from

    def line(self, message: str, **fields: object) -> str:
        """The line `message` of this wording's language pack (the fallback pack's where
        the language has none), its fields filled in; `postcode` is this wording's."""
        template = pack(self.language).lines.get(message) or pack(FALLBACK).lines[message]
        return template.format(postcode=self.postcode, **fields)


NEUTRAL = Wording()  # no region in the tag


def _subtags(tag: str) -> list[str]:
    """ "en-GB", "en_GB" → ["en", "GB"]."""
    return tag.strip().replace("_", "-").split("-")


def primary_language(tag: str) -> str:
    """The language subtag of a BCP 47 tag, lower case: "es" for "es-MX"."""
    return _subtags(tag)[0].lower()


def wording_for(language: str) -> Wording:
    """From a BCP 47 tag such as "en-GB" (or "en_GB"); the region is its two-letter part.
    The words come from the language's pack (English where it has none), which says what
    each region calls the code on an address and whether it puts the day first."""
    primary = primary_language(language)
    words = pack(primary if primary in available() else FALLBACK)
    subtags = _subtags(language)[1:]
    region = next((s.upper() for s in subtags if len(s) == 2 and s.isalpha()), None)
    postcode, day_first = words.postcode_word, words.day_first
    if region is not None and region in words.regions:
        postcode, day_first = words.regions[region]
    elif region is not None and words.other_region is not None:
        postcode, day_first = words.other_region
    return Wording(postcode, day_first=day_first, language=words.language)
