"""The requests shoppers make besides "where is my order", each told back as what it is,
with a person offered where the agent cannot act (issue 18)."""

from __future__ import annotations

import pytest

from tests.engine.fakes import Chat, FakeStore, load_orders


@pytest.fixture
def chat() -> Chat:
    return Chat(FakeStore(load_orders()))


@pytest.mark.parametrize(
    "text",
    [
        "I need to contact somebody",
        "can I chat with an assistant?",
        "talking with someone would help",
        "I want help talking with a real person",
        "i do not know how to contact a human",
    ],
)
async def test_someone_in_any_phrasing_is_a_person(chat, text):
    result = await chat.say(text)
    assert result.handoff is not None


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("cancelling order #1001", "cancel"),
        ("I can no longer afford order #1001", "cancel"),
        ("I'd like to add an item to order #1001", "change the items"),
        ("can I swap a product in my purchase?", "change the items"),
        ("refund 160 dollars", "refund"),
        ("I want my money back", "refund"),
    ],
)
async def test_cancel_change_and_refund_are_told_back_with_a_person_offered(chat, text, told):
    result = await chat.say(text)
    assert told in result.reply
    assert "pass you to a person" in result.reply
    assert chat.store.calls == [] and chat.attempts.calls == []  # no status flow, no attempt
    accepted = await chat.say("yes please")
    assert accepted.handoff is not None


async def test_a_complaint_naming_no_order_gets_one_question_then_a_person(chat):
    asked = await chat.say("I want to file a complaint against your company")
    assert "Is it about one of your orders?" in asked.reply
    assert asked.handoff is None and chat.store.calls == []
    then = await chat.say("it's about how I was treated on the phone")
    assert then.handoff is not None


async def test_a_complaint_naming_no_order_then_an_order_is_verified_first(chat):
    await chat.say("I want to make a complaint")
    named = await chat.say("it's order #1001")
    assert "To keep your order safe" in named.reply
    assert named.handoff is None
    verified = await chat.say("ava.chen@example.com")
    assert verified.handoff is not None  # the complaint, with the verified order


async def test_a_complaint_naming_an_order_verifies_before_any_detail(chat):
    result = await chat.say("I want to complain about order #1001")
    assert "To keep your order safe" in result.reply
    assert not any(e.event_type == "verification" for e in result.events)


@pytest.mark.parametrize(
    "text",
    [
        "I forgot my password",
        "how do I unsubscribe from your newsletter?",
        "I want to open a premium account",
        "problem with lost PIN code",
    ],
)
async def test_accounts_passwords_and_newsletters_are_never_asked_for_an_order(chat, text):
    result = await chat.say(text)
    assert "order number" not in result.reply
    assert "accounts, passwords or newsletters" in result.reply
    assert "pass you to a person" in result.reply


async def test_a_complaint_about_an_order_goes_to_a_person_once_verified(chat):
    await chat.say("I want to complain about order #1001")
    verified = await chat.say("ava.chen@example.com")
    assert verified.handoff is not None
    assert verified.handoff.verified_identity.get("order") == "#1001"


@pytest.mark.parametrize("text", ["I need help", "help please", "hi, can you help me?"])
async def test_help_alone_opens_the_dialogue(chat, text):
    result = await chat.say(text)
    assert "What's your order number?" in result.reply


async def test_help_with_something_else_is_not_an_order_question(chat):
    result = await chat.say("can you help with gift cards?")
    assert "order number" not in result.reply
    assert "pass you to a person" in result.reply
