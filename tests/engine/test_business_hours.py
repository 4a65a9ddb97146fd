"""Outside the agent's opening hours: the agent still answers, but a handoff waits for the
team (no transfer on a call) and the customer hears when they are back."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from core.domain.business_hours import OpeningHours
from tests.engine.fakes import Chat, Clock, FakeStore, agent, load_orders

NEW_YORK = ZoneInfo("America/New_York")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
OFFICE = {
    "time_zone": "America/New_York",
    "intervals": [{"day": day, "open": "09:00", "close": "17:00"} for day in WEEKDAYS],
}
FRIDAY_MORNING = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)  # 10:00 in New York
FRIDAY_EVENING = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # 18:30 in New York


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(load_orders())


def office_agent(**after_hours: str) -> dict:
    snapshot = agent(transfer_destination="+15035550000")
    snapshot["agent"]["business_hours"] = OFFICE
    if after_hours:
        snapshot["agent"]["after_hours"] = after_hours
    return snapshot


async def test_inside_the_hours_a_call_is_transferred(store):
    chat = Chat(store, office_agent(), channel="voice", clock=Clock(FRIDAY_MORNING))
    result = await chat.say("let me speak to a human")
    assert result.handoff is not None and result.handoff.live
    assert result.transfer_destination == "+15035550000"
    assert "transferring you" in result.reply


async def test_outside_the_hours_nobody_is_put_through_and_the_customer_hears_when(store):
    chat = Chat(store, office_agent(), channel="voice", clock=Clock(FRIDAY_EVENING))
    result = await chat.say("let me speak to a human")
    assert result.handoff is not None and not result.handoff.live  # still in the queue
    assert result.transfer_destination == ""
    assert "transferring" not in result.reply
    assert "back Monday, November 30 at 9 AM" in result.reply


async def test_when_the_team_is_back_is_said_the_way_the_agents_region_says_dates(store):
    snapshot = office_agent()
    snapshot["agent"]["language"] = "en-GB"
    chat = Chat(store, snapshot, clock=Clock(FRIDAY_EVENING))
    result = await chat.say("a person please")
    assert "back Monday 30 November at 9 AM" in result.reply


async def test_the_agent_still_answers_order_questions_after_hours(store):
    chat = Chat(store, office_agent(), clock=Clock(FRIDAY_EVENING))
    result = await chat.say("where is #1001 ava.chen@example.com")
    assert "on its way" in result.reply and result.handoff is None


async def test_take_message_and_the_merchants_own_words(store):
    message = Chat(
        store, office_agent(action="take_message"), channel="voice", clock=Clock(FRIDAY_EVENING)
    )
    said = (await message.say("operator")).reply
    assert "taken a message" in said and "call you back Monday" in said
    own = "We're closed for the weekend; someone will be in touch on Monday."
    custom = Chat(store, office_agent(message=own), clock=Clock(FRIDAY_EVENING))
    assert own in (await custom.say("a person please")).reply


async def test_a_disabled_business_hours_guardrail_switches_it_off(store):
    snapshot = office_agent()
    snapshot["guardrails"].append(
        {"policy_type": "POLICY_TYPE_BUSINESS_HOURS", "config": {}, "is_enabled": False}
    )
    chat = Chat(store, snapshot, channel="voice", clock=Clock(FRIDAY_EVENING))
    result = await chat.say("let me speak to a human")
    assert result.transfer_destination == "+15035550000"


def test_opening_hours_in_their_own_zone_and_past_midnight():
    late = OpeningHours.from_settings(
        {
            "time_zone": "America/New_York",
            "intervals": [{"day": "saturday", "open": "22:00", "close": "02:00"}],
        },
        UTC,
    )
    assert late is not None
    assert late.is_open(datetime(2026, 11, 28, 23, 30, tzinfo=NEW_YORK))
    assert late.is_open(datetime(2026, 11, 29, 1, 59, tzinfo=NEW_YORK))  # Sunday morning
    assert not late.is_open(datetime(2026, 11, 29, 2, 0, tzinfo=NEW_YORK))
    # From Sunday night the next opening is six days on, across the week's end.
    back = late.next_opening(datetime(2026, 11, 29, 12, 0, tzinfo=NEW_YORK))
    assert back == datetime(2026, 12, 5, 22, 0, tzinfo=NEW_YORK)
    assert OpeningHours.from_settings({"intervals": []}, UTC) is None  # no hours: always open


async def test_the_after_hours_words_open_a_conversation_only_outside_the_hours(store):
    own = "We're closed right now, but I can still check on your order."
    closed = Chat(store, office_agent(message=own), clock=Clock(FRIDAY_EVENING))
    assert own in (await closed.say("hello")).reply
    assert own not in (await closed.say("where is #1001 ava.chen@example.com")).reply
    opened = Chat(store, office_agent(message=own), clock=Clock(FRIDAY_MORNING))
    assert own not in (await opened.say("hello")).reply
