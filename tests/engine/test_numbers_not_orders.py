"""Numbers that are not orders: money, quantities, times, dates, phone numbers and postcodes
said in a sentence about something else never become an order number, and never spend a
verification attempt (issue 18)."""

from __future__ import annotations

import pytest

from core.engine.nlu import understand
from core.engine.slots import EXPECT_FACTOR
from tests.engine.fakes import Chat, FakeStore, load_orders


@pytest.mark.parametrize(
    "text",
    [
        "refund 160 dollars",
        "refunding$1499",
        "I paid $160 for it",
        "I was charged 160 € twice",
        "it cost £2,499.00",
        "I want 250 euros back",
        "I ordered 300 items",
        "it's been 120 days",
        "I ordered it on March 3, 2026",
        "deliver it at 1230 pm",
        "it was 1999.99 in total",
    ],
)
def test_money_quantities_times_and_dates_are_not_order_numbers(text):
    assert understand(text).slots.order_number is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("quiero que me devuelvan 160 euros", "es"),
        ("lo pedí el 3 de marzo de 2026", "es"),
        ("son 500 dólares", "es"),
    ],
)
def test_spanish_amounts_and_dates_are_not_order_numbers(text, language):
    assert understand(text, language=language).slots.order_number is None


def test_an_order_named_with_an_amount_is_still_the_order():
    slots = understand("refund 160 dollars on order #1001").slots
    assert slots.order_number == "#1001"


def test_a_phone_number_or_a_postcode_named_as_such_is_not_an_order():
    assert understand("call me on +1 503 555 0142").slots.order_number is None
    assert understand("my zip code is 97209").slots.order_number is None


def test_an_amount_while_a_detail_is_awaited_spends_no_attempt():
    """Asked for the email on #1001, "I paid $160": not a postcode, not a guess."""
    slots = understand("I paid $160 for it", expecting=EXPECT_FACTOR).slots
    assert slots.factor() is None


async def test_a_refund_of_an_amount_spends_no_verification_attempt():
    chat = Chat(FakeStore(load_orders()))
    result = await chat.say("refund 160 dollars")
    assert "#160" not in result.reply
    assert chat.attempts.calls == [] and chat.store.calls == []
    assert "refund" in result.reply and "person" in result.reply
