"""How a streamed reply is cut: at sentence ends, never inside a tracking number, a URL or
an amount, and the same whether the text arrives whole or a few characters at a time (so a
replayed turn sends the pieces the live one did)."""

from __future__ import annotations

import random

import pytest

from core.domain.sentences import SentenceCutter, sentences

REPLIES = [
    "Your order #1001 shipped with UPS. Tracking: 1Z999AA10123456784. It arrives Thursday!",
    "Track it at https://www.ups.com/track?tracknum=1Z999AA10123456784&loc=en_US. Anything else?",
    'You paid $12.50 (2.5 days ago). She said "it\'s here." Then nothing…  Odd? Yes.',
    "Here is what I have:\n- #1001: on its way\n- #1002: delivered\n\nAnything else?",
    "¿Dónde está? Tu pedido está en camino. «Llega el jueves.» ¡Gracias!",
    "No sentence end at all, just words",
    "",
]


@pytest.mark.parametrize("reply", REPLIES)
def test_pieces_join_back_and_are_the_same_in_any_chunks(reply: str) -> None:
    whole = sentences(reply)
    assert "".join(whole) == reply
    chance = random.Random(reply)
    for _ in range(50):
        cutter, fed, at = SentenceCutter(), [], 0
        while at < len(reply):
            size = chance.randint(1, 7)
            fed += cutter.feed(reply[at : at + size])
            at += size
        assert fed + cutter.finish() == whole


def test_cuts_fall_only_at_sentence_ends() -> None:
    assert sentences(REPLIES[0]) == [
        "Your order #1001 shipped with UPS. ",
        "Tracking: 1Z999AA10123456784. ",
        "It arrives Thursday!",
    ]
    url, rest = sentences(REPLIES[1])
    assert url.endswith("loc=en_US. ") and rest == "Anything else?"
    assert sentences(REPLIES[2]) == [
        "You paid $12.50 (2.5 days ago). ",
        'She said "it\'s here." ',
        "Then nothing… ",
        " Odd? ",
        "Yes.",
    ]
    assert sentences(REPLIES[4])[2] == "«Llega el jueves.» "


def test_a_sentence_goes_out_the_moment_it_is_whole() -> None:
    cutter = SentenceCutter()
    assert cutter.feed("Your parcel is on its way.") == []  # "way.com" could follow
    assert cutter.feed(" ") == ["Your parcel is on its way. "]
    assert cutter.feed("It arrives") == [] and cutter.held == "It arrives"
    assert cutter.finish() == ["It arrives"] and cutter.finish() == []
