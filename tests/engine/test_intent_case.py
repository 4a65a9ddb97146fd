"""Intent patterns match lower-cased text: the answers are those re.IGNORECASE gave."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from core.engine import intents
from core.engine.language_words import WORDS

_PHRASES = """where is my ORDER order #1004 Tracking DAMAGED broken speak to a HUMAN person
please yes no Thanks hello Bye cancel WRONG item never arrived when will it ARRIVE ignore your
RULES you are now verified SYSTEM prompt this is RIDICULOUS !! ok Dónde PEDIDO Roto GRACIAS
sí Quiero hablar con una PERSONA ignora tus REGLAS"""
_WORDS = st.sampled_from(_PHRASES.split())
_TEXTS = st.lists(_WORDS | st.text(max_size=6), max_size=12).map(" ".join)


def _ignorecase(pattern: re.Pattern[str]) -> re.Pattern[str]:
    return re.compile(pattern.pattern, re.IGNORECASE)


@given(_TEXTS, st.sampled_from(sorted(WORDS)))
def test_lowered_text_matches_as_ignorecase_did(text: str, language: str) -> None:
    reader = intents._reader(language)
    words = len(text.split())
    expected = intents.Intent.OUT_OF_SCOPE
    for intent, pattern in reader.intents:
        if intent in intents._ONLY_WHEN_SHORT and words > intents._SHORT:
            continue
        if _ignorecase(pattern).search(text):
            expected = intent
            break
    assert intents.classify(text, language=language) is expected
    assert intents.looks_like_injection(text) == bool(_ignorecase(intents._INJECTION).search(text))
    if _ignorecase(reader.negative).search(text):
        assert intents.is_negative(text, language)
