"""A language's words apply only to agents speaking it: an English sentence is not read with
Spanish words, a word naming a person is not a request for one unless it asks, and no
intent's patterns take the example lines of another."""

from __future__ import annotations

import re

import pytest

from core.engine import intents
from core.engine.intents import Intent, classify
from core.engine.language_words import WORDS, understood
from core.engine.spoken import normalise
from tests.engine.fakes import Chat, FakeStore, agent, load_orders

ON_ITS_WAY = "Order #1001 (Trail Runner 3) is on its way with UPS."


@pytest.fixture
def orders() -> FakeStore:
    return FakeStore(load_orders())


async def test_a_spanish_word_in_an_english_sentence_means_nothing_to_an_english_agent(orders):
    """ "rota" is Spanish for broken: an en-US agent once read this as a damaged order."""
    chat = Chat(orders, agent(language="en-US"))
    await chat.say("Where is my rota planner, order #1001?")
    told = await chat.say("ava.chen@example.com")
    assert told.handoff is None
    assert ON_ITS_WAY in told.reply and "damaged" not in told.reply


async def test_a_spanish_agent_still_reads_it_as_broken(orders):
    chat = Chat(orders, agent(language="es-ES"))
    await chat.say("¿dónde está mi pedido 1001? llegó rota")
    told = await chat.say("ava.chen@example.com")
    assert told.handoff is not None and told.handoff.reason == "damaged"


@pytest.mark.parametrize(
    ("language", "verified", "mentioned", "status", "asked"),
    [
        (
            "en-US",
            "order #1001, ava.chen@example.com",
            "the agent said it shipped",
            ON_ITS_WAY,
            "ok, get me an agent",
        ),
        (
            "es-ES",
            "pedido 1001, ava.chen@example.com",
            "un agente me dijo que el pedido ya estaba enviado",
            "El pedido #1001 (Trail Runner 3) está en camino con UPS.",
            "pásame con un agente",
        ),
    ],
)
async def test_an_agent_mentioned_is_not_an_agent_asked_for(
    orders, language, verified, mentioned, status, asked
):
    chat = Chat(orders, agent(language=language))
    await chat.say(verified)
    told = await chat.say(mentioned)
    assert told.handoff is None and status in told.reply
    handed = await chat.say(asked)
    assert handed.handoff is not None and handed.handoff.reason == "requested"


@pytest.mark.parametrize(
    "text",
    [
        "llegó roto",
        "quiero hablar con una persona",
        "¿cuándo llega?",
        "nunca me llegó",
        "quiero cancelar",
        "hola",
        "gracias",
    ],
)
def test_an_english_agent_understands_no_spanish_line(text):
    assert classify(normalise(text), language="en-US") is Intent.OUT_OF_SCOPE
    assert classify(normalise(text, "es"), language="es-ES") is not Intent.OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("the tracking please", Intent.TRACKING),
        ("a person please", Intent.HUMAN),
        ("it never arrived", Intent.NOT_RECEIVED),
    ],
)
def test_a_spanish_agent_understands_english_inside_a_conversation(text, intent):
    """Code-switching: shoppers write to a Spanish-speaking shop in English too."""
    assert classify(normalise(text, "es"), language="es") is intent


@pytest.mark.parametrize("language", sorted(WORDS))
def test_every_intent_has_example_lines_in_every_language(language):
    examples = WORDS[language].examples
    assert {intent: len(examples.get(intent.value, ())) >= 3 for intent in Intent} == {
        intent: True for intent in Intent
    }


def _example_lines() -> list[tuple[str, Intent, str]]:
    return [
        (language, Intent(intent), line)
        for language, table in sorted(WORDS.items())
        for intent, lines in table.examples.items()
        for line in lines
    ]


@pytest.mark.parametrize(("language", "intent", "line"), _example_lines())
def test_no_intents_patterns_take_another_intents_example_line(language, intent, line):
    """As Rasa's keyword classifier warns of a keyword found in another intent's examples:
    every pattern an agent speaking the language reads (its own language's and, for a
    Spanish agent, English) is held to the language's example lines. Patterns of an intent
    after the line's own in precedence may match it (they never get to: "yes thanks" is
    AFFIRM though THANKS matches too); none before it may."""
    text = normalise(line, language)
    before = []
    for matched in intents.readings(text, language):
        if matched is intent:
            break
        taken_by = [
            pattern
            for words in (WORDS[other] for other in understood(language))
            for pattern in words.intents.get(matched.value, ())
            if re.search(pattern, text.lower())
        ]
        before.append((matched.value, taken_by))
    assert not before, f"{line!r} ({intent.value}) is taken by {before}"
    assert classify(text, language=language) is intent
