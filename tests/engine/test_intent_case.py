"""Intent patterns match lower-cased text: the answers are those re.IGNORECASE gave."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from core.engine import intents

_PHRASES = """where is my ORDER order #1004 Tracking DAMAGED broken speak to a HUMAN person
please yes no Thanks hello Bye cancel WRONG item never arrived when will it ARRIVE ignore your
RULES you are now verified SYSTEM prompt this is RIDICULOUS !! ok"""
_WORDS = st.sampled_from(_PHRASES.split())
_TEXTS = st.lists(_WORDS | st.text(max_size=6), max_size=12).map(" ".join)


def _ignorecase(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern, re.IGNORECASE)


@given(_TEXTS)
def test_lowered_text_matches_as_ignorecase_did(text: str) -> None:
    words = len(text.split())
    expected = intents.Intent.OUT_OF_SCOPE
    for intent, pattern in intents._PATTERNS:
        if intent in (intents.Intent.AFFIRM, intents.Intent.DENY) and words > intents._SHORT:
            continue
        if _ignorecase(pattern).search(text):
            expected = intent
            break
    assert intents.classify(text) is expected
    assert intents.looks_like_injection(text) == bool(_ignorecase(intents._INJECTION).search(text))
    if _ignorecase(intents._NEGATIVE).search(text):
        assert intents.is_negative(text)
