"""The words a message is read by, one table per language, each in its language pack
(packs/<language>.py): what each intent sounds like (with example lines it must be read
as), mood, questions, the details a customer names, and the cues around order numbers,
postcodes and phone numbers.

intents.py, slots.py and phone_numbers.py compile them. A table holds one language's words
and nothing of another's; which tables an agent reads is `understood` below, and only
those are loaded. Intent patterns are regular expressions written in lower case (they are
matched against lower-cased text), keyed by the intent's value, and checked in the
intents' order of precedence (intents.Intent), so a table says what the words are, never
which intent wins.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from .packs import FALLBACK, LanguageWords, available, pack
from .wording import primary_language

__all__ = ["WORDS", "LanguageWords", "understood"]


class _Words(Mapping[str, LanguageWords]):
    """Language → its pack's words, each pack loaded when first asked for. Iterating loads
    every pack: only what must read every language does (injection, redaction)."""

    def __getitem__(self, language: str) -> LanguageWords:
        if language not in available():
            raise KeyError(language)
        return pack(language).words

    def __iter__(self) -> Iterator[str]:
        return iter(available())

    def __len__(self) -> int:
        return len(available())


WORDS: Mapping[str, LanguageWords] = _Words()


def understood(language: str) -> tuple[str, ...]:
    """The languages an agent speaking `language` (a BCP 47 tag, "es-MX", or "es") reads,
    its own first (its pack's `reads`). A language without a pack is read as English, as it
    is answered in English."""
    primary = primary_language(language)
    return pack(primary if primary in available() else FALLBACK).reads
