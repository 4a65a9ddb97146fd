"""Language packs: every pack says every line the engine asks for, with the same fields,
and a pack is loaded only for an agent that speaks (or reads) its language."""

from __future__ import annotations

import string
import subprocess
import sys
from pathlib import Path

import pytest

from core.engine.packs import available, pack

ROOT = Path(__file__).resolve().parents[2]


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_english_and_spanish_are_packs():
    assert {"en", "es"} <= set(available())


@pytest.mark.parametrize("language", [code for code in available() if code != "en"])
def test_every_pack_says_every_line_with_the_same_fields(language):
    english, other = pack("en").lines, pack(language).lines
    assert set(other) == set(english)
    # A field a language does not use is fine ("closed.when": a 12- or 24-hour clock); a
    # field the engine does not give is not.
    given = {k: _fields(v) for k, v in english.items()}
    given["closed.when"] = {"day", "on", "clock12", "clock24"}
    assert {k: _fields(v) - given[k] for k, v in other.items()} == {k: set() for k in other}


def test_every_line_the_engine_says_is_in_the_packs():
    """Each `.line("id"` in the engine's code names a line of the English pack."""
    said: set[str] = set()
    for path in (ROOT / "core" / "engine").rglob("*.py"):
        if "packs" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        said |= {part.split('"')[0] for part in text.split('.line("')[1:]}
    missing = {
        message for message in said if "{" not in message and message not in pack("en").lines
    }
    assert missing == set()


def test_a_packs_words_are_read_only_by_an_agent_that_reads_its_language():
    """An English agent's reader compiles the English pack alone. (Every pack's injection
    patterns and postcode names are read for every agent on purpose: an attempt in any
    language is recorded, a postcode named in any language is masked.)"""
    code = (
        "from core.engine import intents, slots\n"
        "from core.engine.nlu import understand\n"
        "understand('where is my order 1001?', language='en-GB')\n"
        "understand('¿dónde está mi pedido 1001?', language='en-GB')\n"
        "print(intents._reader_of.cache_info().currsize, slots._cues_of.cache_info().currsize)\n"
        "intents.classify('hola', language='es')\n"
        "print(intents._reader_of.cache_info().currsize)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["1", "1", "2"]


def test_every_store_outcome_has_its_line_in_every_pack():
    """What the agent says when the store cannot be asked is pack text too, by id."""
    from core.domain import store_errors

    outcomes = [
        value
        for value in vars(store_errors).values()
        if isinstance(value, type) and issubclass(value, store_errors.StoreOutcome)
    ]
    assert len(outcomes) > 5
    for language in available():
        missing = {o.__name__ for o in outcomes if o.customer_line not in pack(language).lines}
        assert not missing, f"{language} pack lacks the lines of {missing}"
