"""The two small judgements a call makes on its own: when a keyed entry is complete, and what
the caller's next words are likely to be (which picks the recogniser's grammar)."""

from __future__ import annotations

import asyncio

import pytest

from core.engine.packs import pack
from frontends.voice.expecting import expecting_after
from frontends.voice.keypad import Keypad
from frontends.voice.speech import Expecting

EN = pack("en").lines


async def _entries(keys: str, *, pause: float = 0.15, wait: float = 0.4) -> list[tuple[str, str]]:
    sent: list[tuple[str, str]] = []

    async def send(digits: str, finish: str) -> None:
        sent.append((digits, finish))

    keypad = Keypad(send, pause_seconds=pause)
    for key in keys:
        if key == "_":  # the caller stops keying for longer than the pause
            await asyncio.sleep(pause * 2)
            continue
        keypad.press(key)
    await asyncio.sleep(wait)
    await keypad.close()
    return sent


async def test_an_entry_ends_with_hash_or_a_pause() -> None:
    assert await _entries("1001#") == [("1001", "#")]
    assert await _entries("1001") == [("1001", "")]
    assert await _entries("10_23#") == [("10", ""), ("23", "#")]


async def test_zero_alone_goes_at_once_but_is_a_digit_inside_an_entry() -> None:
    assert await _entries("0", pause=5, wait=0.05) == [("0", "")]  # not after the pause
    assert await _entries("1001#0") == [("1001", "#"), ("0", "")]
    assert await _entries("100#") == [("100", "#")]


async def test_keys_the_core_cannot_take_are_dropped_and_long_entries_split() -> None:
    assert await _entries("#") == []  # nothing to finish
    assert await _entries("1x2!3#") == [("123", "#")]
    assert await _entries("*9a#") == [("*9A", "#")]
    assert await _entries("1" * 70 + "#") == [("1" * 64, ""), ("1" * 6, "#")]


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (EN["ask_order_number.1"], Expecting.DIGITS),
        (EN["ask_order_number.2"], Expecting.DIGITS),
        (EN["ask_which_order.1"], Expecting.DIGITS),
        (EN["offer_person"], Expecting.YES_NO),
        ("Your parcel is late. Would you like me to pass you to a person?", Expecting.YES_NO),
        ("What's the zip code on the order?", Expecting.POSTCODE),
        # the factor question offers email, phone or postcode: free speech
        (EN["ask_factor"].format(postcode="zip code", name="#1001"), Expecting.FREE),
        (EN["anything_else"], Expecting.FREE),
        (EN["failed_turn"], Expecting.FREE),  # "say that again, or ask for a person?"
        (EN["call.say_again"], Expecting.FREE),
        ("Order #1001 is on its way with UPS.", Expecting.FREE),
        ("", Expecting.FREE),
    ],
)
def test_the_grammar_follows_the_agents_last_question(reply: str, expected: Expecting) -> None:
    assert expecting_after(reply) is expected


def test_asked_to_say_it_again_the_caller_is_heard_as_before() -> None:
    for before in Expecting:
        assert expecting_after(EN["call.say_again"], before) is before
        assert expecting_after(EN["failed_turn"], before) is before
    assert expecting_after(EN["anything_else"], Expecting.DIGITS) is Expecting.FREE
