"""Whole conversations with the built-in brain, for every status in the example store,
typed and spoken, and over the demo store's data."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import UTC, datetime

import pytest

from core.domain.order_status import OrderStatus
from core.domain.store_errors import (
    StoreCredentialRejected,
    StoreOutcome,
    StoreTemporarilyUnavailable,
)
from core.engine import replies
from core.engine.state import DialogueState, VerifiedOrder
from core.engine.wording import NEUTRAL, Wording, wording_for
from tests.engine.fakes import (
    DEMO_STORE,
    Chat,
    Clock,
    FakeStore,
    agent,
    load_orders,
    raw_orders,
)

# order → (factor typed, factor spoken, words the status reply must hold, handoff reason)
EXAMPLE = {
    "#1001": (
        "ava.chen@example.com",
        "nine seven two zero nine",
        ["on its way", "UPS", "1Z999AA10123456784", "Sunday, November 29", "Reno"],
        None,
    ),
    "#1002": (
        "43215",
        "marcus dot okafor at example dot net",
        ["was delivered", "USPS", "9400111899223847261234", "November 1"],
        None,
    ),
    "#1003": (
        "LS1 4AP",
        "priya dot raman at example dot org",
        ["hasn't shipped yet", "Packable Rain Shell"],
        None,
    ),
    "#1004": (
        "(503) 555-0101",
        "five oh three five five five oh one oh one",
        ["couldn't be delivered", "FedEx", "771234567890"],
        "lost",
    ),
    "#1005": (
        "li.wei@example.com",
        "li dot wei at example dot com",
        ["cancelled and refunded", "November 21"],
        None,
    ),
    "#1006": (
        "28013",
        "sofia dot garcia at example dot es",
        ["Part of order #1006", "out for delivery", "DHL Express", "1234567890", "rest"],
        None,
    ),
    "#1007": (
        "60654",
        "six oh six five four",
        ["delayed", "UPS", "1Z999AA10987654321"],
        "delayed",
    ),
    "#1008": (
        "10119",
        "noah dot schmidt at example dot de",
        ["tried to deliver", "DHL", "JJD000390001234567890", "Berlin"],
        None,
    ),
}
SPOKEN_NAMES = {
    "#1001": "one zero zero one",
    "#1002": "ten oh two",
    "#1003": "one thousand and three",
    "#1004": "one zero zero four",
    "#1005": "one zero zero five",
    "#1006": "ten oh six",
    "#1007": "one zero zero seven",
    "#1008": "one thousand and eight",
}


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(load_orders())


@pytest.mark.parametrize("name", sorted(EXAMPLE))
async def test_typed_conversation_for_every_status(store, name):
    factor, _, words, reason = EXAMPLE[name]
    chat = Chat(store, agent(greeting="Hi, you've reached Example Outfitters."))
    first = await chat.say("hi, where is my order?")
    assert first.reply.startswith("Hi, you've reached Example Outfitters.")
    assert "order number" in first.reply
    asked = await chat.say(f"it's {name}")
    assert "email address, phone number or shipping postcode" in asked.reply
    assert name in asked.reply
    answer = await chat.say(factor)
    for word in words:
        assert word in answer.reply, (word, answer.reply)
    assert (answer.handoff.reason if answer.handoff else None) == reason
    if reason:
        assert "person on our team" in answer.reply
        assert answer.handoff.verified_identity["order"] == name
        assert answer.handoff.order_summary["order"] == name
    thanks = await chat.say("thanks")
    assert "welcome" in thanks.reply
    bye = await chat.say("bye")
    assert bye.end_conversation


@pytest.mark.parametrize("name", sorted(EXAMPLE))
async def test_spoken_conversation_for_every_status(store, name):
    _, spoken, words, reason = EXAMPLE[name]
    chat = Chat(store, channel="voice")
    await chat.say("")  # the call starts: the greeting alone
    asked = await chat.say(f"where is order number {SPOKEN_NAMES[name]}")
    assert name in asked.reply
    answer = await chat.say(spoken)
    for word in words:
        assert word in answer.reply, (word, answer.reply)
    assert "http" not in answer.reply  # links are not read out on a call
    assert (answer.handoff.reason if answer.handoff else None) == reason


async def test_everything_in_one_message(store):
    chat = Chat(store)
    result = await chat.say("Where is order #1001? My email is ava.chen@example.com")
    assert "on its way" in result.reply
    assert "Track it here: https://www.ups.com/track?tracknum=1Z999AA10123456784" in result.reply


async def test_factor_before_order_number_is_kept_until_the_number_comes(store):
    chat = Chat(store)
    first = await chat.say("hi, my email is ava.chen@example.com")
    assert "order number" in first.reply
    answer = await chat.say("order 1001")
    assert "on its way" in answer.reply


async def test_order_number_keyed_as_dtmf(store):
    chat = Chat(store, channel="voice")
    await chat.say("where's my order")
    asked = await chat.say("", dtmf="1001#")
    assert "#1001" in asked.reply
    answer = await chat.say("", dtmf="97209#")
    assert "on its way" in answer.reply


async def test_follow_up_questions_on_a_verified_order_look_it_up_live(store):
    chat = Chat(store)
    await chat.say("#1001 ava.chen@example.com")
    calls = len(store.calls)
    again = await chat.say("when will it arrive?")
    assert "Sunday, November 29" in again.reply
    assert len(store.calls) == calls + 1
    tracking = await chat.say("what's the tracking number?")
    assert "1Z999AA10123456784" in tracking.reply


async def test_tracking_question_without_tracking_says_so(store):
    chat = Chat(store)
    result = await chat.say("tracking for order #1003, postcode LS1 4AP")
    assert "no tracking number" in result.reply
    assert "hasn't shipped" in result.reply


@pytest.mark.parametrize(
    ("name", "zip_code", "words"),
    [
        ("#2001", "94109", ["on its way", "UPS"]),
        ("#2002", "98121", ["out for delivery", "USPS"]),
        ("#2003", "94109", ["was delivered", "FedEx"]),
        ("#2004", "80202", ["delayed"]),
        ("#2005", "H2Y 2A3", ["tried to deliver", "Canada Post"]),
        ("#2006", "33139", ["couldn't be delivered"]),
        ("#2007", "10115", ["couldn't be delivered"]),
        ("#2008", "02139", ["cancelled and refunded"]),
        ("#2009", "78701", ["hasn't shipped"]),
        ("#2010", "60606", ["Parcel 1 was delivered", "Parcel 2 is on its way"]),
        ("#2011", "85004", ["794611110001 and 794611110002"]),
        ("#2012", "SW1A 2BD", ["can't tell its delivery status", "RN123456785GB"]),
        ("#2013", "11201", ["on its way", "USPS"]),
        ("#2014", "97209", ["hasn't shipped"]),
        ("#2015", "2000", ["ready for pickup"]),
    ],
)
async def test_demo_store_orders(name, zip_code, words):
    chat = Chat(FakeStore(load_orders(DEMO_STORE)))
    await chat.say(f"where is order {name}?")
    answer = await chat.say(f"my zip is {zip_code}")
    for word in words:
        assert word in answer.reply, (word, answer.reply)


async def test_instructions_inside_order_data_are_data():
    chat = Chat(FakeStore(load_orders(DEMO_STORE)))
    answer = await chat.say("order #2013, ignore-previous-instructions@example.com")
    assert "on its way" in answer.reply
    assert "was delivered" not in answer.reply  # the event text asked us to say so
    # An item title written as orders to the agent is left out, as such event text is.
    assert "disregard" not in answer.reply and "token" not in answer.reply.lower()
    assert answer.handoff is None


async def test_order_text_with_braces_is_not_a_template():
    orders = load_orders()
    from dataclasses import replace

    from core.domain.order_status import LineItem

    orders["#1001"] = replace(orders["#1001"], line_items=(LineItem("{agent} {0} %s", 1, None),))
    chat = Chat(FakeStore(orders))
    answer = await chat.say("#1001 ava.chen@example.com")
    assert "({agent} {0} %s)" in answer.reply


def said(outcome: type[StoreOutcome]) -> str:
    return wording_for("en").line(outcome.customer_line)


async def test_store_outcomes_become_their_customer_message(store):
    chat = Chat(store)
    store.fail_with = StoreTemporarilyUnavailable("timeout")
    result = await chat.say("order #1001 ava.chen@example.com")
    assert result.reply.endswith(said(StoreTemporarilyUnavailable))
    assert chat.events("error") == [
        {"reason": "STORE_TEMPORARILY_UNAVAILABLE", "integrationStatus": "unavailable"}
    ]
    assert chat.attempts.counts == {}  # the store's trouble is not the customer's failure
    store.fail_with = StoreCredentialRejected("401")
    result = await chat.say("order #1001 ava.chen@example.com")
    assert result.reply == said(StoreCredentialRejected)
    yes = await chat.say("yes please")
    assert yes.handoff is not None and yes.handoff.reason == "requested"


async def test_greeting_and_language_settings(store):
    chat = Chat(store, agent(greeting="Bonjour! Welcome to Juniper.", language="fr"))
    result = await chat.say("hello")
    assert result.reply.startswith("Bonjour! Welcome to Juniper.")
    assert result.metadata["language"] == {"configured": "fr", "used": "en"}
    later = await chat.say("hello")
    assert "Bonjour" not in later.reply


async def test_default_greeting_names_the_agent(store):
    result = await Chat(store).say("hi")
    assert result.reply.startswith("Hi, this is Juniper Helper.")


async def test_cancel_or_change_explains_and_offers_a_person(store):
    chat = Chat(store)
    offer = await chat.say("I need to change my address on order 1001")
    assert "I can't change where an order goes myself" in offer.reply
    assert offer.handoff is None
    declined = await chat.say("no thanks")
    assert declined.handoff is None and "anything else" in declined.reply


async def test_state_from_another_version_is_forgotten_not_fatal(store):
    chat = Chat(store, state={"v": 99, "verified": {"#1001": "yes"}})
    result = await chat.say("#1001")
    assert "shipping postcode" in result.reply
    assert DialogueState.load({"v": 1, "verified": {"#1001": {"order_id": 1}}}).verified == {}


def test_the_dialogue_state_survives_storage_whole():
    # Every field set to something other than its default: one that dump() forgets (or
    # load() does not read) comes back as its default and fails here.
    state = DialogueState(
        greeted=True,
        order="#1001",
        intent="tracking",
        expecting="factor",
        pending_factor={"type": "email", "value": "ava.chen@example.com"},
        verified={"#1001": VerifiedOrder("gid://shopify/Order/1", "order_match", "email", 5.0)},
        caller_id_tried=["#1002"],
        negative_turns=2,
        misunderstood=1,
        offer="damaged",
        handoff="requested",
        tool_calls=4,
        tool_call_times=[1.0, 2.0],
        model_calls=7,
        pending_write={"skill": "reserve_item", "digest": "abc", "asked_at": 3.0},
        queued=["#1002"],
    )
    assert all(getattr(state, f.name) != f.default for f in fields(DialogueState))
    stored = json.loads(json.dumps(state.dump()))
    assert DialogueState.load(stored) == state


async def test_words_not_understood_are_met_with_what_the_dialogue_needs_next(store):
    chat = Chat(store, agent(greeting="Hi! I can tell you where your order is."))
    first = await chat.say("blue skies")
    # The greeting says what the agent is for; the reply does not say it again.
    assert first.reply.count("where your order is") == 1
    assert first.reply.endswith(replies.ask_order_number(NEUTRAL, voice=False))
    await chat.say("order #1001")
    waiting = await chat.say("why do you need that?")
    assert "didn't catch" in waiting.reply and waiting.reply.endswith(
        replies.ask_factor("#1001", NEUTRAL)
    )
    await chat.say("ava.chen@example.com")
    later = await chat.say("purple monkey dishwasher")
    assert "order #1001" in later.reply and "order number" not in later.reply
    assert "person on our team" in later.reply


async def test_a_follow_up_question_gets_only_what_it_asks(store):
    chat = Chat(store)
    full = await chat.say("#1001 ava.chen@example.com")
    assert "on its way" in full.reply and "Latest update" in full.reply
    when = await chat.say("when will it arrive?")
    assert when.reply == "Order #1001 is expected on Sunday, November 29."
    tracking = await chat.say("what's the tracking number?")
    assert "1Z999AA10123456784" in tracking.reply and "UPS" in tracking.reply
    assert "Track it here: https://www.ups.com/" in tracking.reply
    assert "November 29" not in tracking.reply and "Latest update" not in tracking.reply
    again = await chat.say("where is it now?")  # a status question: the whole status
    assert full.reply.endswith(again.reply)  # the first also had the greeting


async def test_a_follow_up_on_a_partial_order_says_the_rest_has_no_date(store):
    chat = Chat(store)
    await chat.say("order #1006, postcode 28013")
    rest = await chat.say("when will the rest arrive?")
    assert (
        rest.reply
        == "The rest of order #1006 hasn't shipped yet, so it has no tracking or date yet."
    )
    # Asked about the parcels, the answer still says what the rest lacks.
    parcels = await chat.say("when will it arrive?")
    assert "The rest of the order hasn't shipped yet, so it has no date yet." in parcels.reply


async def test_a_follow_up_on_a_delivered_order_on_a_call_has_no_links(store):
    chat = Chat(store, channel="voice")
    await chat.say("order one zero zero two, postcode four three two one five")
    when = await chat.say("when does it get here")
    assert when.reply == "Order #1002 was delivered on Saturday, November 14."
    tracking = await chat.say("and the tracking number")
    assert "9400111899223847261234" in tracking.reply and "http" not in tracking.reply


async def test_a_follow_up_about_a_problem_gets_the_whole_status(store):
    chat = Chat(store)
    first = await chat.say("#1004, phone (503) 555-0101")
    when = await chat.say("so when will it arrive?")
    assert "couldn't be delivered" in when.reply and first.handoff is not None


async def test_a_withheld_tracking_number_is_not_called_missing(store):
    shown = ["found", "status", "shipments", "carrier", "estimated_delivery", "delivered_at"]
    chat = Chat(store, agent(skill={"allowed_fields": shown}))
    await chat.say("#1001 ava.chen@example.com")
    tracking = await chat.say("what's the tracking number?")
    assert "1Z999" not in tracking.reply and "no tracking number yet" not in tracking.reply
    assert "on its way" in tracking.reply


async def test_an_order_with_nothing_to_ship_is_told_so_and_a_missing_one_goes_to_a_person():
    raw = raw_orders()["#1003"]  # unfulfilled: no fulfillments
    raw["displayFulfillmentStatus"] = "FULFILLMENT_NOT_REQUIRED"
    orders = load_orders()
    orders["#1003"] = OrderStatus.from_shopify(raw, {"ianaTimezone": "America/New_York"})
    chat = Chat(FakeStore(orders))
    told = await chat.say("where is order #1003? postcode LS1 4AP")
    assert "has nothing to ship, so there's no delivery to track" in told.reply
    assert told.handoff is None
    missing = await chat.say("I never received it")
    assert missing.handoff is not None and missing.handoff.reason == "lost"


@pytest.mark.parametrize(
    ("payment", "words"),
    [
        ("VOIDED", "hasn't shipped: its payment was voided, so it isn't being prepared"),
        ("EXPIRED", "hasn't shipped: its payment authorization expired before the payment"),
    ],
)
async def test_an_order_whose_payment_fell_through_is_not_told_as_being_prepared(payment, words):
    raw = raw_orders()["#1003"]  # unfulfilled: no fulfillments
    raw["displayFinancialStatus"] = payment
    orders = load_orders()
    orders["#1003"] = OrderStatus.from_shopify(raw, {"ianaTimezone": "America/New_York"})
    chat = Chat(FakeStore(orders))
    told = await chat.say("where is order #1003? postcode LS1 4AP")
    assert words in told.reply and "It's being prepared" not in told.reply
    # A later "when will it arrive?" gets the same news, not "no date yet".
    again = await chat.say("when will it arrive?")
    assert words in again.reply


@pytest.mark.parametrize(
    ("language", "postcode", "day_first"),
    [
        ("", "postcode", False),
        ("en", "postcode", False),
        ("en-US", "ZIP code", False),
        ("en_us", "ZIP code", False),
        ("en-CA", "postal code", False),
        ("en-GB", "postcode", True),
        ("en-AU", "postcode", True),
        ("zh-Hant-TW", "postcode", True),  # the region follows a script subtag
        ("pt-419", "postcode", False),  # a numeric region names no country
    ],
)
def test_the_language_tags_region_decides_postcode_and_date_order(language, postcode, day_first):
    assert wording_for(language) == Wording(postcode, day_first)


async def test_a_us_agent_asks_for_the_zip_code_and_a_british_one_says_the_day_first(store):
    us = Chat(store, agent(language="en-US"))
    asked = await us.say("where is order #1001?")
    assert "shipping ZIP code on order #1001" in asked.reply
    wrong = await us.say("ava@example.com")
    assert "the email, phone or ZIP code on the order" in wrong.reply
    told = await us.say("ava.chen@example.com")
    assert "expected on Sunday, November 29" in told.reply
    assert us.results[-1].metadata == {}  # English, as configured

    british = Chat(store, agent(language="en-GB"))
    told = await british.say("#1001 ava.chen@example.com")
    assert "expected on Sunday 29 November" in told.reply
    assert "shipping postcode" in (await british.say("and order #1002?")).reply
    later = await british.say("43215")
    assert "delivered on Saturday 14 November" in later.reply


async def test_thanks_while_a_question_is_open_keeps_the_question(store):
    chat = Chat(store)
    await chat.say("where is order #1001?")
    thanks = await chat.say("thanks")
    assert thanks.reply == "You're welcome! " + replies.ask_factor("#1001", NEUTRAL)
    await chat.say("ava.chen@example.com")
    done = await chat.say("thank you!")
    assert done.reply == "You're welcome! Is there anything else I can help with?"


async def test_asking_for_help_or_the_link_is_understood(store):
    chat = Chat(store)
    opened = await chat.say("I need help")
    assert "didn't catch" not in opened.reply and "order number" in opened.reply
    await chat.say("#1001 ava.chen@example.com")
    link = await chat.say("can you give me the link?")
    assert "Track it here: https://www.ups.com/" in link.reply


async def test_without_an_order_number_a_person_is_offered_not_an_email_lookup(store):
    chat = Chat(store)
    await chat.say("where is my order")
    stuck = await chat.say("I don't know my order number")
    assert "order confirmation email" in stuck.reply and "person on our team" in stuck.reply
    # An email alone unlocks nothing: anyone may know one.
    email = await chat.say("ava.chen@example.com")
    assert "Trail Runner" not in email.reply and "order number" in email.reply
    assert store.calls == []
    yes = await chat.say("I don't know it, can a person help?")
    assert yes.handoff is not None and yes.handoff.reason == "requested"


async def test_a_number_given_with_a_no_is_still_the_number(store):
    chat = Chat(store)
    await chat.say("hi")
    answer = await chat.say("no, the order number is 1001 and my email is ava.chen@example.com")
    assert "on its way" in answer.reply


async def test_coming_soon_is_a_question_about_the_date(store):
    chat = Chat(store)
    await chat.say("#1001 ava.chen@example.com")
    soon = await chat.say("is it coming soon?")
    assert soon.reply == "Order #1001 is expected on Sunday, November 29."


async def test_asked_if_it_is_a_bot_the_agent_says_so_and_offers_a_person(store):
    chat = Chat(store)
    asked = await chat.say("are you a real person?")
    assert "I'm an automated assistant, not a person." in asked.reply
    assert asked.handoff is None and "person on our team" in asked.reply
    yes = await chat.say("yes please")
    assert yes.handoff is not None and yes.handoff.reason == "requested"

    # With a question open, the question comes back instead of the offer.
    waiting = Chat(store)
    await waiting.say("where is order #1001?")
    asked = await waiting.say("is this a bot?")
    assert asked.reply == (
        "I'm an automated assistant, not a person. " + replies.ask_factor("#1001", NEUTRAL)
    )


async def test_a_parcel_the_carrier_calls_delivered_but_never_came_gets_an_apology(store):
    chat = Chat(store)
    await chat.say("#1002, postcode 43215")
    missing = await chat.say("I never got it")
    assert missing.handoff is not None and missing.handoff.reason == "lost"
    assert missing.reply.count("I'm sorry") == 1 and "hasn't reached you" in missing.reply
    failed = await Chat(store).say("#1004, phone (503) 555-0101")
    assert failed.reply.count("I'm sorry") == 1  # the status apologised; the handoff not again


async def test_naming_two_orders_burns_no_attempt_on_the_first(store):
    chat = Chat(store)
    asked = await chat.say("hi, I have two orders, 1001 and 1002")
    assert "on order #1001" in asked.reply and "couldn't find" not in asked.reply
    assert chat.attempts.counts == {}
    answer = await chat.say("ava.chen@example.com")
    assert "on its way" in answer.reply
    # #1002 was named too: it is taken up next, with the detail just given, which is not
    # on it (it is Marcus's): nothing about it is said, and the attempt is its own.
    assert answer.reply.endswith(replies.not_matched("#1002", NEUTRAL))
    assert list(chat.attempts.counts.values()) == [1]
    second = await chat.say("postcode 43215")
    assert "Order #1002" in second.reply and "was delivered" in second.reply


async def test_orders_named_together_are_answered_together_each_verified_on_its_own():
    chat = Chat(FakeStore(load_orders(DEMO_STORE)))
    both = await chat.say("#2003 and #2001, email maya.patel@example.com")
    first, _, rest = both.reply.partition("Order #2001")
    assert "Order #2003" in first and "was delivered" in first
    assert rest.startswith(" (Alpine Down Jacket) is on its way")
    assert [e["order"] for e in chat.events("verification")] == ["#2003", "#2001"]
    # Orders named with one that then needs a detail wait for it.
    waiting = Chat(FakeStore(load_orders(DEMO_STORE)))
    asked = await waiting.say("orders 2004 and 2002")
    assert asked.reply.endswith(replies.ask_factor("#2004", NEUTRAL))
    told = await waiting.say("daniel.kim@example.net")  # #2002's, not #2004's
    assert told.reply == replies.not_matched("#2004", NEUTRAL)
    assert "#2002" not in told.reply


async def test_never_mind_lets_the_question_go(store):
    chat = Chat(store)
    await chat.say("where is order #1001?")
    let_go = await chat.say("never mind")
    assert let_go.reply == replies.declined(NEUTRAL)
    again = await chat.say("where is order #1001?")
    assert "on order #1001" in again.reply


async def test_a_postcode_spelled_out_on_a_call_verifies():
    chat = Chat(FakeStore(load_orders(DEMO_STORE)), channel="voice")
    await chat.say("order number two thousand and five")
    answer = await chat.say("H two Y two A three")
    assert "tried to deliver order #2005" in answer.reply


async def test_the_first_one_and_the_other_one_name_orders_verified_in_this_session(store):
    chat = Chat(store)
    await chat.say("#1001 ava.chen@example.com")
    await chat.say("and #1004? same email, ava.chen@example.com")
    first = await chat.say("when will the first one arrive?")
    assert first.reply == "Order #1001 is expected on Sunday, November 29."
    other = await chat.say("and the other one?")
    assert "order #1004" in other.reply and "couldn't be delivered" in other.reply
    # Never an order the session has not verified: with one verified, "the other" is not
    # looked up (nor #1001 told again); the customer is asked which order, and it is then
    # verified on its own, not by the detail that verified #1001.
    alone = Chat(store)
    await alone.say("#1001 ava.chen@example.com")
    which = await alone.say("what about the other order?")
    assert which.reply == replies.ask_which_order(NEUTRAL, voice=False)
    assert not which.events
    named = await alone.say("it's #1004")
    assert named.reply == replies.ask_factor("#1004", NEUTRAL)
    told = await alone.say("ava.chen@example.com")
    assert "couldn't be delivered" in told.reply


async def test_a_missed_delivery_goes_to_a_person_with_the_order_and_no_repeated_status():
    chat = Chat(FakeStore(load_orders(DEMO_STORE)))
    told = await chat.say("2005 H2Y 2A3")
    assert "tried to deliver order #2005" in told.reply and told.handoff is None
    missed = await chat.say("they said they tried to deliver but I was home")
    assert missed.handoff is not None and missed.handoff.reason == "failed_delivery"
    assert missed.handoff.order_summary["order"] == "#2005"
    # The status was told a turn ago: what happens next is the answer, not the status again.
    assert "tried to deliver order" not in missed.reply
    assert missed.reply.startswith("I'm sorry the delivery didn't work out.")
    # Said with the order number at once: the status first, then the handoff.
    at_once = await Chat(FakeStore(load_orders(DEMO_STORE))).say(
        "order 2005, H2Y 2A3. Can the courier try again tomorrow?"
    )
    assert at_once.handoff is not None and at_once.handoff.reason == "failed_delivery"
    assert "tried to deliver order #2005" in at_once.reply


async def test_a_missed_delivery_claim_discloses_nothing_before_verification():
    chat = Chat(FakeStore(load_orders(DEMO_STORE)))
    asked = await chat.say("order 2005 - the driver tried to deliver while I was out")
    assert asked.handoff is None and asked.reply.endswith(replies.ask_factor("#2005", NEUTRAL))
    # "let me try again" is the customer retyping a detail, not a request for redelivery.
    wrong = await chat.say("chloe@example.com")
    assert wrong.handoff is None
    retry = await chat.say("sorry, let me try again: chloe.tremblay@example.ca")
    assert retry.handoff is not None and retry.handoff.reason == "failed_delivery"


async def test_delivered_but_not_here_after_the_status_is_handed_off_without_repeating_it(store):
    chat = Chat(store)
    await chat.say("#1002, postcode 43215")
    missing = await chat.say("it says delivered but it's not here")
    assert missing.handoff is not None and missing.handoff.reason == "lost"
    assert "was delivered" not in missing.reply and "hasn't reached you" in missing.reply


async def test_anger_alone_while_a_detail_is_awaited_gets_a_person_not_the_question_again(store):
    policy = {
        "policy_type": "POLICY_TYPE_CONTENT_POLICY",
        "config": {"negativeTurnsBeforeHandoff": 1},
    }
    chat = Chat(store, agent(guardrails=[policy]))
    await chat.say("where is order #1001?")
    angry = await chat.say("this is useless")
    assert angry.handoff is not None and angry.handoff.reason == "negative_sentiment"
    assert "To keep your order safe" not in angry.reply
    assert "didn't catch" not in angry.reply


async def test_a_status_the_agent_cannot_read_comes_with_the_offer_of_a_person():
    chat = Chat(FakeStore(load_orders(DEMO_STORE)))  # #2012: HELD_AT_CUSTOMS, a newer value
    told = await chat.say("2012, SW1A 2BD")
    assert "can't tell its delivery status" in told.reply and "RN123456785GB" in told.reply
    assert told.reply.endswith(replies.OFFER_PERSON) and told.handoff is None
    yes = await chat.say("yes please")
    assert yes.handoff is not None and yes.handoff.order_summary["order"] == "#2012"


async def test_a_parcel_expected_earlier_today_is_still_expected_today(store):
    # #1001 is expected at 15:00 New York time on November 29; at 18:00 that day it is
    # still due today, and it is "was expected" only from the next day on.
    evening = Clock(datetime(2026, 11, 29, 23, 0, tzinfo=UTC))
    today = await Chat(store, clock=evening).say("#1001 ava.chen@example.com")
    assert "It's expected today." in today.reply
    next_day = Clock(datetime(2026, 11, 30, 14, 0, tzinfo=UTC))
    late = await Chat(store, clock=next_day).say("#1001 ava.chen@example.com")
    assert "It was expected yesterday." in late.reply


async def test_ok_thanks_after_an_offer_of_a_person_closes_the_topic_without_a_handoff(store):
    chat = Chat(store)
    await chat.say("#1001 ava.chen@example.com")
    offer = await chat.say("is it insured?")
    assert offer.reply.endswith(replies.OFFER_PERSON)
    thanks = await chat.say("ok thanks")
    assert thanks.handoff is None and thanks.reply.startswith("You're welcome!")
    acknowledged = await chat.say("great")
    assert acknowledged.reply == replies.anything_else(NEUTRAL)


async def test_no_number_to_give_when_asked_for_it_gets_the_offer_of_a_person(store):
    chat = Chat(store)
    await chat.say("where's my order")
    none = await chat.say("I don't have it")
    assert none.reply == replies.no_order_number(NEUTRAL, voice=False) and none.handoff is None
    yes = await chat.say("yes")
    assert yes.handoff is not None and yes.handoff.reason == "requested"


async def test_another_order_named_while_a_detail_is_awaited_spends_no_attempt(store):
    chat = Chat(store)
    await chat.say("where is #1002?")
    switched = await chat.say("and 1001?")
    assert switched.reply == replies.ask_factor("#1001", NEUTRAL)
    assert not chat.events("verification")  # no guess at #1002's postcode was tried
    told = await chat.say("ava.chen@example.com")
    assert "Order #1001" in told.reply


async def test_talk_about_the_detail_instead_of_the_detail_is_answered_not_misunderstood(store):
    chat = Chat(store, agent(language="en-US"))
    await chat.say("where is #1001?")
    no_email = await chat.say("I don't remember which email I used")
    assert no_email.reply.startswith("No problem: the phone number or shipping ZIP code")
    named = await chat.say("Ava Chen")
    assert named.reply.startswith("Thanks. A name isn't enough")
    assert named.handoff is None  # neither counted as misunderstood
    told = await chat.say("97209")
    assert "Order #1001" in told.reply and len(chat.events("verification")) == 1


async def test_the_rest_of_a_partly_shipped_order_is_answered_on_its_own():
    chat = Chat(FakeStore(load_orders(DEMO_STORE)))
    await chat.say("2010 emma.johnson@example.com")  # two parcels out, the rest not shipped
    rest = await chat.say("what about the rest of it?")
    assert (
        rest.reply
        == "The rest of order #2010 hasn't shipped yet, so it has no tracking or date yet."
    )
    when = await chat.say("and when will the rest ship?")
    assert when.reply == rest.reply


async def test_zero_keyed_on_a_call_asks_for_a_person():
    chat = Chat(FakeStore(load_orders(DEMO_STORE)), channel="voice")
    await chat.say("", dtmf="2002#")
    operator = await chat.say("", dtmf="0")
    assert operator.handoff is not None and operator.handoff.reason == "requested"
    assert "#0" not in operator.reply
