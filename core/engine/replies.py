"""The built-in brain's lines of conversation: plain and short enough to speak on a call.

What is said about an order itself is in .order_words. Every line takes the agent's
Wording (`w`) and is said by message id (`w.line(id, fields)`): the words are in the
language packs (packs/<language>.py, LINES). The English follows the region of the agent's
language tag ("ZIP code" or "postcode", the day before or after the month). An agent set
to a language without a pack gets English (see the turn's metadata).
"""

from __future__ import annotations

from datetime import datetime

from core.domain.business_hours import TAKE_MESSAGE

from .dates import Dates
from .intents import CHANGES
from .policy import AgentPolicy
from .wording import NEUTRAL, Wording


def offer_person(w: Wording) -> str:
    return w.line("offer_person")


OFFER_PERSON = offer_person(NEUTRAL)


# -- the conversation ------------------------------------------------------------------


def greeting(policy: AgentPolicy, now: datetime) -> str:
    """The agent's greeting; outside its hours followed by its after-hours words, if any."""
    w = policy.wording
    if policy.greeting.strip():
        said = policy.greeting.strip()
    elif policy.display_name:
        said = w.line("greeting.1", display_name=policy.display_name)
    else:
        said = w.line("greeting.2")
    if policy.after_hours_message.strip() and not policy.staffed(now):
        said = f"{said} {policy.after_hours_message.strip()}"
    return said


def ask_order_number(w: Wording, voice: bool) -> str:
    if voice:
        return w.line("ask_order_number.2")
    return w.line("ask_order_number.1")


def ask_which_order(w: Wording, voice: bool) -> str:
    """ "my other order" when no other order was verified here: the agent may not say which
    orders a customer has, so the customer names it."""
    if voice:
        return w.line("ask_which_order.2")
    return w.line("ask_which_order.1")


def no_order_number(w: Wording, voice: bool) -> str:
    where = w.line("no_order_number.2") if voice else w.line("no_order_number.3")
    return w.line("no_order_number.1", where=where, offer=offer_person(w))


def ask_factor(name: str, w: Wording) -> str:
    return w.line("ask_factor", name=name)


def ask_other_factor(name: str, missing: str, w: Wording) -> str:
    """The customer does not have `missing` (email | phone | postcode): the others will do."""
    if missing == "email":
        others = w.line("ask_other_factor.2")
    elif missing == "phone":
        others = w.line("ask_other_factor.3")
    else:
        others = w.line("ask_other_factor.4")
    return w.line("ask_other_factor.1", others=others, name=name)


def name_is_not_enough(name: str, w: Wording) -> str:
    return w.line("name_is_not_enough") + ask_factor(name, w)


def not_matched(name: str, w: Wording) -> str:
    """The same words for a wrong detail and for an order that does not exist."""
    return w.line("not_matched", name=name)


def locked(name: str, w: Wording) -> str:
    return w.line("locked", name=name, offer=offer_person(w))


def rate_limited(w: Wording) -> str:
    return w.line("rate_limited", offer=offer_person(w))


def lookup_unavailable(w: Wording) -> str:
    return w.line("lookup_unavailable", offer=offer_person(w))


def cannot_verify(w: Wording) -> str:
    return w.line("cannot_verify", offer=offer_person(w))


def misunderstood(w: Wording, ask: str | None, order: str | None, first: bool) -> str:
    """Words not understood: `ask` is what the dialogue still needs, None when nothing."""
    if ask is None:
        return w.line("misunderstood.1", order=order)
    # On the first turn the greeting has just said what the agent is for.
    scope = "" if first or order else w.line("misunderstood.2")
    return w.line("misunderstood.3") + scope + ask


def out_of_scope(w: Wording, first: bool) -> str:
    if first:  # the greeting has just said what the agent is for
        return w.line("out_of_scope.2", offer=offer_person(w))
    return w.line("out_of_scope.1", offer=offer_person(w))


