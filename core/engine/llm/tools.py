"""The agent's skills as the model's tools, and what running one gives back.

Only skills the code can run behind the Guard are offered: `lookup_order` (when enabled
and served on this channel) and `request_handoff`. A lookup goes through the same Guard as
the built-in brain, in the same order (verified already? locked? open fields? caller id?
order match), so verification, locks, rate limits and disclosure are the Guard's, not the
model's. The model receives a JSON result built from the Guard's OrderView only: when the
session is not verified for the order it gets the same generic answer whether the order
exists or not, and never any order data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from core.domain.verification_factors import Factor

from .. import replies
from ..disclosure import OrderView
from ..escalation import reason_for
from ..policy import ORDER_MATCH, AgentPolicy
from ..slots import order_name
from ..state import DialogueState
from ..turn import HandoffRequest, TurnEvent
from ..verification import Guard, Result
from .client import ModelFailure, ToolCall

HANDOFF_TOOL = "request_handoff"
HANDOFF_REASONS = (
    "requested",
    "damaged",
    "wrong_item",
    "lost",
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
_DEFAULT_LOOKUP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "order_number": {"type": "string", "description": "The order number, e.g. #1001"},
        "email": {"type": "string", "description": "The email address on the order"},
        "phone": {"type": "string", "description": "The phone number on the order"},
        "postal_code": {"type": "string", "description": "The shipping postcode"},
    },
    "required": ["order_number"],
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
                schema if isinstance(schema, Mapping) and schema else _DEFAULT_LOOKUP_SCHEMA,
            )
        )
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
        raise ModelFailure("unknown_tool")

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
            raise Stop(replies.lookup_unavailable())

        if guard.verified(name) is not None:
            shown = await guard.verified_view(name)
            if shown is not None:
                return self._verified(shown)

        if await guard.locked(name):
            s.offer = "locked"
            return _locked(name)

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
            return {"result": "cannot_verify", "message": replies.cannot_verify()}

        if factor is None:
            guard.guardrail("verify_before_disclose", "withheld", order=name)
            return dict(_VERIFY)

        kind, value = factor
        attempt = await guard.by_order_match(name, kind, value)
        if attempt.result is Result.VERIFIED and attempt.view is not None:
            return self._verified(attempt.view)
        if attempt.result is Result.LOCKED:
            s.offer = "locked"
            return _locked(name)
        return dict(_NOT_MATCHED)

    def _verified(self, shown: OrderView) -> dict[str, Any]:
        result: dict[str, Any] = {
            "result": "verified",
            "order": shown.summary(),
            "plain_words": replies.describe(shown, self.now, self.voice),
        }
        if shown.timezone:
            result["store_timezone"] = shown.timezone
        reason = reason_for(shown, None, self.now)
        if reason is not None:
            self.escalations.append(reason)
            result["escalate"] = reason
        return result

    # -- request_handoff ------------------------------------------------------------------

    def request_handoff(self, reason: str) -> dict[str, Any]:
        """The same HandoffRequest as the built-in brain: only verified data in the summary."""
        s = self.state
        s.offer = None
        if s.handoff is not None or self.handoff is not None:
            if self.handoff is None:
                self.handoff_words = replies.already_handed_off()
            return {"result": "already_handed_off", "tell_customer": replies.already_handed_off()}
        s.handoff = reason
        self.handoff, self.handoff_words = self.guard.hand_off(s.order, reason)
        return {"result": "handoff_created", "tell_customer": self.handoff_words}


def _locked(name: str) -> dict[str, Any]:
    return {
        "result": "locked",
        "message": replies.locked(name),
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
