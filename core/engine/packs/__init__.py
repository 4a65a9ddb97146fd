"""Language packs: one per language; its words are compiled for understanding only for the
agents that read its language (language_words.understood), and its lines said only by
agents speaking it. Two readings take every pack on purpose: injection attempts (recorded
in any language) and postcode names (masked in any language), so every pack is imported
once those run.

Each pack is a module here named after its language's primary subtag (`en.py`, `es.py`)
holding a `PACK` (format.LanguagePack): its intent patterns and example lines, its number
words, its slot cues, and the agent's lines by message id. The engine holds no language
text of its own. An agent whose language has no pack is read and answered in English.

Adding a language: see the README ("Adding a language").
"""

from __future__ import annotations

import importlib
from functools import cache
from pathlib import Path

from .format import LanguagePack, LanguageWords, NumberWords

__all__ = ["FALLBACK", "LanguagePack", "LanguageWords", "NumberWords", "available", "pack"]

# Read and spoken where the agent's language has no pack.
FALLBACK = "en"
_HERE = Path(__file__).resolve().parent


@cache
def available() -> tuple[str, ...]:
    """The languages with a pack, sorted (the module files here)."""
    return tuple(sorted(p.stem for p in _HERE.glob("*.py") if p.stem not in ("__init__", "format")))


@cache
def pack(language: str) -> LanguagePack:
    """The pack of a primary subtag ("es"), imported on first use; the fallback's for a
    language without one."""
    if language not in available():
        language = FALLBACK
    loaded: LanguagePack = importlib.import_module(f"{__name__}.{language}").PACK
    if loaded.language != language:
        raise ValueError(f"packs/{language}.py holds the {loaded.language!r} pack")
    return loaded
