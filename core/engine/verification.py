"""The disclosure guardrail, in code, around every brain: the only way to an order's data.

A session is verified per order, by a method the agent configures:
- `order_match`: the order number plus one of the order's own email, phone or shipping
  postcode. Every attempt takes the same path whether or not the order exists (claim the
  detail in the attempts ledger, look the order up, compare, keep or release the claim),
  and a wrong factor and a missing order give the same result, the same events, the same
  number of store calls and (held to what the store's lookups usually take, see .pacing)
  the same time.
- `caller_id`: on a call only, and only when configured: the calling number equals the
  order's phone. A mismatch is not a failed attempt (the caller guessed nothing).

Wrong details are counted through the AttemptsPort per organization, store and order, so
every agent, replica and session sees them; at `max_attempts` the order is locked. A
verification lasts the method's `token_ttl_seconds` from ctx.now(). What the brain gets
back is an OrderView holding only the fields the policy lets this customer hear; it never
gets the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from core.domain import guardrails
from core.domain.order_status import OrderStatus
from core.domain.provisioning import ORDER_FIELDS
from core.domain.verification_factors import Factor, VerificationFactors, factor_matches

from . import replies
from .disclosure import OrderView, view
from .policy import CALLER_ID, ORDER_MATCH, AgentPolicy
from .state import DialogueState, VerifiedOrder
from .turn import HandoffRequest, TurnContext, TurnEvent

_MINUTE = 60.0
# Compared against when no order has the name, so a missing order costs the same work.
_NO_ORDER_FACTORS = VerificationFactors()


class Result(StrEnum):
    VERIFIED = "verified"
    FAILED = "failed"
    LOCKED = "locked"


class RateLimited(Exception):
    def __init__(self, limit: str):
        super().__init__(limit)
        self.limit = limit


class LookupUnavailable(Exception):
    """The lookup skill is missing, disabled, or not offered on this channel."""


@dataclass(frozen=True)
class Attempt:
    result: Result
    view: OrderView | None = None


def _same_name(store_name: str, asked: str) -> bool:
    return store_name.lstrip("#").casefold() == asked.lstrip("#").casefold()


class Guard:
    def __init__(
        self,
        ctx: TurnContext,
        policy: AgentPolicy,
        state: DialogueState,
        events: list[TurnEvent],
    ):
        self.ctx = ctx
        self.policy = policy
        self.state = state
        self.events = events
        self.now = ctx.now().timestamp()

    # -- events -------------------------------------------------------------------------

    def _event(self, kind: str, **payload: Any) -> None:
        self.events.append(TurnEvent(kind, payload))

    def guardrail(self, rule: str, decision: str, **payload: Any) -> None:
        self._event("guardrail", rule=rule, decision=decision, **payload)

    # -- the skill and its limits --------------------------------------------------------

    @property
    def can_look_up(self) -> bool:
        lookup = self.policy.lookup
        return lookup is not None and lookup.serves(self.ctx.channel)

    @property
    def methods(self) -> list[str]:
        """Methods that can run here: caller_id only on a call with a calling number."""
        usable = []
        if ORDER_MATCH in self.policy.methods:
            usable.append(ORDER_MATCH)
        if CALLER_ID in self.policy.methods and self.ctx.channel == "voice":
            usable.append(CALLER_ID)
        return usable

    def _check_rate(self) -> None:
        """The merchant's rate limits, under the caps no agent can lift."""
        recent = [t for t in self.state.tool_call_times if self.now - t < _MINUTE]
        self.state.tool_call_times = recent
        per_conversation = min(
            self.policy.per_conversation or guardrails.MAX_TOOL_CALLS_PER_SESSION,
            guardrails.MAX_TOOL_CALLS_PER_SESSION,
        )
        limit = None
        if self.ctx.request.tool_calls >= guardrails.MAX_TOOL_CALLS_PER_REQUEST:
            limit = "per_request"
        elif self.state.tool_calls >= per_conversation:
            limit = "per_conversation"
        elif self.policy.per_minute is not None and len(recent) >= self.policy.per_minute:
            limit = "per_minute"
        if limit is not None:
            self.guardrail("rate_limit", "blocked", limit=limit)
            raise RateLimited(limit)

    def spend_tool_call(self, skill: str, **payload: Any) -> None:
        """One call of a skill against the rate limits (RateLimited when over), recorded as
        its tool_call event. Every skill a brain runs goes through here."""
        self._check_rate()
        self.ctx.request.tool_calls += 1
        self.state.tool_calls += 1
        if self.policy.per_minute is not None:
            # Only a per-minute limit needs the times, and never more of them than it allows:
            # the state is stored with every turn, so it must not grow with a busy session.
            times = self.state.tool_call_times
            times.append(self.now)
            del times[: -self.policy.per_minute]
        self._event("tool_call", skill=skill, **payload)

    def verified_any(self) -> bool:
        """Whether this conversation holds an unexpired verification for any order."""
        return any(self.verified(name) is not None for name in list(self.state.verified))

    async def _lookup(self, name: str, purpose: str) -> list[OrderStatus]:
        """The one place the store is asked, at most once per order and request (the
        request's answer is live: it is never kept past the request). StoreOutcome
        propagates to the brain."""
        lookup = self.policy.lookup
        if lookup is None or not lookup.serves(self.ctx.channel):
            self.guardrail(
                "skill_disabled", "blocked", skill=lookup.name if lookup else "lookup_order"
            )
            raise LookupUnavailable()
        answers = self.ctx.request.answers
        key = self.attempts_key(name)
        orders = answers.get(key)
        if orders is None:  # asked once per request: a replayed question reuses the answer
            self.spend_tool_call(lookup.name, order=name, purpose=purpose)
            begun = self.ctx.pacer.begin()
            orders = answers[key] = await self.ctx.orders.by_name(name)
            self.ctx.pacer.observe(begun)
        return [o for o in orders if _same_name(o.name, name)]

    # -- verification --------------------------------------------------------------------

    def attempts_key(self, name: str) -> str:
        """The order as the attempts ledger knows it: one count per order of the store,
        whichever agent of the organization is asked."""
        return name.lstrip("#").casefold()

    def hand_off(
        self, name: str | None, reason: str, *, apologised: bool = False
    ) -> tuple[HandoffRequest, str]:
        """The handoff for `reason` and what the customer hears about it; its audit event is
        recorded. It carries only what this conversation verified about `name` (nothing when
        it verified nothing). Outside the agent's hours nobody can take it now: no transfer,
        and the customer hears when the team is back."""
        record = self.verified(name) if name else None
        summary = dict(record.summary) if record else {}
        identity = (
            {"order": name, "method": record.method, "factor": record.factor}
            if record and name
            else {}
        )
        now = self.ctx.now()
        staffed = self.policy.staffed(now)
        self._event("handoff", reason=reason, order=name if record else None)
        voice = self.ctx.channel == "voice"
        words = replies.handoff(
            self.policy.wording,
            "" if apologised else reason,
            voice,
            transfer=voice and staffed and bool(self.policy.transfer_destination),
            with_order=record is not None,
            closed=None if staffed else replies.closed(self.policy, now, voice),
        )
        return HandoffRequest(reason, summary, identity, live=staffed), words

    def verified(self, name: str) -> VerifiedOrder | None:
        """This session's verification of `name`, if it has one that has not expired."""
        record = self.state.verified.get(name)
        if record is None:
            return None
        method = self.policy.methods.get(record.method)
        if method is None or self.now - record.at > method.ttl_seconds:
            del self.state.verified[name]
            self._event(
                "verification",
                order=name,
                method=record.method,
                result="expired" if method else "method_removed",
            )
            return None
        return record

    async def locked(self, name: str) -> bool:
        method = self.policy.methods.get(ORDER_MATCH)
        limit = (
            method.max_attempts
            if method
            else min((m.max_attempts for m in self.policy.methods.values()), default=3)
        )
        failures = await self.ctx.attempts.failures(self.attempts_key(name))
        if failures >= limit:
            self.guardrail("lock", "blocked", order=name, maxAttempts=limit)
            return True
        return False

    def _verify(self, name: str, order: OrderStatus, method: str, factor: str) -> OrderView:
        factor = str(factor)
        self.state.verified[name] = VerifiedOrder(order.id, method, factor, self.now)
        self._event("verification", order=name, method=method, result="verified", factor=factor)
        return self._view(name, order)

    async def by_caller_id(self, name: str) -> Attempt | None:
        """None when caller_id cannot run here (not configured, not a call, no number, or
        already tried for this order in this session)."""
        if (
            CALLER_ID not in self.methods
            or not self.ctx.caller_number
            or name in self.state.caller_id_tried
        ):
            return None
        self.state.caller_id_tried.append(name)
        begun = self.ctx.pacer.begin()
        orders = await self._lookup(name, "verify")
        matched = None
        candidates: list[OrderStatus | None] = [*orders] or [None]
        for order in candidates:
            factors = order.factors if order else _NO_ORDER_FACTORS
            if factor_matches(factors, Factor.PHONE, self.ctx.caller_number) and order:
                matched = matched or order
        if matched is not None:
            return Attempt(Result.VERIFIED, self._verify(name, matched, CALLER_ID, "phone"))
        await self.ctx.pacer.settle(begun)
        self._event("verification", order=name, method=CALLER_ID, result="failed")
        return Attempt(Result.FAILED)

    async def by_order_match(self, name: str, factor: Factor, value: str) -> Attempt:
        """One attempt. The detail is claimed in the attempts ledger before it is compared
        (counted as wrong there, unless it is the same wrong detail as before), so no burst
        of requests compares more details than the limit; on a locked order nothing is
        compared at all, not even the right detail."""
        method = self.policy.methods[ORDER_MATCH]
        key = self.attempts_key(name)
        claim = await self.ctx.attempts.claim(key, factor, value, method.max_attempts)
        if not claim.allowed:
            self.guardrail("lock", "blocked", order=name, maxAttempts=method.max_attempts)
            return Attempt(Result.LOCKED)
        begun = self.ctx.pacer.begin()
        try:
            orders = await self._lookup(name, "verify")
        except BaseException:
            if claim.fresh:  # never compared: it proved nothing either way
                await self.ctx.attempts.release(key, factor, value)
            raise
        matched = None
        candidates: list[OrderStatus | None] = [*orders] or [None]
        for order in candidates:
            factors = order.factors if order else _NO_ORDER_FACTORS
            if factor_matches(factors, factor, value) and order:
                matched = matched or order
        if matched is not None:
            await self.ctx.attempts.release(key, factor, value)
            return Attempt(Result.VERIFIED, self._verify(name, matched, ORDER_MATCH, factor))
        await self.ctx.pacer.settle(begun)  # the same moment, whether or not the order exists
        self._event(
            "verification",
            order=name,
            method=ORDER_MATCH,
            result="failed",
            factor=factor.value,
            attempt=claim.failures,
            maxAttempts=method.max_attempts,
        )
        if claim.failures >= method.max_attempts:
            self.guardrail("lock", "blocked", order=name, maxAttempts=method.max_attempts)
            return Attempt(Result.LOCKED)
        return Attempt(Result.FAILED)

    # -- disclosure ----------------------------------------------------------------------

    def _view(self, name: str, order: OrderStatus) -> OrderView:
        fields = self.policy.fields_for(verified=True)
        withheld = sorted(set(ORDER_FIELDS) - fields)
        if withheld:
            self.guardrail("allowed_fields", "filtered", order=name, withheld=withheld)
        shown = view(order, fields, name)
        record = self.state.verified.get(name)
        if record is not None:
            record.summary = shown.summary()
        return shown

    async def verified_view(self, name: str) -> OrderView | None:
        """The live order, for a session verified for it; None if the order is no longer
        the one that was verified (then the verification is dropped)."""
        record = self.verified(name)
        if record is None:
            return None
        orders = await self._lookup(name, "status")
        order = next((o for o in orders if o.id == record.order_id), None)
        if order is None:
            del self.state.verified[name]
            self._event("verification", order=name, method=record.method, result="invalidated")
            return None
        return self._view(name, order)

    async def open_view(self, name: str) -> OrderView | None:
        """What anyone may hear, for a lookup the merchant does not gate on verification;
        None when that is nothing (the default) or no such order."""
        fields = self.policy.fields_for(verified=False)
        if not fields - {"found"}:
            return None
        orders = await self._lookup(name, "status")
        if not orders:
            return None
        self.guardrail("verify_before_disclose", "partial", order=name, fields=sorted(fields))
        return view(orders[0], fields, name)
