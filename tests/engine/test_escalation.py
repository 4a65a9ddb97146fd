"""Handoffs: why, with what (only verified data), and what the customer is told."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.domain.order_status import OrderState
from tests.engine.fakes import NOW, Chat, FakeStore, agent, load_orders


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(load_orders())


async def test_damaged_asks_for_the_order_then_hands_off_with_its_summary(store):
    chat = Chat(store)
    first = await chat.say("my parcel arrived damaged")
    assert "order number" in first.reply and first.handoff is None
    second = await chat.say("#1001")
    assert "shipping postcode" in second.reply and second.handoff is None
    done = await chat.say("ava.chen@example.com")
    assert done.handoff is not None
    assert done.handoff.reason == "damaged"
    assert done.handoff.verified_identity == {
        "order": "#1001",
        "method": "order_match",
        "factor": "email",
    }
    summary = done.handoff.order_summary
    assert summary["order"] == "#1001" and summary["status"] == "in_transit"
    assert summary["shipments"][0]["trackingNumbers"] == ["1Z999AA10123456784"]
    assert "damaged" in done.reply and "person on our team" in done.reply
    assert {"reason": "damaged", "order": "#1001"} in chat.events("handoff")


async def test_wrong_item_hands_off(store):
    chat = Chat(store)
    result = await chat.say("you sent me the wrong size, order #1002 zip 43215")
    assert result.handoff is not None and result.handoff.reason == "wrong_item"


async def test_delivered_but_not_received_is_lost(store):
    chat = Chat(store)
    result = await chat.say("my order #1002 never arrived, zip 43215")
    assert result.handoff is not None and result.handoff.reason == "lost"
    assert "was delivered" in result.reply


async def test_in_transit_and_not_received_yet_is_just_the_status(store):
    chat = Chat(store)
    result = await chat.say("order #1001 hasn't arrived yet, ava.chen@example.com")
    assert result.handoff is None and "on its way" in result.reply


async def test_long_overdue_estimate_is_a_delay(store):
    chat = Chat(store)
    chat.clock.now = NOW + timedelta(days=6)  # four days past #1001's estimate
    result = await chat.say("where is #1001, ava.chen@example.com")
    assert result.handoff is not None and result.handoff.reason == "delayed"
    assert "It was expected on Sunday, November 29" in result.reply


async def test_attempted_delivery_shortly_after_the_estimate_is_not_escalated(store):
    result = await Chat(store).say("#1008 zip 10119")
    assert result.handoff is None


async def test_unknown_shipment_state_reads_as_unsure(store):
    orders = load_orders()
    orders["#1001"] = replace(orders["#1001"], state=OrderState.UNKNOWN)
    result = await Chat(FakeStore(orders)).say("#1001 ava.chen@example.com")
    assert "can't tell its delivery status" in result.reply


async def test_person_please_before_verification_hands_off_with_nothing(store):
    chat = Chat(store)
    await chat.say("#1004")
    result = await chat.say("can I talk to a real person please")
    assert result.handoff is not None
    assert result.handoff.reason == "requested"
    assert result.handoff.order_summary == {}
    assert result.handoff.verified_identity == {}
    assert "person on our team" in result.reply


async def test_person_please_after_verification_carries_the_verified_order(store):
    chat = Chat(store)
    await chat.say("#1001 ava.chen@example.com")
    await chat.say("what about #1004")  # in focus now, not verified
    result = await chat.say("agent please")
    assert result.handoff.order_summary == {}  # #1004 was never verified
    chat2 = Chat(store)
    await chat2.say("#1001 ava.chen@example.com")
    result2 = await chat2.say("representative")
    assert result2.handoff.order_summary["order"] == "#1001"


async def test_negative_sentiment_after_the_configured_number_of_turns(store):
    chat = Chat(store)
    first = await chat.say("this is ridiculous, where is order #1001")
    assert first.handoff is None
    second = await chat.say("WORST SERVICE EVER!!! ava.chen@example.com")
    assert second.handoff is not None
    assert second.handoff.reason == "negative_sentiment"
    assert "on its way" in second.reply  # they still get their answer
    assert second.handoff.order_summary["order"] == "#1001"


async def test_negative_turns_threshold_from_the_content_policy(store):
    snapshot = agent(
        guardrails=[
            {
                "policy_type": "POLICY_TYPE_CONTENT_POLICY",
                "config": {"negativeTurnsBeforeHandoff": 1},
            }
        ]
    )
    result = await Chat(store, snapshot).say("this is ridiculous")
    assert result.handoff is not None and result.handoff.reason == "negative_sentiment"


async def test_repeated_misunderstanding_hands_off(store):
    chat = Chat(store)
    first = await chat.say("blue skies over the bay")
    assert first.handoff is None and "didn't catch that" in first.reply
    second = await chat.say("tell me a joke about penguins")
    assert second.handoff is not None and second.handoff.reason == "misunderstanding"


async def test_a_question_about_something_else_is_answered_as_out_of_scope(store):
    chat = Chat(store)
    await chat.say("hi")
    asked = await chat.say("do you sell gift cards?")
    assert "only help with your orders" in asked.reply and "didn't catch" not in asked.reply
    assert asked.handoff is None
    yes = await chat.say("yes please")
    assert yes.handoff is not None and yes.handoff.reason == "requested"


async def test_two_questions_about_something_else_hand_off(store):
    chat = Chat(store)
    first = await chat.say("what's the weather like in Paris")
    assert "not something I can help with" in first.reply and first.handoff is None
    second = await chat.say("tell me a joke about penguins")
    assert second.handoff is not None and second.handoff.reason == "misunderstanding"


async def test_understanding_in_between_resets_the_count(store):
    chat = Chat(store)
    await chat.say("what's the weather like")
    await chat.say("#1001")
    result = await chat.say("blue skies")
    assert result.handoff is None


async def test_only_one_handoff_per_conversation(store):
    chat = Chat(store)
    await chat.say("a person please")
    again = await chat.say("a person please")
    assert again.handoff is None and "already asked a person" in again.reply


async def test_voice_handoff_transfers_when_a_destination_is_set(store):
    chat = Chat(store, agent(transfer_destination="+15035550000"), channel="voice")
    result = await chat.say("let me speak to a human")
    assert result.transfer_destination == "+15035550000"
    assert "transferring you" in result.reply


async def test_voice_handoff_without_destination_says_they_will_call_back(store):
    chat = Chat(store, channel="voice")
    result = await chat.say("operator")
    assert result.transfer_destination == ""
    assert "get back to you" in result.reply


async def test_cancel_offer_accepted_hands_off(store):
    chat = Chat(store)
    await chat.say("cancel my order please")
    result = await chat.say("yes please")
    assert result.handoff is not None and result.handoff.reason == "requested"
