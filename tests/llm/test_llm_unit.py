"""The LLM brain on the engine's fakes (no database): streamed deltas, guardrails decided
in code before the model is asked, locks, and a store that cannot answer."""

from __future__ import annotations

import json
from typing import Any

from core.domain.store_errors import StoreUnavailable
from core.engine.builtin import BuiltinBrain
from core.engine.llm import LlmBrain, ModelEndpoint, OpenAIChat
from core.engine.wording import wording_for
from tests.engine.fakes import Chat, FakeStore, agent, load_orders

from .conftest import API_KEY, MODEL, ScriptedLLM, Status, Text, Tools, call, echo_tool

EMAIL = "ava.chen@example.com"


def _chat(llm: ScriptedLLM, **settings: Any) -> Chat:
    endpoint = ModelEndpoint(MODEL, llm.url + "/v1", API_KEY)
    brain = LlmBrain(lambda: OpenAIChat(endpoint, 5.0), BuiltinBrain(), model_name=MODEL)
    return Chat(FakeStore(load_orders()), agent=agent(**settings), brain=brain)  # type: ignore[arg-type]


class Pieces(list[str]):
    """A reply sink: what the brain let out, in order."""

    def send(self, piece: str) -> None:
        self.append(piece)


async def test_the_reply_goes_out_a_checked_sentence_at_a_time(llm: ScriptedLLM) -> None:
    crypto = {
        "policy_type": "POLICY_TYPE_CONTENT_POLICY",
        "config": {"bannedTopics": ["crypto"]},
        "is_enabled": True,
    }
    chat = _chat(llm, greeting="Hello from Juniper!", guardrails=[crypto])
    chat.reply_sink = sent = Pieces()
    said = "Your order is on its way.  It should arrive on Thursday (2.5 days)! Anything else?"
    llm.script(Text(said))
    result = await chat.say("hi, how are you")
    assert result.metadata["brain"] == "llm"
    assert result.reply == f"Hello from Juniper! {said}"
    # Whole sentences only; the last waits for the turn, which alone knows the reply is over.
    assert sent == [
        "Hello from Juniper! ",
        "Your order is on its way. ",
        " It should arrive on Thursday (2.5 days)! ",
    ]
    assert result.reply.startswith("".join(sent))

    # A sentence that fails the reply's check is never let out, nor anything after it; the
    # whole reply is then replaced (the turn withdraws what went before).
    chat.reply_sink = sent = Pieces()
    llm.script(Text("Sure thing. Let's talk crypto. It is fun. Anything else?"))
    result = await chat.say("what can you talk about?")
    assert sent == ["Sure thing. "]
    assert "crypto" not in result.reply and not result.reply.startswith("Sure thing.")
    # A model that fails on a first turn: the greeting that went out still starts the
    # built-in brain's answer, so nothing is withdrawn.
    first = _chat(llm, greeting="Hello from Juniper!")
    first.reply_sink = sent = Pieces()
    llm.script(Status(500))
    result = await first.say("where is my order?")
    assert result.metadata["fallback"]["reason"] == "status_500"
    assert sent == ["Hello from Juniper! "] and result.reply.startswith(sent[0])
    assert API_KEY not in repr(chat.brain) and API_KEY not in repr(
        ModelEndpoint(MODEL, llm.url, API_KEY)
    )


async def test_a_banned_topic_is_refused_without_asking_the_model(llm: ScriptedLLM) -> None:
    chat = _chat(
        llm,
        guardrails=[
            {
                "policy_type": "POLICY_TYPE_CONTENT_POLICY",
                "config": {"bannedTopics": ["crypto"]},
                "is_enabled": True,
            }
        ],
    )
    result = await chat.say("tell me about crypto")
    assert "can't help with that" in result.reply and not llm.requests
    assert chat.events("guardrail")[0]["rule"] == "content_policy"
    # and what the model writes is checked too
    llm.script(Text("Sure! Let's talk crypto."))
    result = await chat.say("what can you talk about?")
    assert "crypto" not in result.reply
    assert chat.events("guardrail")[-1] == {
        "rule": "content_policy",
        "decision": "replaced",
        "topic": "crypto",
    }


async def test_negative_turns_hand_off_in_code(llm: ScriptedLLM) -> None:
    chat = _chat(llm)
    llm.script(Text("I'm sorry to hear that."))
    await chat.say("this is terrible, I'm so angry")
    result = await chat.say("this is useless and awful")
    assert result.handoff is not None and result.handoff.reason == "negative_sentiment"
    assert len(llm.requests) == 1  # the second turn never reached the model


async def test_three_wrong_guesses_lock_the_order_for_the_model_too(llm: ScriptedLLM) -> None:
    chat = _chat(llm)
    for guess in ("a@example.com", "b@example.com", "c@example.com"):
        llm.script(Tools([call("lookup_order", order_number="#1001", email=guess)]), echo_tool())
        await chat.say(f"order 1001, {guess}")
    llm.script(Tools([call("lookup_order", order_number="#1001", email=EMAIL)]), echo_tool())
    result = await chat.say(f"order 1001, {EMAIL}")
    told = json.loads(result.reply.removeprefix("Here is what I have: "))
    assert told["result"] == "locked" and "1Z999AA10123456784" not in result.reply
    assert [v["result"] for v in chat.events("verification")] == ["failed"] * 3


async def test_a_store_that_cannot_answer_ends_the_turn_in_code(llm: ScriptedLLM) -> None:
    chat = _chat(llm)
    chat.store.fail_with = StoreUnavailable("down", "STORE_UNAVAILABLE")
    llm.script(Tools([call("lookup_order", order_number="#1001", email=EMAIL)]))
    result = await chat.say(f"order 1001, {EMAIL}")
    assert result.reply.endswith(wording_for("en").line(StoreUnavailable.customer_line))
    assert len(llm.requests) == 1
    assert chat.events("error")[0]["reason"] == chat.store.fail_with.reason


async def test_history_is_redacted_when_the_content_policy_says_so(llm: ScriptedLLM) -> None:
    chat = _chat(
        llm,
        guardrails=[
            {
                "policy_type": "POLICY_TYPE_CONTENT_POLICY",
                "config": {"redactPii": True},
                "is_enabled": True,
            }
        ],
    )
    llm.script(Tools([call("lookup_order", order_number="#1001", email=EMAIL)]), echo_tool())
    await chat.say(f"order 1001, {EMAIL}")
    stored = json.dumps(chat.state["llm_history"])
    assert EMAIL not in stored and "[email]" in stored and "#1001" in stored
    assert chat.state["verified"]["#1001"]["method"] == "order_match"
