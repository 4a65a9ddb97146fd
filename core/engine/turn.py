"""The boundary between the conversation service (persistence, channels) and the brain.

The service loads a session, builds a TurnContext with ports to the outside world, runs
one turn, and persists what comes back (events first, then the new state) before it
acknowledges the reply. The brain never touches the database or the network itself: it
only sees what the ports give it, which is what lets the guardrails be proved in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from core.domain.order_status import OrderStatus
from core.domain.verification_factors import Factor, FactorClaim

from .pacing import Pacer


class OrderPort(Protocol):
    """The live store. Raises core.domain.store_errors.StoreOutcome when it cannot answer."""

    async def by_name(self, order_number: str) -> list[OrderStatus]: ...


class AttemptsPort(Protocol):
    """The attempts ledger: distinct wrong details per order, counted in the database for
    every agent, session and replica of the organization (core/store/attempts.py)."""

    async def failures(self, order_key: str) -> int:
        """The wrong details counted for the order in the window now."""
        ...

    async def claim(self, order_key: str, factor: Factor, value: str, limit: int) -> FactorClaim:
        """Before the detail is compared with the order: counts it as wrong (once per
        distinct detail), or refuses when the order is locked (see FactorClaim)."""
        ...

    async def release(self, order_key: str, factor: Factor, value: str) -> None:
        """The claimed detail matched (or was never compared): it no longer counts."""
        ...


class SkillFailed(Exception):
    """A webhook skill gave no usable answer (refused, timed out, not JSON, not allowed)."""


@dataclass(frozen=True)
class SkillCall:
    """One webhook call, as the served version of the agent defines it (its headers stay in
    the vault, with the skill)."""

    skill_id: str
    url: str
    method: str
    timeout_ms: int
    arguments: Mapping[str, Any]


class ReplySink(Protocol):
    """Where a brain that writes its reply bit by bit sends it on (core/conversations/
    streaming.py): whole sentences, each only once it has passed every check the reply as
    a whole must pass, and together the start of the reply the brain returns. A brain that
    cannot say it in order returns its reply all the same: pieces sent that it does not
    start with are withdrawn, and the stream says so."""

    def send(self, piece: str) -> None: ...


class SkillPort(Protocol):
    """The agent's webhook skills, called with their sealed headers. Returns the answer."""

    async def call(self, call: SkillCall) -> Any: ...


@dataclass
class RequestScope:
    """What the brain turns of one request share: a customer's turn, or a stateless
    completion with every message it replays. An order asked about again within the request
    is answered from the request's own lookup (the store is asked once), and the tool calls
    it made count against its cap (core/domain/guardrails.py)."""

    answers: dict[str, list[OrderStatus]] = field(default_factory=dict)
    tool_calls: int = 0


@dataclass
class TurnContext:
    # The published version (or draft) being served, as an AgentSnapshot document
    # (contract field names: {"agent": {...}, "skills": [...], "guardrails": [...],
    # "caller_verification": [...]}).
    agent: Mapping[str, Any]
    channel: str  # "chat" | "widget" | "voice" | "api"
    # The session's dialogue state from the previous turn (a JSON-able dict the brain owns;
    # empty on the first turn). The brain returns the new one; the service stores it.
    state: Mapping[str, Any]
    text: str  # the customer's words (recognised speech on calls), already length-checked
    orders: OrderPort
    attempts: AttemptsPort
    now: Callable[[], datetime]
    caller_number: str = ""  # E.164, voice only
    dtmf: str = ""  # digits keyed on a call this turn, if any
    skills: SkillPort | None = None  # webhook skills; None where none can run (simulation)
    # How long the store's lookups take, so a failed verification answers when one usually
    # has (see .pacing); the service keeps one per store.
    pacer: Pacer = field(default_factory=Pacer)
    request: RequestScope = field(default_factory=RequestScope)
    # An earlier message of a stateless conversation, replayed only to rebuild its state:
    # its reply is never shown, so no model is asked for it.
    replaying: bool = False
    # Where to send the reply as it is written, sentence by sentence; None: nobody is
    # streaming it (a brain that does not stream ignores it either way).
    reply_sink: ReplySink | None = None


@dataclass
class TurnEvent:
    """One audit event of the turn, in order (see API.md "Audit events")."""

    event_type: (
        str  # user_utterance, agent_message, tool_call, guardrail, verification, handoff, error
    )
    payload: dict[str, Any]


@dataclass
class HandoffRequest:
    reason: str  # damaged, lost, delayed, negative_sentiment, misunderstanding, requested, locked
    order_summary: dict[str, Any]  # only verified data; empty when nothing was verified
    verified_identity: dict[str, Any]  # {"order": "#1001", "method": "order_match"} or {}
    # Whether a person can take it now (inside the agent's hours): a call is transferred
    # only then.
    live: bool = True


@dataclass
class TurnResult:
    reply: str
    events: list[TurnEvent]
    state: dict[str, Any]
    handoff: HandoffRequest | None = None
    end_conversation: bool = False
    transfer_destination: str = ""  # voice: where to transfer, when the agent hands off
    metadata: dict[str, Any] = field(default_factory=dict)


class Brain(Protocol):
    async def turn(self, context: TurnContext) -> TurnResult: ...
