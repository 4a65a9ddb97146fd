"""Ports for the brain without a network or a database: the example store (or the demo
store's data) parsed with OrderStatus.from_shopify, an in-memory attempts counter, a clock
the test moves, and a conversation driver that carries the state between turns."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from core.domain.order_status import OrderStatus
from core.domain.provisioning import disclosure_policy, lookup_order_skill, order_match_method
from core.domain.store_errors import StoreOutcome
from core.domain.verification_factors import Factor, FactorClaim, normalized
from core.engine import BuiltinBrain, TurnContext, TurnResult
from core.engine.pacing import Pacer
from tests.example_store import AS_OF, STORE_EXAMPLE

DEMO_STORE = Path(__file__).resolve().parents[2] / "demostore" / "data" / "demo-store.json"
# When the example store and the demo data were written (their asOf), a Friday afternoon:
# the orders read here as written are in the states their files describe (#1001 on its way).
NOW = AS_OF


def load_orders(path: Path = STORE_EXAMPLE) -> dict[str, OrderStatus]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {o["name"]: OrderStatus.from_shopify(o, data["shop"]) for o in data["orders"]}


def raw_orders(path: Path = STORE_EXAMPLE) -> dict[str, dict[str, Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {o["name"]: o for o in data["orders"]}


class FakeStore:
    """OrderPort over parsed orders. `fail_with` makes every lookup raise that outcome."""

    def __init__(self, orders: dict[str, OrderStatus]):
        self.orders = orders
        self.calls: list[str] = []
        self.fail_with: StoreOutcome | None = None

    async def by_name(self, order_number: str) -> list[OrderStatus]:
        self.calls.append(order_number)
        if self.fail_with is not None:
            raise self.fail_with
        wanted = order_number.lstrip("#").casefold()
        return [o for n, o in self.orders.items() if n.lstrip("#").casefold() == wanted]


class FakeAttempts:
    """The attempts ledger in memory (no window): distinct wrong details per order key."""

    def __init__(self) -> None:
        self.wrong: dict[str, set[tuple[str, str]]] = {}
        self.calls: list[tuple[str, str]] = []

    @property
    def counts(self) -> dict[str, int]:
        return {key: len(details) for key, details in self.wrong.items() if details}

    async def failures(self, order_key: str) -> int:
        self.calls.append(("failures", order_key))
        return len(self.wrong.get(order_key, ()))

    async def claim(self, order_key: str, factor: Factor, value: str, limit: int) -> FactorClaim:
        self.calls.append(("claim", order_key))
        details = self.wrong.setdefault(order_key, set())
        if len(details) >= limit:
            return FactorClaim(allowed=False, failures=len(details))
        detail = (factor.value, normalized(factor, value))
        if detail in details:
            return FactorClaim(allowed=True, failures=len(details))
        details.add(detail)
        return FactorClaim(allowed=True, failures=len(details), fresh=True)

    async def release(self, order_key: str, factor: Factor, value: str) -> None:
        self.calls.append(("release", order_key))
        self.wrong.get(order_key, set()).discard((factor.value, normalized(factor, value)))


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def agent(
    *,
    greeting: str = "",
    language: str = "",
    caller_id: bool = False,
    order_match: bool = True,
    guardrails: list[dict[str, Any]] | None = None,
    skill: dict[str, Any] | None = None,
    transfer_destination: str = "",
    agent_id: str = "agt_test",
) -> dict[str, Any]:
    """An AgentSnapshot document with the secure defaults provisioning puts on an agent."""
    lookup = {"id": "skl_lookup", **lookup_order_skill("Look up an order"), **(skill or {})}
    methods = [order_match_method("skl_lookup")] if order_match else []
    if caller_id:
        methods.append(
            {
                "method": "VERIFICATION_METHOD_CALLER_ID",
                "token_ttl_seconds": 900,
                "max_attempts": 3,
            }
        )
    settings: dict[str, Any] = {"id": agent_id, "display_name": "Juniper Helper"}
    if greeting:
        settings["greeting"] = greeting
    if language:
        settings["language"] = language
    if transfer_destination:
        settings["handoff_config"] = {"transfer_destination": transfer_destination}
    return {
        "agent": settings,
        "skills": [lookup],
        "guardrails": [disclosure_policy(), *(guardrails or [])],
        "caller_verification": methods,
    }


@dataclass
class Chat:
    store: FakeStore
    agent: dict[str, Any] = field(default_factory=agent)
    channel: str = "chat"
    caller_number: str = ""
    attempts: FakeAttempts = field(default_factory=FakeAttempts)
    clock: Clock = field(default_factory=Clock)
    state: dict[str, Any] = field(default_factory=dict)
    results: list[TurnResult] = field(default_factory=list)
    brain: BuiltinBrain = field(default_factory=BuiltinBrain)
    pacer: Pacer = field(default_factory=Pacer)
    reply_sink: Any = None  # where a streaming brain sends its reply as it writes it

    async def say(self, text: str, dtmf: str = "") -> TurnResult:
        ctx = TurnContext(
            agent=self.agent,
            channel=self.channel,
            state=self.state,
            text=text,
            orders=self.store,
            attempts=self.attempts,
            now=self.clock,
            caller_number=self.caller_number,
            dtmf=dtmf,
            pacer=self.pacer,
            reply_sink=self.reply_sink,
        )
        result = await self.brain.turn(ctx)
        # What the service stores must survive a JSON round trip.
        self.state = json.loads(json.dumps(result.state))
        json.dumps([e.payload for e in result.events])
        self.results.append(result)
        return result

    @property
    def handoffs(self) -> list[Any]:
        return [r.handoff for r in self.results if r.handoff is not None]

    def events(self, kind: str) -> list[dict[str, Any]]:
        return [e.payload for r in self.results for e in r.events if e.event_type == kind]


def extract(text: str, expecting: str | None = None, dtmf: str = "", language: str = "en"):
    """The slots of one message, as the engine reads it (nlu.understand)."""
    from core.engine.nlu import understand

    return understand(text, expecting, dtmf, language).slots
