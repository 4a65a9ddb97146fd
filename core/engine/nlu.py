"""One message understood: its intent, its slots, its mood, and whether it tries to talk
the agent out of its rules. Deterministic and offline."""

from __future__ import annotations

from dataclasses import dataclass

from .intents import Intent, classify, is_negative, is_question, looks_like_injection
from .slots import EXPECT_ORDER, Slots, extract_written
from .spoken import normalise
from .wording import ENGLISH


@dataclass(frozen=True)
class Understanding:
    intent: Intent
    slots: Slots
    negative: bool
    injection: bool
    question: bool


# On a phone menu, 0 alone is the way to a person.
_OPERATOR = frozenset({"0", "0#", "*0"})


def understand(
    text: str, expecting: str | None = None, dtmf: str = "", language: str = ENGLISH
) -> Understanding:
    """One message, read in the agent's `language`: its number and address words, and the
    words of the languages it understands (language_words.understood)."""
    written = normalise(text, language)
    operator = not text.strip() and dtmf.strip() in _OPERATOR
    return Understanding(
        intent=Intent.HUMAN
        if operator
        else classify(written, asked_for_order=expecting == EXPECT_ORDER, language=language),
        slots=extract_written(written, expecting, dtmf, language),
        negative=is_negative(text, language),
        injection=looks_like_injection(written),
        question=is_question(written, language),
    )
