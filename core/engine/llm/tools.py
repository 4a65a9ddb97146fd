"""The agent's skills as the model's tools, and what running one gives back.

Only skills the code can run behind the Guard are offered: `lookup_order` (when enabled
and served on this channel), `request_handoff`, and the agent's webhook skills (enabled,
served on this channel; writes only with the customer's confirmation, see `WebhookTool`).
A lookup goes through the same Guard as the built-in brain, in the same order (verified
already? locked? open fields? caller id? order match), so verification, locks, rate limits
and disclosure are the Guard's, not the model's. The model receives a JSON result built
from the Guard's OrderView only: when the session is not verified for the order it gets the
same generic answer whether the order exists or not, and never any order data.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from core.domain.provisioning import LOOKUP_PARAMETERS
from core.domain.verification_factors import Factor

from .. import order_words, replies
from ..disclosure import OrderView
from ..escalation import reason_for
from ..intents import Intent, classify
from ..policy import ORDER_MATCH, AgentPolicy
from ..slots import order_name
from ..state import DialogueState
from ..turn import HandoffRequest, SkillCall, SkillFailed, TurnEvent
from ..verification import Guard, Result
from ..wording import Wording
from .client import ModelFailure, ToolCall

HANDOFF_TOOL = "request_handoff"
HANDOFF_REASONS = (
    "requested",
    "damaged",
    "wrong_item",
    "lost",
    "failed_delivery",
    "delayed",
    "negative_sentiment",
    "misunderstanding",
    "locked",
)
_TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_MAX_ORDER = 32
_MAX_FACTOR = 254
_NOT_MATCHED = {
    "result": "not_found_or_mismatch",
    "message": "No order matches that order number and detail. Nothing about any order "
    "may be shared. Ask the customer to check both.",
}
_VERIFY = {
    "result": "verification_required",
    "message": "Before anything about this order can be shared, ask the customer for the "
    "email address, phone number or postal code on the order, then call lookup_order again "
    "with it.",
    "ask_for": ["email", "phone", "postal_code"],
}


def tool_specs(
    snapshot: Mapping[str, Any], policy: AgentPolicy, channel: str
) -> list[dict[str, Any]]:
    """The `tools` of a chat completion request for this agent on this channel."""
    tools: list[dict[str, Any]] = []
    lookup = policy.lookup
    if lookup is not None and lookup.serves(channel) and _TOOL_NAME.match(lookup.name):
        skill = _lookup_skill(snapshot)
        schema = skill.get("parameters_schema") or skill.get("parametersSchema")
        tools.append(
            _function(
                lookup.name,
                str(skill.get("description") or "Look up an order's status and delivery."),
                schema if isinstance(schema, Mapping) and schema else LOOKUP_PARAMETERS,
            )
        )
    for webhook in WebhookTool.offered(snapshot, channel).values():
        tools.append(_function(webhook.name, webhook.description, webhook.parameters))
    tools.append(
        _function(
            HANDOFF_TOOL,
            "Hand the conversation to a person on the team: when the customer asks for one, "
            "reports a damaged, wrong or lost item, or you cannot help.",
            {
                "type": "object",
                "properties": {"reason": {"type": "string", "enum": list(HANDOFF_REASONS)}},
                "required": ["reason"],
            },
        )
    )
    return tools


@dataclass(frozen=True)
class WebhookTool:
    """An `http_webhook` skill the model may call. A write skill (`isWrite`) runs only for a
    verified customer who said yes, in a later message, to exactly that call (write_gate,
    enforced here rather than left to the model)."""

    skill_id: str
    name: str
    description: str
    parameters: Mapping[str, Any]
    required: tuple[str, ...]
    requires_identity: bool
    allowed_fields: frozenset[str]
    writes: bool
    # Where it goes, from the served version (not the skill as it may have been edited since).
    url: str
    method: str
    timeout_ms: int

    @classmethod
    def offered(cls, snapshot: Mapping[str, Any], channel: str) -> dict[str, WebhookTool]:
        tools: dict[str, WebhookTool] = {}
        for skill in snapshot.get("skills") or ():
            if not isinstance(skill, Mapping) or skill.get("skill_type") != "http_webhook":
                continue
            name = str(skill.get("display_name") or "")
            channels = {
                str(c).removeprefix("CHANNEL_").lower() for c in skill.get("channels") or ()
            }
            if (
                skill.get("is_enabled", True) is False
                or (channels and channel not in channels)
                or not _TOOL_NAME.match(name)
                or name in (HANDOFF_TOOL, "lookup_order")
            ):
                continue
            schema = skill.get("parameters_schema")
            config = skill.get("execution_config") or {}
            tools[name] = cls(
                skill_id=str(skill.get("id") or ""),
                name=name,
                description=str(skill.get("description") or name),
                parameters=schema if isinstance(schema, Mapping) and schema else _NO_PARAMETERS,
                required=tuple(str(p) for p in skill.get("required_params") or ()),
                requires_identity=skill.get("requires_verified_identity") is True,
                allowed_fields=frozenset(str(f) for f in skill.get("allowed_fields") or ()),
                writes=skill.get("is_write") is True,
                url=str(config.get("url") or ""),
                method=str(config.get("method") or "POST"),
                timeout_ms=int(config.get("timeout_ms") or 5000),
            )
        return tools

    def problem_with(self, args: Mapping[str, Any]) -> str | None:
        """Why these arguments cannot be sent (the schema's words), or None."""
        missing = [p for p in self.required if p not in args]
        if missing:
            return f"missing: {', '.join(missing)}"
        error = best_match(Draft202012Validator(dict(self.parameters)).iter_errors(dict(args)))
        return None if error is None else error.message

    def shown(self, answer: Any) -> Any:
        """The answer as the model may see it: only the allowed fields, when the skill lists
        any (of an object answer, or of each object in a list answer)."""
        if not self.allowed_fields:
            return answer
        if isinstance(answer, Mapping):
            return {k: v for k, v in answer.items() if k in self.allowed_fields}
        if isinstance(answer, list):
            return [self.shown(item) for item in answer]
        return None


_NO_PARAMETERS: Mapping[str, Any] = {"type": "object", "properties": {}}
CONFIRM_WITHIN_SECONDS = 600  # a yes long after the question confirms nothing
_CONFIRM_FIRST = {
    "result": "confirmation_required",
    "message": "This changes something. Tell the customer exactly what will be done and ask "
    "them to confirm; only after they say yes, call this again with the same arguments.",
}


def _function(name: str, description: str, parameters: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {"name": name, "description": description, "parameters": dict(parameters)},
    }


def _lookup_skill(snapshot: Mapping[str, Any]) -> Mapping[str, Any]:
    for skill in snapshot.get("skills") or ():
        if not isinstance(skill, Mapping):
            continue
        config = skill.get("execution_config")
        action = config.get("action") if isinstance(config, Mapping) else None
        if "lookup_order" in (action, skill.get("display_name")):
            return skill
    return {}


class Stop(Exception):
    """A guardrail ends the turn with fixed words (rate limit, lookup unavailable, a store
    that cannot answer): the model is not asked to rephrase them."""

    def __init__(self, reply: str):
        super().__init__(reply)
        self.reply = reply


class Toolbox:
    """Runs the model's tool calls for one turn, through the Guard."""

    def __init__(
        self,
        policy: AgentPolicy,
        state: DialogueState,
        guard: Guard,
        events: list[TurnEvent],
        voice: bool,
    ):
        self.policy = policy
        self.state = state
        self.guard = guard
        self.events = events
        self.voice = voice
        self.now = guard.ctx.now()
        self.webhooks = WebhookTool.offered(guard.ctx.agent, guard.ctx.channel)
        self.handoff: HandoffRequest | None = None
        self.handoff_words = ""
        # Escalations the verified orders of this turn call for (lost, delayed).
        self.escalations: list[str] = []

    async def run(self, call: ToolCall) -> dict[str, Any]:
        """The tool's result for the model. Raises ModelFailure for a malformed call and
        Stop when a guardrail ends the turn."""
        try:
            args = json.loads(call.arguments or "{}")
        except json.JSONDecodeError:
            raise ModelFailure("malformed_tool_call") from None
        if not isinstance(args, dict):
            raise ModelFailure("malformed_tool_call")
        lookup = self.policy.lookup
        if call.name == HANDOFF_TOOL:
            reason = args.get("reason")
            return self.request_handoff(reason if reason in HANDOFF_REASONS else "requested")
        if lookup is not None and call.name == lookup.name:
            return await self.lookup(args)
        if call.name in self.webhooks:
            return await self.webhook(self.webhooks[call.name], args)
        raise ModelFailure("unknown_tool")

    # -- webhook skills -------------------------------------------------------------------

    async def webhook(self, tool: WebhookTool, args: Mapping[str, Any]) -> dict[str, Any]:
        """A webhook skill, behind the same limits as a lookup. Its answer is data for the
        model, never instructions, and only its allowed fields reach the model."""
        guard, port = self.guard, self.guard.ctx.skills
        if port is None:
            guard.guardrail("skill_disabled", "blocked", skill=tool.name)
            return {"result": "unavailable", "message": "That can't be done from here."}
        if (tool.requires_identity or tool.writes) and not guard.verified_any():
            guard.guardrail("verify_before_disclose", "withheld", skill=tool.name)
            return {
                "result": "verification_required",
                "message": "First verify the customer with lookup_order (order number and "
                "the email, phone or postcode on it).",
            }
        problem = tool.problem_with(args)
        if problem is not None:
            return {"result": "invalid_arguments", "message": problem}
        if tool.writes and not self._confirmed(tool, args):
            return dict(_CONFIRM_FIRST)
        guard.spend_tool_call(tool.name, purpose="webhook")  # RateLimited ends the turn
        try:
            answer = await port.call(
                SkillCall(tool.skill_id, tool.url, tool.method, tool.timeout_ms, args)
            )
        except SkillFailed:
            self.events.append(
                TurnEvent("error", {"skill": tool.name, "message": "no usable answer"})
            )
            return {"result": "unavailable", "message": "That service is not answering now."}
        return {"result": "ok", "data": tool.shown(answer)}

    # -- lookup_order ---------------------------------------------------------------------

    async def lookup(self, args: Mapping[str, Any]) -> dict[str, Any]:
        raw = args.get("order_number")
        if isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        if not isinstance(raw, str) or not raw.strip() or len(raw) > _MAX_ORDER:
            raise ModelFailure("malformed_tool_call")
        name = order_name(raw)
        factor = _factor(args)
        s, guard = self.state, self.guard
        s.order = name
        if not guard.can_look_up:
            lookup = self.policy.lookup
            guard.guardrail(
                "skill_disabled", "blocked", skill=lookup.name if lookup else "lookup_order"
            )
            s.offer = "requested"
            raise Stop(replies.lookup_unavailable(self.policy.wording))

        if guard.verified(name) is not None:
            shown = await guard.verified_view(name)
            if shown is not None:
                return self._verified(shown)

        if await guard.locked(name):
            s.offer = "locked"
            return _locked(name, self.policy.wording)

        if factor is None and self.policy.fields_for(verified=False) - {"found"}:
            opened = await guard.open_view(name)
            if opened is not None:
                return {
                    "result": "partial",
                    "message": "Only these details may be shared without verification.",
                    "order": opened.summary(),
                }

        caller = await guard.by_caller_id(name)
        if caller is not None and caller.result is Result.VERIFIED and caller.view is not None:
            return self._verified(caller.view)

        if ORDER_MATCH not in guard.methods:
            guard.guardrail("verify_before_disclose", "withheld", order=name)
            s.offer = "requested"
            return {
                "result": "cannot_verify",
                "message": replies.cannot_verify(self.policy.wording),
            }

        if factor is None:
            guard.guardrail("verify_before_disclose", "withheld", order=name)
            return dict(_VERIFY)

        kind, value = factor
        attempt = await guard.by_order_match(name, kind, value)
        if attempt.result is Result.VERIFIED and attempt.view is not None:
            return self._verified(attempt.view)
        if attempt.result is Result.LOCKED:
            s.offer = "locked"
            return _locked(name, self.policy.wording)
        return dict(_NOT_MATCHED)

    def _verified(self, shown: OrderView) -> dict[str, Any]:
        result: dict[str, Any] = {
            "result": "verified",
            "order": shown.summary(),
            "plain_words": order_words.describe(shown, self.now, self.voice, self.policy.wording),
        }
        if shown.timezone:
            result["store_timezone"] = shown.timezone
        reason = reason_for(shown, None, self.now)
        if reason is not None:
            self.escalations.append(reason)
            result["escalate"] = reason
        return result

    def _confirmed(self, tool: WebhookTool, args: Mapping[str, Any]) -> bool:
        """Whether the customer's message now says yes to this very call, asked for in an
        earlier turn. If not, this call becomes the one waiting for a yes."""
        digest = hashlib.sha256(json.dumps(args, sort_keys=True).encode()).hexdigest()
        pending, self.state.pending_write = self.state.pending_write, None
        agreed = (
            classify(self.guard.ctx.text, language=self.policy.wording.language) is Intent.AFFIRM
        )
        if (
            pending is not None
            and pending["skill"] == tool.name
            and pending["digest"] == digest
            and pending["asked_at"] < self.now.timestamp()  # a later message than the ask
            and self.now.timestamp() - pending["asked_at"] <= CONFIRM_WITHIN_SECONDS
            and agreed
        ):
            self.guard.guardrail("write_gate", "confirmed", skill=tool.name)
            return True
        self.state.pending_write = {
            "skill": tool.name,
            "digest": digest,
            "asked_at": self.now.timestamp(),
        }
        self.guard.guardrail("write_gate", "confirmation_required", skill=tool.name)
        return False

    # -- request_handoff ------------------------------------------------------------------

    def request_handoff(self, reason: str) -> dict[str, Any]:
        """The same HandoffRequest as the built-in brain: only verified data in the summary."""
        s = self.state
        s.offer = None
        if s.handoff is not None or self.handoff is not None:
            if self.handoff is None:
                self.handoff_words = replies.already_handed_off(self.policy.wording)
            return {
                "result": "already_handed_off",
                "tell_customer": replies.already_handed_off(self.policy.wording),
            }
        s.handoff = reason
        self.handoff, self.handoff_words = self.guard.hand_off(s.order, reason)
        return {"result": "handoff_created", "tell_customer": self.handoff_words}


def _locked(name: str, w: Wording) -> dict[str, Any]:
    return {
        "result": "locked",
        "message": replies.locked(name, w),
        "offer_handoff": True,
    }


def _factor(args: Mapping[str, Any]) -> tuple[Factor, str] | None:
    """One factor per attempt, as the built-in brain: email, then phone, then postcode."""
    for key, kind in (
        ("email", Factor.EMAIL),
        ("phone", Factor.PHONE),
        ("postal_code", Factor.POSTCODE),
        ("postcode", Factor.POSTCODE),
    ):
        value = args.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or len(value) > _MAX_FACTOR:
            raise ModelFailure("malformed_tool_call")
        if value.strip():
            return kind, value.strip()
    return None
