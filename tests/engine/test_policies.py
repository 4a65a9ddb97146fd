"""Content policy (banned topics, PII redaction) and rate limits, and how the agent's
snapshot is read."""

from __future__ import annotations

import pytest

from core.engine import redact
from core.engine.policy import AgentPolicy
from tests.engine.fakes import Chat, FakeStore, agent, load_orders


@pytest.fixture
def store() -> FakeStore:
    return FakeStore(load_orders())


def content_policy(**config):
    return {"policy_type": "POLICY_TYPE_CONTENT_POLICY", "config": config, "is_enabled": True}


def rate_limit(**config):
    return {"policy_type": "POLICY_TYPE_RATE_LIMIT", "config": config}


async def test_banned_topics_are_refused_politely(store):
    chat = Chat(store, agent(guardrails=[content_policy(bannedTopics=["politics", "crypto"])]))
    result = await chat.say("what do you think about Politics?")
    assert "can't help with that" in result.reply
    assert {"rule": "content_policy", "decision": "refused", "topic": "politics"} in (
        chat.events("guardrail")
    )
    assert store.calls == []
    ok = await chat.say("where is #1001 ava.chen@example.com")
    assert "on its way" in ok.reply


async def test_a_disabled_policy_does_not_apply(store):
    policy = content_policy(bannedTopics=["order"])
    policy["is_enabled"] = False
    chat = Chat(store, agent(guardrails=[policy]))
    assert "on its way" in (await chat.say("order #1001 ava.chen@example.com")).reply


async def test_tool_calls_per_conversation(store):
    chat = Chat(store, agent(guardrails=[rate_limit(toolCallsPerConversation=2.0)]))
    await chat.say("#1001 ava.chen@example.com")
    await chat.say("status?")
    blocked = await chat.say("status?")
    assert "can't look up any more orders" in blocked.reply
    assert len(store.calls) == 2
    assert {"rule": "rate_limit", "decision": "blocked", "limit": "per_conversation"} in (
        chat.events("guardrail")
    )


async def test_tool_calls_per_minute(store):
    chat = Chat(store, agent(guardrails=[rate_limit(toolCallsPerMinute=2)]))
    await chat.say("#1001 ava.chen@example.com")
    await chat.say("status?")
    blocked = await chat.say("status?")
    assert "can't look up any more orders" in blocked.reply
    chat.clock.advance(61)
    assert "on its way" in (await chat.say("status?")).reply
    assert len(store.calls) == 3


async def test_a_busy_session_keeps_no_more_lookup_times_than_a_limit_needs(store):
    # The state is stored with every turn: it must not grow with the number of lookups.
    limited = Chat(store, agent(guardrails=[rate_limit(toolCallsPerMinute=3)]))
    unlimited = Chat(store, agent())
    for chat in (limited, unlimited):
        await chat.say("#1001 ava.chen@example.com")
        for _ in range(6):
            chat.clock.advance(25)
            assert "on its way" in (await chat.say("status?")).reply
    assert len(limited.state["tool_call_times"]) == 3
    assert unlimited.state["tool_call_times"] == []
    assert unlimited.state["tool_calls"] == 7


async def test_rate_limits_stop_guessing_before_the_store_is_asked(store):
    chat = Chat(store, agent(guardrails=[rate_limit(toolCallsPerConversation=1)]))
    await chat.say("#1001 a@example.com")
    await chat.say("#1001 b@example.com")
    assert store.calls == ["#1001"]
    assert chat.attempts.counts["1001"] == 1


@pytest.mark.parametrize(
    ("text", "redacted"),
    [
        ("my email is ava.chen@example.com", "my email is [email]"),
        ("call (503) 555-0101 or +44 7700 900123", "call [phone] or [phone]"),
        ("phone 5035550101", "phone [phone]"),
        ("zip 97209 for order #1001", "zip [postcode] for order #1001"),
        ("postcode LS1 4AP", "postcode [postcode]"),
        ("H2Y 2A3", "[postcode]"),
        ("97209", "[postcode]"),
        ("order 1001", "order 1001"),
        ("order number 10119", "order number 10119"),
        (
            "The tracking number is 1Z999AA10123456784.",
            "The tracking number is 1Z999AA10123456784.",
        ),
        ("The tracking number is 1234567890.", "The tracking number is 1234567890."),
        (
            "The tracking numbers are 794611110001 and 794611110002.",
            "The tracking numbers are 794611110001 and 794611110002.",
        ),
        ("tracking 9400111899223847261234", "tracking 9400111899223847261234"),
        ("JJD000390001234567890", "JJD000390001234567890"),
        ("ava dot chen at example dot com", "[email]"),
        ("five oh three five five five oh one oh one", "[phone]"),
        ("order number one zero zero one", "order number one zero zero one"),
        ("It's expected on Sunday, November 29.", "It's expected on Sunday, November 29."),
        # Spanish, spoken or typed, whatever language the agent speaks
        ("mi correo es ava punto chen arroba example punto com", "mi correo es [email]"),
        ("código postal 28013", "código postal [postcode]"),
        (
            "mi teléfono es más tres cuatro seis cero cero uno uno uno dos dos dos",
            "mi teléfono es [phone]",
        ),
        ("el pedido es el 1006", "el pedido es el 1006"),
        ("El número de seguimiento es 1234567890.", "El número de seguimiento es 1234567890."),
    ],
)
def test_redact(text, redacted):
    assert redact(text) == redacted
    assert redact(redacted) == redacted


async def test_replies_survive_redaction_with_their_order_and_tracking(store):
    chat = Chat(store)
    result = await chat.say("#1001 ava.chen@example.com")
    assert redact(result.reply) == result.reply


def test_policy_reads_the_contract_and_rest_spellings():
    snapshot = agent(
        guardrails=[
            content_policy(redactPii=True, bannedTopics=["x"], negativeTurnsBeforeHandoff=3.0),
            {"policy_type": "rate_limit", "config": {"toolCallsPerMinute": "5"}},
        ]
    )
    snapshot["caller_verification"].append({"method": "caller_id"})
    policy = AgentPolicy.from_snapshot(snapshot)
    assert policy.redact_pii and policy.banned_topics == ("x",)
    assert policy.negative_turns == 3 and policy.per_minute == 5
    assert set(policy.methods) == {"order_match", "caller_id"}
    assert policy.methods["caller_id"].max_attempts == 3
    assert policy.methods["order_match"].ttl_seconds == 900
    assert policy.level("tracking_number") == "verified"
    assert policy.level("something_new") == "verified"


def test_an_empty_snapshot_is_secure():
    policy = AgentPolicy.from_snapshot({})
    assert policy.lookup is None and policy.methods == {}
    assert policy.fields_for(verified=False) == frozenset()


async def test_an_agent_without_skills_cannot_look_up(store):
    chat = Chat(store, {"agent": {"id": "agt_bare"}})
    result = await chat.say("#1001 ava.chen@example.com")
    assert "not able to look up orders" in result.reply
    assert store.calls == []
