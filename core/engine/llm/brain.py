"""The LLM brain: an OpenAI-compatible model writes the words, the code keeps the rules.

Around the model, in code: the content policy (banned topics refused before the model is
asked, and checked again in what it wrote), negative-sentiment counting and its handoff,
injection noted as a guardrail event, and every lookup through the Guard (verification,
locks, rate limits, disclosure), exactly as for the built-in brain.

A completion's replayed messages (context.replaying) are answered by the built-in brain
alone: their replies are never shown, so no model is asked for them.

When the model fails (an HTTP error, no connection, a malformed or unknown tool call, an
empty answer, too many tool rounds), takes longer than the agent's timeout in total, or the
conversation has had its model calls (core/domain/guardrails.py), the turn is answered by
the fallback (built-in) brain from the same context, after an `error` and a `latency` event
that say so. What the model's attempt already did through the Guard stays done: its events
are kept, and its verifications, tool-call and model-call counts carry into the fallback's
state (a wrong detail it checked costs nothing when the fallback checks it again:
the attempts ledger counts each distinct detail once).

The reply goes out while the model writes it: sentence by sentence to the turn's reply
sink, each once it has passed the reply's checks (release.py); metadata["brain"] says
which brain answered.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from core.domain import guardrails
from core.domain.store_errors import StoreOutcome

from .. import replies
from ..intents import Intent
from ..nlu import understand
from ..policy import AgentPolicy
from ..redaction import redact
from ..state import DialogueState
from ..turn import Brain, TurnContext, TurnEvent, TurnResult
from ..verification import Guard, LookupUnavailable, RateLimited
from . import prompt
from .client import ChatModel, ModelFailure, OnText
from .release import Release
from .tools import Stop, Toolbox, tool_specs

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 8.0
MAX_TOOL_ROUNDS = guardrails.MAX_MODEL_CALLS_PER_REQUEST


class LlmBrain:
    """One per turn (it owns the model connection it is given and closes it)."""

    def __init__(
        self,
        model: ChatModel | Callable[[], ChatModel] | None,
        fallback: Brain,
        *,
        model_name: str = "",
        timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
        unavailable_reason: str = "not_configured",
    ):
        self._model = model
        self.fallback = fallback
        self.model_name = model_name
        self.timeout = timeout_seconds if timeout_seconds > 0 else DEFAULT_TIMEOUT_SECONDS
        self.unavailable_reason = unavailable_reason

    async def turn(self, context: TurnContext) -> TurnResult:
        started = time.monotonic()
        if (not context.text.strip() and not context.dtmf) or context.replaying:
            # Nothing said (a session's opening): the greeting needs no model. A replayed
            # message of a completion only rebuilds the state: its reply is never shown.
            return _carry_history(await self.fallback.turn(context), context, llm=False)
        if self._model is None:
            return await self._fall_back(context, None, self.unavailable_reason, started)
        if DialogueState.load(context.state).model_calls >= guardrails.MAX_MODEL_CALLS_PER_SESSION:
            return await self._fall_back(context, None, "model_calls_per_session", started)
        try:
            model = self._model() if callable(self._model) else self._model
        except Exception as exc:  # e.g. the openai package missing: still answer
            log.warning("llm brain: no model client: %s", type(exc).__name__)
            return await self._fall_back(context, None, "client_unavailable", started)
        attempt = _Attempt(context, model, self.timeout, self.model_name)
        try:
            result = await attempt.run()
        except ModelFailure as failure:
            return await self._fall_back(context, attempt, failure.reason, started)
        except Exception as exc:  # a bug or a surprise from the client: still answer
            log.warning("llm brain failed a turn: %s", type(exc).__name__)
            return await self._fall_back(context, attempt, "internal_error", started)
        finally:
            try:
                await model.close()
            except Exception:  # closing must not turn an answer into a failure
                log.debug("closing the model client failed", exc_info=True)
        result.events.append(
            TurnEvent(
                "latency",
                {
                    "stage": "llm",
                    "model": self.model_name,
                    "ms": round(attempt.model_seconds * 1000),
                    "rounds": attempt.rounds,
                },
            )
        )
        return result

    async def _fall_back(
        self, context: TurnContext, attempt: _Attempt | None, reason: str, started: float
    ) -> TurnResult:
        log.warning(
            "llm brain (model %r) fell back to the built-in brain: %s", self.model_name, reason
        )
        # The attempt's handoff (if it asked for one) is not made: the fallback decides.
        events = [e for e in (attempt.events if attempt else []) if e.event_type != "handoff"]
        events.append(
            TurnEvent(
                "error",
                {"brain": "llm", "reason": reason, "fallback": "builtin", "model": self.model_name},
            )
        )
        events.append(
            TurnEvent(
                "latency",
                {
                    "stage": "llm",
                    "model": self.model_name,
                    "ms": round((time.monotonic() - started) * 1000),
                    "fallback": True,
                },
            )
        )
        fallback_context = context
        if attempt is not None:
            # What the attempt did through the Guard holds: its verifications and counted
            # tool calls.
            carried = DialogueState.load(context.state)
            carried.verified = attempt.state.verified
            carried.tool_calls = attempt.state.tool_calls
            carried.tool_call_times = attempt.state.tool_call_times
            carried.model_calls = attempt.state.model_calls
            carried.caller_id_tried = attempt.state.caller_id_tried
            fallback_context = replace(context, state={**context.state, **carried.dump()})
        result = await self.fallback.turn(fallback_context)
        result.events = events + result.events
        result.metadata = {
            **result.metadata,
            "fallback": {"from": "llm", "reason": reason},
        }
        return _carry_history(result, context, llm=False)


class _Attempt:
    def __init__(self, ctx: TurnContext, model: ChatModel, timeout: float, model_name: str):
        self.ctx = ctx
        self.model = model
        self.budget = timeout
        self.model_name = model_name
        self.model_seconds = 0.0
        self.rounds = 0
        self.policy = AgentPolicy.of(ctx.agent)
        self.state = DialogueState.load(ctx.state)
        self.events: list[TurnEvent] = []
        self.guard = Guard(ctx, self.policy, self.state, self.events)
        self.voice = ctx.channel == "voice"
        self.tools = Toolbox(self.policy, self.state, self.guard, self.events, self.voice)
        self.end = False
        self.release = Release(ctx.reply_sink, self.policy)

    async def run(self) -> TurnResult:
        s = self.state
        first = not s.greeted
        s.greeted = True
        greeting = replies.greeting(self.policy, self.ctx.now()) if first else ""
        if greeting:
            self.release.say(greeting + " ")  # the reply's start, whatever the model says
        deltas: list[str] = []
        try:
            body = await self._guarded(deltas)
        except Stop as stop:
            body = stop.reply
        reply = f"{greeting} {body}".strip() if greeting else body
        result = TurnResult(
            reply=reply,
            events=self.events,
            state=s.dump(),
            handoff=self.tools.handoff,
            end_conversation=self.end and self.tools.handoff is None,
            transfer_destination=(
                self.policy.transfer_destination
                if self.tools.handoff is not None and self.tools.handoff.live and self.voice
                else ""
            ),
            metadata={"brain": "llm", "model": self.model_name},
        )
        return _carry_history(result, self.ctx, llm=True)

    async def _guarded(self, deltas: list[str]) -> str:
        """The body of the reply; deltas collects the model's words. Stop ends it early."""
        s, guard, ctx = self.state, self.guard, self.ctx
        u = understand(ctx.text, s.expecting, ctx.dtmf, self.policy.wording.language)
        if u.injection:
            guard.guardrail("injection", "ignored")
        topic = self.policy.banned_topic_in(ctx.text)
        if topic is not None:
            guard.guardrail("content_policy", "refused", topic=topic)
            raise Stop(replies.banned_topic(self.policy.wording))
        if u.negative:
            s.negative_turns += 1
            angry = s.negative_turns >= self.policy.negative_turns
            guard.guardrail(
                "negative_sentiment",
                "handoff" if angry else "counted",
                count=s.negative_turns,
                threshold=self.policy.negative_turns,
            )
            if angry:
                self.tools.request_handoff("negative_sentiment")
                raise Stop(self.tools.handoff_words)
        if u.intent is Intent.GOODBYE and u.slots.empty:
            self.end = True  # as the built-in brain: the model says goodbye, the session ends

        try:
            text = await self._dialogue(deltas)
        except StoreOutcome as exc:
            self.events.append(
                TurnEvent(
                    "error", {"reason": exc.reason, "integrationStatus": exc.integration_status}
                )
            )
            s.offer = "requested"
            w = self.policy.wording
            raise Stop(w.line(exc.customer_line)) from None
        except RateLimited:
            s.offer = "requested"
            raise Stop(replies.rate_limited(self.policy.wording)) from None
        except LookupUnavailable:
            s.offer = "requested"
            raise Stop(replies.lookup_unavailable(self.policy.wording)) from None

        topic = self.policy.banned_topic_in(text)
        if topic is not None:
            guard.guardrail("content_policy", "replaced", topic=topic)
            raise Stop(replies.banned_topic(self.policy.wording))
        if self.tools.handoff is None and self.tools.escalations:
            self.tools.request_handoff(self.tools.escalations[0])
            raise Stop(f"{text} {self.tools.handoff_words}".strip())
        if not text.strip():
            if self.tools.handoff is not None:
                raise Stop(self.tools.handoff_words)
            raise ModelFailure("empty_reply")
        return text

    async def _dialogue(self, deltas: list[str]) -> str:
        ctx = self.ctx
        tools = tool_specs(ctx.agent, self.policy, ctx.channel)
        messages: list[dict[str, Any]] = [
            {
                "role": "system",
                "content": prompt.system_prompt(
                    self.policy, ctx.channel, not DialogueState.load(ctx.state).greeted
                ),
            },
            *prompt.history(ctx.state),
            {"role": "user", "content": prompt.customer_message(ctx.text, ctx.dtmf)},
        ]
        for _ in range(MAX_TOOL_ROUNDS):
            spaced = bool(deltas) and not deltas[-1].endswith((" ", "\n"))
            answer = await self._ask(messages, tools, self._streamed(spaced))
            if answer.text:
                if spaced:
                    deltas.append(" ")
                deltas.extend(answer.deltas)
            if not answer.tool_calls:
                if answer.finish_reason == "tool_calls":
                    raise ModelFailure("malformed_tool_call")
                return "".join(deltas).strip()
            messages.append(
                {
                    "role": "assistant",
                    "content": answer.text or None,
                    "tool_calls": [
                        {
                            "id": call.id,
                            "type": "function",
                            "function": {"name": call.name, "arguments": call.arguments},
                        }
                        for call in answer.tool_calls
                    ],
                }
            )
            for call in answer.tool_calls:
                result = await self.tools.run(call)
                messages.append(
                    {
                        "role": "tool",
                        "tool_call_id": call.id,
                        "content": _json(result),
                    }
                )
        raise ModelFailure("too_many_tool_rounds")

    def _streamed(self, spaced: bool) -> OnText:
        """Where one round's words go as the model streams them: on to the release, after
        the space that joins them to an earlier round's words (as `_dialogue` joins them)."""
        first = True

        def on_text(text: str) -> None:
            nonlocal first
            if first and spaced:
                self.release.model_text(" ")
            first = False
            self.release.model_text(text)

        return on_text

    async def _ask(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]], on_text: OnText
    ) -> Any:
        remaining = self.budget - self.model_seconds
        if remaining <= 0:
            raise ModelFailure("timeout")
        if self.state.model_calls >= guardrails.MAX_MODEL_CALLS_PER_SESSION:
            raise ModelFailure("model_calls_per_session")
        self.rounds += 1
        self.state.model_calls += 1
        started = time.monotonic()
        try:
            async with asyncio.timeout(remaining):
                return await self.model.complete(messages, tools, on_text)
        except TimeoutError:
            raise ModelFailure("timeout") from None
        finally:
            self.model_seconds += time.monotonic() - started


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _carry_history(result: TurnResult, ctx: TurnContext, *, llm: bool) -> TurnResult:
    """The words of this turn join the model's history, whichever brain said them. When the
    content policy redacts PII from transcripts, the history keeps only the redacted words
    too (the verification itself is in the Guard's state, not in the words)."""
    said, reply = prompt.customer_message(ctx.text, ctx.dtmf), result.reply
    if AgentPolicy.of(ctx.agent).redact_pii:
        said, reply = redact(said), redact(reply)
    result.state = {
        **result.state,
        prompt.HISTORY_KEY: prompt.remember(prompt.history(ctx.state), said, reply)
        if ctx.text.strip() or ctx.dtmf
        else prompt.history(ctx.state),
    }
    result.metadata.setdefault("brain", "llm" if llm else "builtin")
    return result
