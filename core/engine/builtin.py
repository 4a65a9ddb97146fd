"""The built-in brain: deterministic, offline, and only ever as good as the guardrails let
it be. It fills slots over several turns (the order number first, then one fact that
proves the order is the customer's), asks for exactly what is missing, and answers from
the OrderView the Guard hands it; it never sees an order it has not been cleared for.

Events it returns are the turn's decisions (tool_call, verification, guardrail, handoff,
error). The customer's words and the reply themselves (user_utterance, agent_message) are
the conversation service's to record, around these, with `redact` applied when the
content policy asks for it.
"""

from __future__ import annotations

from dataclasses import replace

from core.domain.order_status import OrderState
from core.domain.store_errors import StoreOutcome
from core.domain.verification_factors import Factor

from . import order_words, replies
from .disclosure import OrderView
from .escalation import reason_for
from .intents import (
    ORDER_INTENTS,
    Intent,
    asks_about_the_rest,
    change_asked,
    factor_not_at_hand,
    gives_a_name,
)
from .nlu import Understanding, understand
from .policy import ORDER_MATCH, AgentPolicy
from .slots import EXPECT_FACTOR, EXPECT_ORDER, MAX_OTHERS, Slots
from .state import DialogueState
from .turn import HandoffRequest, TurnContext, TurnEvent, TurnResult
from .verification import Guard, LookupUnavailable, RateLimited, Result
from .wording import primary_language

_MISUNDERSTOOD_BEFORE_HANDOFF = 2


class BuiltinBrain:
    async def turn(self, context: TurnContext) -> TurnResult:
        return await _Turn(context).run()


