"""The built-in brain's dialogue state: what it remembers between turns, as the JSON-able
dict the conversation service stores. Unknown or malformed values read as their defaults,
so a state written by another version never crashes a turn (it only forgets)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

VERSION = 1


@dataclass
class VerifiedOrder:
    order_id: str  # the store's id, so a re-created order of the same name is not trusted
    method: str  # order_match | caller_id
    factor: str  # email | phone | postcode (caller_id: phone)
    at: float  # epoch seconds (ctx.now()) when verified
    # What the customer was allowed to hear at the last lookup, for a handoff summary.
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class DialogueState:
    greeted: bool = False
    order: str | None = None  # the order in focus, "#1001"
    intent: str | None = None  # an order question waiting for its order or verification
    expecting: str | None = None  # order_number | factor
    # A factor given before its order number: kept only until the next attempt.
    pending_factor: dict[str, str] | None = None
    verified: dict[str, VerifiedOrder] = field(default_factory=dict)
    caller_id_tried: list[str] = field(default_factory=list)
    negative_turns: int = 0
    misunderstood: int = 0  # consecutive turns not understood
    offer: str | None = None  # a handoff offered, waiting for "yes": its reason
    handoff: str | None = None  # the reason, once handed off
    tool_calls: int = 0
    tool_call_times: list[float] = field(default_factory=list)
    model_calls: int = 0  # the LLM brain's, in this conversation (core/domain/guardrails.py)
    # A write skill the customer was asked to confirm: {"skill", "digest" of its arguments,
    # "asked_at" epoch seconds}. Only a later "yes" to exactly that runs it.
    pending_write: dict[str, Any] | None = None
    # Orders named alongside the one in focus ("2003 and 2001"), taken up in turn once it is
    # answered.
    queued: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, raw: Mapping[str, Any]) -> DialogueState:
        if not isinstance(raw, Mapping) or raw.get("v") != VERSION:
            return cls()
        state = cls()
        state.greeted = raw.get("greeted") is True
        state.order = _str(raw.get("order"))
        state.intent = _str(raw.get("intent"))
        state.expecting = _str(raw.get("expecting"))
        pending = raw.get("pending_factor")
        if (
            isinstance(pending, Mapping)
            and isinstance(pending.get("type"), str)
            and isinstance(pending.get("value"), str)
        ):
            state.pending_factor = {"type": pending["type"], "value": pending["value"]}
        verified = raw.get("verified")
        if isinstance(verified, Mapping):
            for name, record in verified.items():
                if not isinstance(record, Mapping):
                    continue
                try:
                    state.verified[str(name)] = VerifiedOrder(
                        order_id=str(record["order_id"]),
                        method=str(record["method"]),
                        factor=str(record["factor"]),
                        at=float(record["at"]),
                        summary=dict(record.get("summary") or {}),
                    )
                except (KeyError, TypeError, ValueError):
                    continue
        tried = raw.get("caller_id_tried")
        state.caller_id_tried = [t for t in tried if isinstance(t, str)] if tried else []
        state.negative_turns = _int(raw.get("negative_turns"))
        state.misunderstood = _int(raw.get("misunderstood"))
        state.offer = _str(raw.get("offer"))
        state.handoff = _str(raw.get("handoff"))
        state.tool_calls = _int(raw.get("tool_calls"))
        state.model_calls = _int(raw.get("model_calls"))
        times = raw.get("tool_call_times")
        state.tool_call_times = (
            [float(t) for t in times if isinstance(t, int | float)]
            if isinstance(times, list)
            else []
        )
        pending = raw.get("pending_write")
        if (
            isinstance(pending, Mapping)
            and isinstance(pending.get("skill"), str)
            and isinstance(pending.get("digest"), str)
            and isinstance(pending.get("asked_at"), int | float)
        ):
            state.pending_write = {
                "skill": pending["skill"],
                "digest": pending["digest"],
                "asked_at": float(pending["asked_at"]),
            }
        queued = raw.get("queued")
        state.queued = [q for q in queued if isinstance(q, str)] if isinstance(queued, list) else []
        return state

    def dump(self) -> dict[str, Any]:
        # By hand rather than dataclasses.asdict, which deep-copies every value: this runs
        # on every turn, and the values are fresh or copied already.
        return {
            "v": VERSION,
            "greeted": self.greeted,
            "order": self.order,
            "intent": self.intent,
            "expecting": self.expecting,
            "pending_factor": dict(self.pending_factor) if self.pending_factor else None,
            "verified": {
                name: {
                    "order_id": record.order_id,
                    "method": record.method,
                    "factor": record.factor,
                    "at": record.at,
                    "summary": dict(record.summary),
                }
                for name, record in self.verified.items()
            },
            "caller_id_tried": list(self.caller_id_tried),
            "negative_turns": self.negative_turns,
            "misunderstood": self.misunderstood,
            "offer": self.offer,
            "handoff": self.handoff,
            "tool_calls": self.tool_calls,
            "tool_call_times": list(self.tool_call_times),
            "model_calls": self.model_calls,
            "pending_write": dict(self.pending_write) if self.pending_write else None,
            "queued": list(self.queued),
        }


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