def about_agent(w: Wording, ask: str | None) -> str:
    """Asked who or what it is: honestly, an automated assistant. `ask`: the question the
    dialogue still waits for; without one, a person is offered."""
    return w.line("about_agent") + (ask or offer_person(w))


def banned_topic(w: Wording) -> str:
    return w.line("banned_topic")


# What a cancel-or-change asks for (intents.CHANGES), said back: lines "change.<kind>".
_CHANGE_KINDS = frozenset({*CHANGES, "change"})


def cancel_or_change(w: Wording, kind: str = "change") -> str:
    """`kind`: what was asked (intents.change_asked), said back so the shopper knows they
    were understood."""
    what = w.line(f"change.{kind if kind in _CHANGE_KINDS else 'unknown'}")
    return w.line("cancel_or_change", what=what, offer=offer_person(w))


def complaint(w: Wording) -> str:
    """A complaint naming no order: one question, so it reaches the right person."""
    return w.line("complaint")


def account(w: Wording) -> str:
    """Accounts, passwords, newsletters: what the agent can do instead, and a person."""
    return w.line("account", offer=offer_person(w))


def anything_else(w: Wording) -> str:
    return w.line("anything_else")


def declined(w: Wording) -> str:
    return w.line("declined") + anything_else(w)


def thanks(w: Wording, ask: str | None = None) -> str:
    """`ask`: what the dialogue still waits for, asked again after the thanks."""
    return w.line("thanks") + (ask or anything_else(w))


def goodbye(w: Wording) -> str:
    return w.line("goodbye")


def already_handed_off(w: Wording) -> str:
    return w.line("already_handed_off")


# The handoff reasons with an apology of their own: lines "sorry.<reason>".
_SORRY = frozenset(
    {
        "damaged",
        "delayed",
        "failed_delivery",
        "lost",
        "misunderstanding",
        "negative_sentiment",
        "wrong_item",
    }
)


def handoff(
    w: Wording,
    reason: str,
    voice: bool,
    transfer: bool,
    with_order: bool,
    closed: str | None = None,
) -> str:
    """What happens next, after a handoff was made; `closed` says when the team is back,
    outside the agent's hours."""
    sorry = w.line(f"sorry.{reason}") if reason in _SORRY else ""
    passed = w.line("handoff.passed_with_order" if with_order else "handoff.passed")
    if closed is not None:
        nxt = f"{passed}. {closed}"
    elif voice and transfer:
        nxt = w.line("handoff.1")
    elif voice:
        nxt = passed + w.line("handoff.2")
    else:
        nxt = passed + w.line("handoff.3")
    return f"{sorry} {nxt}".strip()


def closed(policy: AgentPolicy, now: datetime, voice: bool) -> str:
    """Outside the agent's hours: the merchant's own words, else when the team is back."""
    if policy.after_hours_message.strip():
        return policy.after_hours_message.strip()
    assert policy.hours is not None  # closed implies hours
    w = policy.wording
    back = policy.hours.next_opening(now)
    local = back.astimezone(policy.hours.zone)
    dates = Dates(policy.hours.zone, now, w.day_first, w.language)
    clock = f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    when = w.line(
        "closed.when",
        day=dates.day(back),
        on=dates.on(back),
        clock12=clock.replace(":00 ", " "),
        clock24=f"{local.hour}:{local.minute:02d}",
    )
    if policy.after_hours_action == TAKE_MESSAGE:
        return w.line("closed.message_call" if voice else "closed.message", when=when)
    return w.line("closed", when=when)


# -- outside the brain: the conversation service's own lines --------------------------------


def passed_on(w: Wording) -> str:
    """A customer writing while a person has the conversation: their words went to them."""
    return w.line("passed_on")


def restarted(w: Wording) -> str:
    """Before a reply that replaces one the customer had begun to read or hear."""
    return w.line("restarted")


def failed_turn(w: Wording) -> str:
    """A turn the brain could not answer (a bug): an apology, never a crash."""
    return w.line("failed_turn")