class _Turn:
    def __init__(self, ctx: TurnContext):
        self.ctx = ctx
        self.policy = AgentPolicy.of(ctx.agent)
        self.w = self.policy.wording
        self.state = DialogueState.load(ctx.state)
        self.events: list[TurnEvent] = []
        self.guard = Guard(ctx, self.policy, self.state, self.events)
        self.voice = ctx.channel == "voice"
        self.now = ctx.now()
        self.handoff_request: HandoffRequest | None = None
        self.end = False
        self.first = False  # the first turn: the greeting goes before the reply

    async def run(self) -> TurnResult:
        first = self.first = not self.state.greeted
        self.state.greeted = True
        if not self.ctx.text.strip() and not self.ctx.dtmf:
            body = "" if first else replies.ask_order_number(self.w, self.voice)
        else:
            u = understand(self.ctx.text, self.state.expecting, self.ctx.dtmf, self.w.language)
            body = await self._guarded(u)
        reply = f"{replies.greeting(self.policy, self.now)} {body}".strip() if first else body
        metadata = {}
        language = self.policy.language.strip()
        if language and primary_language(language) != self.w.language:
            # Neither English nor Spanish: the reply is English; say so rather than pretend.
            metadata["language"] = {"configured": language, "used": self.w.language}
        handoff = self.handoff_request
        return TurnResult(
            reply=reply,
            events=self.events,
            state=self.state.dump(),
            handoff=handoff,
            end_conversation=self.end,
            transfer_destination=(
                self.policy.transfer_destination
                if handoff is not None and handoff.live and self.voice
                else ""
            ),
            metadata=metadata,
        )

    async def _guarded(self, u: Understanding) -> str:
        """One turn's answer; what the store or a limit says becomes words, not a crash."""
        try:
            return await self._respond(u)
        except StoreOutcome as exc:
            self.events.append(
                TurnEvent(
                    "error",
                    {"reason": exc.reason, "integrationStatus": exc.integration_status},
                )
            )
            self.state.offer = "requested"
            return self.w.line(exc.customer_line)
        except RateLimited:
            self.state.offer = "requested"
            return replies.rate_limited(self.w)
        except LookupUnavailable:
            self.state.offer = "requested"
            return replies.lookup_unavailable(self.w)

    async def _respond(self, u: Understanding) -> str:
        u = self._resolved(u)
        s = self.state
        if u.injection:
            self.guard.guardrail("injection", "ignored")
        topic = self.policy.banned_topic_in(self.ctx.text)
        if topic is not None:
            self.guard.guardrail("content_policy", "refused", topic=topic)
            return replies.banned_topic(self.w)
        angry = False
        if u.negative:
            s.negative_turns += 1
            angry = s.negative_turns >= self.policy.negative_turns
            self.guard.guardrail(
                "negative_sentiment",
                "handoff" if angry else "counted",
                count=s.negative_turns,
                threshold=self.policy.negative_turns,
            )
        if angry and u.intent is Intent.OUT_OF_SCOPE and u.slots.empty:
            # Only the anger was understood: a person, not a repeated question first.
            return self._handoff("negative_sentiment")
        body = await self._dialogue(u)
        if angry and self.handoff_request is None:
            body = f"{body} {self._handoff('negative_sentiment')}".strip()
        return body

    async def _dialogue(self, u: Understanding) -> str:
        s = self.state
        said = self._conversational(u)
        if said is not None:
            return said
        intent = u.intent
        if intent is Intent.NO_ORDER_NUMBER:
            intent = Intent.ORDER_STATUS  # "no, the number is 2002": the number is there
        if u.slots.reference is not None and not u.slots.order_number:
            # "my other order" with no other verified here: the customer names it.
            s.order = s.pending_factor = None
            s.expecting = EXPECT_ORDER
            s.intent = intent.value if intent in ORDER_INTENTS else None
            return replies.ask_which_order(self.w, self.voice)
        self._remember(u.slots)
        # "it's order #1001" after a complaint's question: still the complaint. And words of
        # complaint on an order already being looked at ("worst service ever!!! <email>")
        # are the mood's to count (negative_sentiment), not a new question.
        generic = intent is Intent.ORDER_STATUS and s.intent == Intent.COMPLAINT
        venting = intent is Intent.COMPLAINT and s.intent is not None
        if intent in ORDER_INTENTS and not (generic or venting):
            s.intent = intent.value
        said = self._about_the_detail(u)
        if said is not None:
            return said
        if intent is Intent.OUT_OF_SCOPE and u.slots.empty:
            return self._not_understood(u)
        s.misunderstood = 0
        if intent is Intent.DENY and u.slots.empty and s.expecting:
            s.expecting = s.intent = None  # "never mind": the question is let go
            return replies.declined(self.w)
        conversational = intent in (Intent.GREETING, Intent.AFFIRM, Intent.DENY, Intent.THANKS)
        if conversational and u.slots.empty:
            return self._ask_next() or replies.anything_else(self.w)
        said = await self._order()
        return await self._then_queued(said, u.slots)

    def _conversational(self, u: Understanding) -> str | None:
        """The answer to a turn that is about the conversation rather than an order (an
        offer answered, "are you a bot?", a person, goodbye, thanks, no order number, a
        change asked for); None when the turn is about an order."""
        s = self.state
        intent = u.intent
        if s.offer is not None:
            offered, s.offer = s.offer, None
            if intent is Intent.AFFIRM or intent is Intent.HUMAN:
                return self._handoff(offered)
            if intent is Intent.DENY and u.slots.empty:
                return replies.declined(self.w)
        if intent is Intent.ABOUT_AGENT and u.slots.empty:
            ask = self._ask_next() if s.expecting else None
            if ask is None:
                s.offer = "requested"
            return replies.about_agent(self.w, ask)
        if intent is Intent.HUMAN:
            return self._handoff("requested")
        if intent is Intent.GOODBYE and u.slots.empty:
            self.end = True
            return replies.goodbye(self.w)
        if intent is Intent.THANKS and u.slots.empty:
            # Thanked while a question is open: the question still stands.
            return replies.thanks(self.w, self._ask_next() if s.expecting else None)
        if intent is Intent.NO_ORDER_NUMBER and not u.slots.order_number:
            # Only the order number and a detail on it unlock an order; an email alone does
            # not (anyone may know one), so a person finds the order instead.
            s.offer = "requested"
            return replies.no_order_number(self.w, self.voice)
        if intent is Intent.ACCOUNT and not u.slots.order_number:
            s.offer = "requested"
            return replies.account(self.w)
        if intent is Intent.COMPLAINT and not u.slots.order_number and s.order is None:
            # One clarifying question: an order named next is verified, then handed to a
            # person with it (escalation); anything else not understood goes to a person
            # (_not_understood).
            s.offer = "requested"
            s.expecting = EXPECT_ORDER
            s.intent = Intent.COMPLAINT.value
            return replies.complaint(self.w)
        if intent is Intent.CANCEL_OR_CHANGE:
            self._remember(u.slots)
            s.offer = "requested"
            return replies.cancel_or_change(self.w, change_asked(self.ctx.text, self.w.language))
        return None

    def _about_the_detail(self, u: Understanding) -> str | None:
        """While a detail is awaited, words about it rather than the detail itself: one the
        customer does not have, or a name (which proves nothing)."""
        s = self.state
        if s.expecting != EXPECT_FACTOR or s.order is None or not u.slots.empty:
            return None
        if (missing := factor_not_at_hand(self.ctx.text, self.w.language)) is not None:
            return replies.ask_other_factor(s.order, missing, self.w)
        if u.intent is Intent.OUT_OF_SCOPE and gives_a_name(self.ctx.text, self.w.language):
            return replies.name_is_not_enough(s.order, self.w)
        return None

    def _not_understood(self, u: Understanding) -> str:
        s = self.state
        s.misunderstood += 1
        if s.intent == Intent.COMPLAINT and s.order is None:
            return self._handoff("requested")  # the complaint's one question was asked
        if s.misunderstood >= _MISUNDERSTOOD_BEFORE_HANDOFF:
            return self._handoff("misunderstanding")
        if u.question and s.expecting != EXPECT_FACTOR:
            # Asked about something else ("do you sell gift cards?"): say what the agent
            # does, and offer someone who can answer. While a detail is awaited, a question
            # is more likely about that, so the ask is repeated instead.
            s.offer = "requested"
            return replies.out_of_scope(self.w, self.first)
        return replies.misunderstood(self.w, self._ask_next(), s.order, self.first)

    def _ask_next(self) -> str | None:
        """What the dialogue still needs, asked for: the order number, or the detail that
        verifies it. None when it needs nothing."""
        s = self.state
        if s.order is None:
            s.expecting = EXPECT_ORDER
            return replies.ask_order_number(self.w, self.voice)
        if s.expecting == EXPECT_FACTOR:
            return replies.ask_factor(s.order, self.w)
        return None

    def _resolved(self, u: Understanding) -> Understanding:
        """ "the other one" as the order it names: one this session verified (so no order
        is reached this way that the customer has not proved). Unresolvable: unchanged."""
        place = u.slots.reference
        if place is None:
            return u
        known, focus = list(self.state.verified), self.state.order
        name = None
        if place == "other":
            others = [n for n in known if n != focus]
            name = others[0] if len(others) == 1 else None
        elif place == "first" and known:
            name = known[0]
        elif place == "second" and len(known) > 1:
            name = known[1]
        elif place == "previous" and focus in known and known.index(focus) > 0:
            name = known[known.index(focus) - 1]
        if name is None:
            return u
        return replace(u, slots=replace(u.slots, order_number=name))

    def _remember(self, slots: Slots) -> None:
        s = self.state
        if slots.order_number and slots.order_number != s.order:
            if s.order is not None:
                # A detail given for one order is never tried against another.
                s.pending_factor = None
            s.order = slots.order_number
        if slots.others or s.order in s.queued:
            named = dict.fromkeys([*s.queued, *slots.others])
            s.queued = [name for name in named if name != s.order][:MAX_OTHERS]
        factor = slots.factor()
        if factor is None:
            return
        kind, value = factor
        repeated = kind is Factor.POSTCODE and s.order and value == s.order.lstrip("#").upper()
        if not repeated:
            s.pending_factor = _pending(factor)

    async def _order(self) -> str:
        s = self.state
        name = s.order
        if name is None:
            s.expecting = EXPECT_ORDER
            return replies.ask_order_number(self.w, self.voice)
        if not self.guard.can_look_up:
            s.pending_factor = None
            lookup = self.policy.lookup
            self.guard.guardrail(
                "skill_disabled", "blocked", skill=lookup.name if lookup else "lookup_order"
            )
            s.offer = "requested"
            return replies.lookup_unavailable(self.w)
        intent = s.intent or Intent.ORDER_STATUS.value

        if self.guard.verified(name) is not None:
            s.pending_factor = None
            shown = await self.guard.verified_view(name)
            if shown is not None:
                return self._answer(shown, intent, follow_up=True)

        if await self.guard.locked(name):
            s.pending_factor = None
            s.expecting = None
            s.offer = "locked"
            return replies.locked(name, self.w)

        if s.pending_factor is None and self.policy.fields_for(verified=False) - {"found"}:
            opened = await self.guard.open_view(name)
            if opened is not None:
                s.intent = None
                return order_words.describe(opened, self.now, self.voice, self.w)

        caller = await self.guard.by_caller_id(name)
        if caller is not None and caller.result is Result.VERIFIED and caller.view is not None:
            s.pending_factor = None
            return self._answer(caller.view, intent)

        if ORDER_MATCH not in self.guard.methods:
            s.pending_factor = None
            self.guard.guardrail("verify_before_disclose", "withheld", order=name)
            s.offer = "requested"
            return replies.cannot_verify(self.w)

        if s.pending_factor is None:
            self.guard.guardrail("verify_before_disclose", "withheld", order=name)
            s.expecting = EXPECT_FACTOR
            return replies.ask_factor(name, self.w)

        factor = Factor(s.pending_factor["type"])
        value = s.pending_factor["value"]
        s.pending_factor = None
        attempt = await self.guard.by_order_match(name, factor, value)
        if attempt.result is Result.VERIFIED and attempt.view is not None:
            return self._answer(attempt.view, intent)
        if attempt.result is Result.LOCKED:
            s.expecting = None
            s.offer = "locked"
            return replies.locked(name, self.w)
        s.expecting = EXPECT_FACTOR
        return replies.not_matched(name, self.w)

    async def _then_queued(self, said: str, slots: Slots) -> str:
        """Once the order in focus is answered, the orders named with it ("2003 and 2001"),
        each looked up on its own with the detail this message gave, which the customer gave
        for all of them. Stops at the first that needs something: a detail, a person."""
        s = self.state
        factor = slots.factor()
        while s.queued and not s.expecting and not s.offer and self.handoff_request is None:
            s.order, s.intent = s.queued.pop(0), None
            if factor is not None:
                s.pending_factor = _pending(factor)
            said = f"{said} {await self._order()}"
        return said

    def _answer(self, shown: OrderView, intent: str, follow_up: bool = False) -> str:
        """The order's status, in full; or, for a `follow_up` (a question about an order
        verified in an earlier turn, so its status was told then), what was asked."""
        s = self.state
        s.expecting = None
        s.intent = None
        reason = reason_for(shown, intent, self.now)
        complaint = intent in (Intent.NOT_RECEIVED, Intent.FAILED_DELIVERY)
        if reason in ("damaged", "wrong_item") or (follow_up and complaint and reason):
            # The status would not help ("it arrived broken"), or was told earlier on and
            # the customer answers it ("but it's not here"): what happens next is the answer.
            return self._handoff(reason)
        if (
            follow_up
            and reason is None
            and shown.state is OrderState.PARTIALLY_FULFILLED
            and asks_about_the_rest(self.ctx.text, self.w.language)
        ):
            return order_words.the_rest(shown, self.w)
        if follow_up:
            text = order_words.follow_up(shown, intent, self.now, self.voice, self.w)
        else:
            text = order_words.describe(shown, self.now, self.voice, self.w)
        if (
            not follow_up
            and intent == Intent.TRACKING
            and "tracking_number" in shown.fields
            and not any(sh.tracking_numbers for sh in shown.shipments)
        ):
            none_yet = self.w.line("no_tracking_yet", name=shown.name)
            text = f"{none_yet} {text}"
        if reason is None and shown.state is OrderState.UNKNOWN:
            # A status the store reports in words this agent does not know yet (a new
            # Shopify value): a person can read it.
            s.offer = "requested"
            return f"{text} {replies.offer_person(self.w)}"
        if reason is not None:
            # The handoff's words apologise unless the status already did ("I'm sorry: order
            # #1004 is delayed"); a parcel the carrier calls delivered did not.
            apologised = order_words.apologises(shown)
            return f"{text} {self._handoff(reason, apologised=apologised)}"
        return text

    def _handoff(self, reason: str, apologised: bool = False) -> str:
        s = self.state
        s.offer = None
        if s.handoff is not None:
            return replies.already_handed_off(self.w)
        s.handoff = reason
        self.handoff_request, words = self.guard.hand_off(s.order, reason, apologised=apologised)
        return words


def _pending(factor: tuple[Factor, str]) -> dict[str, str]:
    """A detail as the dialogue state keeps it until its attempt."""
    kind, value = factor
    return {"type": kind.value, "value": value}
