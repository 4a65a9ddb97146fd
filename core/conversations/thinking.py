"""One brain turn on a conversation, with everything the brain may reach."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from core.domain.errors import DomainError
from core.engine import replies
from core.engine.pacing import Pacer
from core.engine.policy import AgentPolicy
from core.engine.turn import (
    AttemptsPort,
    Brain,
    ReplySink,
    RequestScope,
    TurnContext,
    TurnEvent,
    TurnResult,
)
from core.runtime import Runtime
from core.shopify.lookup import OrderLookup

from .brains import BrainChooser
from .ports import RecordedAttempts, StoreOrders, WebhookSkills
from .session_view import SessionView

log = logging.getLogger(__name__)

_PACERS = 1024  # stores whose lookup times are remembered (the least recent one is dropped)


class Thinker:
    """Brain turns: the agent's brain chosen per version, given the organization's live store,
    attempts ledger and webhook skills, paced per store; a brain that breaks apologises."""

    def __init__(self, runtime: Runtime, brain: Brain, lookup: OrderLookup):
        self.runtime = runtime
        self.brain = brain
        self.lookup = lookup
        # Per agent: the LLM brain when its served version asks for one, else `brain`.
        self.brains = BrainChooser(runtime, brain)
        # Per organization (its one store): how long its lookups take (core/engine/pacing.py).
        self._pacers: OrderedDict[str, Pacer] = OrderedDict()

    async def think_on(
        self,
        row: SessionView,
        snapshot: Mapping[str, Any],
        text: str,
        dtmf: str = "",
        reply_sink: ReplySink | None = None,
    ) -> TurnResult:
        """A brain turn on the session `row`; a brain that streams sends its reply to
        `reply_sink` as it writes it."""
        attempts = RecordedAttempts(self.runtime, row.org_id)
        return await self.think(
            self.context(
                row.org_id,
                snapshot,
                row.channel,
                row.state,
                text,
                attempts,
                caller_number=row.caller_number,
                dtmf=dtmf,
                reply_sink=reply_sink,
            )
        )

    def context(
        self,
        org_id: str,
        snapshot: Mapping[str, Any],
        channel: str,
        state: Mapping[str, Any],
        text: str,
        attempts: AttemptsPort,
        *,
        caller_number: str = "",
        dtmf: str = "",
        request: RequestScope | None = None,
        replaying: bool = False,
        reply_sink: ReplySink | None = None,
    ) -> TurnContext:
        """A brain turn's context: the organization's live store, attempts ledger and webhook
        skills, and the clock."""
        return TurnContext(
            agent=snapshot,
            channel=channel,
            state=state,
            text=text,
            orders=StoreOrders(self.lookup, org_id),
            attempts=attempts,
            now=self.runtime.clock.now,
            caller_number=caller_number,
            dtmf=dtmf,
            skills=WebhookSkills(self.runtime, org_id),
            pacer=self._pacer(org_id),
            request=request or RequestScope(),
            replaying=replaying,
            reply_sink=reply_sink,
        )

    def pacer(self, org_id: str) -> Pacer:
        """The organization's store's lookup times (a call expects slow lookups from them)."""
        return self._pacer(org_id)

    def _pacer(self, org_id: str) -> Pacer:
        pacer = self._pacers.get(org_id)
        if pacer is None:
            pacer = self._pacers[org_id] = Pacer()
            if len(self._pacers) > _PACERS:
                self._pacers.popitem(last=False)
        else:
            self._pacers.move_to_end(org_id)
        return pacer

    async def think(self, context: TurnContext) -> TurnResult:
        """One brain turn. A brain that breaks gives the customer an apology, not a crash."""
        try:
            brain = await self.brains.for_agent(context.agent, replaying=context.replaying)
            return await brain.turn(context)
        except DomainError:
            raise
        except Exception:
            log.exception("the brain failed a turn")
            return TurnResult(
                reply=replies.failed_turn(AgentPolicy.of(context.agent).wording),
                events=[TurnEvent("error", {"message": "the agent could not answer this turn"})],
                state=dict(context.state),
            )
