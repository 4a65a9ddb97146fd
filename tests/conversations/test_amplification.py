"""One request must not turn into a hundred store lookups or model calls: a completion asks
the store at most once per order it names and never asks the model about the messages it
replays; a request and a session have caps on lookups and model calls; and every new agent
comes with a rate limit. Past a cap the customer hears so, in words, and is offered a
person."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from core.domain import guardrails
from core.shopify.lookup import OrderLookup
from tests.llm.conftest import ScriptedLLM, Text, Tools, call, echo_plain_words, llm

from .paths import DISCLOSED, ORDER, RIGHT_ZIP, Shop, guessing_model, shop

__all__ = ["llm", "shop"]  # fixtures

VERIFIED = f"where is order {ORDER}? my zip is {RIGHT_ZIP}"
RATE_LIMITED = "can't look up any more orders right now"


@pytest.fixture
def store_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every order lookup the core asks of a store, by order name."""
    asked: list[str] = []
    by_name = OrderLookup.by_name

    async def counted(self: OrderLookup, org_id: str, order_name: str) -> Any:
        asked.append(order_name)
        return await by_name(self, org_id, order_name)

    monkeypatch.setattr(OrderLookup, "by_name", counted)
    yield asked


async def test_a_completion_asks_the_store_once_per_order(
    shop: Shop, store_calls: list[str]
) -> None:
    """The probe from the issue: a verified first message and 99 follow-ups."""
    for stream in (False, True):
        store_calls.clear()
        reply = await shop.complete([VERIFIED] + ["and what is the status?"] * 99, stream=stream)
        assert DISCLOSED in reply
        assert store_calls == [ORDER]


async def test_a_completion_asks_the_model_about_its_newest_message_only(
    shop: Shop, llm: ScriptedLLM, store_calls: list[str]
) -> None:
    llm.script(*[guessing_model] * 1000)
    shop.llm = llm
    await shop.open(agents=0)
    reply = await shop.complete([VERIFIED] + ["and what is the status?"] * 99)
    assert DISCLOSED in reply
    # The newest message (a lookup, then the words); the 99 before it are only replayed.
    assert len(llm.requests) == 2
    assert store_calls == [ORDER]


async def test_every_new_agent_has_a_rate_limit(shop: Shop) -> None:
    listed = await shop.api.get(f"/agents/{shop.agents[0]}/guardrails")
    limits = [g for g in listed.data if g["policyType"] == "rate_limit"]
    assert [g["config"] for g in limits] == [guardrails.DEFAULT_RATE_LIMIT]


async def test_a_session_stops_looking_up_at_its_cap(shop: Shop, store_calls: list[str]) -> None:
    """Even with the merchant's rate limit removed, a session has a ceiling."""
    await shop.api.put(f"/agents/{shop.agents[0]}/guardrails", {"guardrails": []})
    await shop.api.post(f"/agents/{shop.agents[0]}/publish", {})
    cap = guardrails.MAX_TOOL_CALLS_PER_SESSION
    assert DISCLOSED in await shop.say("rest", [VERIFIED])
    for _ in range(cap - 1):
        assert DISCLOSED in await shop.say("rest", ["what is the status?"])
    told = await shop.say("rest", ["what is the status?"])
    assert RATE_LIMITED in told and "person" in told
    assert len(store_calls) == cap


async def test_a_request_stops_looking_up_at_its_cap(
    shop: Shop, llm: ScriptedLLM, store_calls: list[str]
) -> None:
    """A model asking for twenty lookups in one round gets the first few; the customer hears
    that no more can be looked up now."""
    orders = [f"#20{n:02d}" for n in range(1, 16)] + [f"#30{n:02d}" for n in range(5)]
    email = "who.knows@example.com"
    llm.script(
        Tools([call("lookup_order", order_number=o, email=email) for o in orders]),
        echo_plain_words,
    )
    shop.llm = llm
    await shop.open(agents=0)
    told = await shop.complete(["where are all my orders?"])
    assert len(store_calls) == guardrails.MAX_TOOL_CALLS_PER_REQUEST
    assert RATE_LIMITED in told


async def test_a_session_stops_asking_the_model_at_its_cap(
    shop: Shop, llm: ScriptedLLM, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the session's model calls the built-in brain answers: the customer still gets
    the order's status, and the model is not asked again."""
    monkeypatch.setattr(guardrails, "MAX_MODEL_CALLS_PER_SESSION", 3)
    llm.script(*[Text("Happy to help: which order?")] * 50)
    shop.llm = llm
    await shop.open(agents=0)
    for _ in range(3):
        await shop.say("rest", ["hello there"])
    assert len(llm.requests) == 3
    told = await shop.say("rest", [VERIFIED])
    assert DISCLOSED in told
    assert len(llm.requests) == 3
