"""How the built-in brain's English follows the agent's language tag.

The words are English whatever the tag (the turn's metadata says so for another language),
but the region in a tag still decides what a shopper there expects to hear: the name of
the code on their address ("ZIP code" in the US, "postal code" in Canada, "postcode"
elsewhere) and whether the day comes before the month ("Sunday 29 November" outside North
America). A tag without a region, or none, keeps the neutral default.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    postcode: str = "postcode"
    day_first: bool = False


NEUTRAL = Wording()  # no region in the tag

# Regions that write the month first, and what each calls the code on an address.
_NORTH_AMERICA = {"US": "ZIP code", "PR": "ZIP code", "CA": "postal code"}


def wording_for(language: str) -> Wording:
    """From a BCP 47 tag such as "en-GB" (or "en_GB"); the region is its two-letter part."""
    subtags = language.strip().replace("_", "-").split("-")[1:]
    region = next((s.upper() for s in subtags if len(s) == 2 and s.isalpha()), None)
    if region is None:
        return NEUTRAL
    if region in _NORTH_AMERICA:
        return Wording(_NORTH_AMERICA[region], day_first=False)
    return Wording("postcode", day_first=True)
