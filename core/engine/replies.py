"""The built-in brain's lines of conversation: plain and short enough to speak on a call.

What is said about an order itself is in .order_words. Replies are English, worded for the
region of the agent's language tag (.wording: "ZIP code" or "postcode", the day before or
after the month); an agent configured for another language still gets English (see the
turn's metadata).
"""

from __future__ import annotations

from datetime import datetime

from core.domain.business_hours import TAKE_MESSAGE

from .dates import Dates
from .policy import AgentPolicy
from .wording import Wording

OFFER_PERSON = "Would you like me to pass you to a person on our team?"


# -- the conversation ------------------------------------------------------------------


def greeting(policy: AgentPolicy, now: datetime) -> str:
    """The agent's greeting; outside its hours followed by its after-hours words, if any."""
    if policy.greeting.strip():
        said = policy.greeting.strip()
    elif policy.display_name:
        said = f"Hi, this is {policy.display_name}. I can help you find out where your order is."
    else:
        said = "Hi! I can help you find out where your order is."
    if policy.after_hours_message.strip() and not policy.staffed(now):
        said = f"{said} {policy.after_hours_message.strip()}"
    return said


def ask_order_number(voice: bool) -> str:
    if voice:
        return "What's your order number? You can say it or key it in on your phone."
    return "What's your order number? It's in your order confirmation email, like #1001."


def ask_which_order(voice: bool) -> str:
    """ "my other order" when no other order was verified here: the agent may not say which
    orders a customer has, so the customer names it."""
    how = "You can say it or key it in." if voice else "It's in its confirmation email."
    return f"Sure. What's the order number of that order? {how}"


def no_order_number(voice: bool) -> str:
    where = (
        "It's in your order confirmation email, and starts with a hash sign."
        if voice
        else "It's in your order confirmation email, like #1001."
    )
    return (
        f"I need the order number to find your order. {where} If you can't find it, a person "
        f"on our team can look it up. {OFFER_PERSON}"
    )


def ask_factor(name: str, wording: Wording) -> str:
    return (
        f"To keep your order safe, please tell me the email address, phone number or "
        f"shipping {wording.postcode} on order {name}."
    )


def ask_other_factor(name: str, missing: str, wording: Wording) -> str:
    """The customer does not have `missing` (email | phone | postcode): the others will do."""
    others = {
        "email": f"phone number or shipping {wording.postcode}",
        "phone": f"email address or shipping {wording.postcode}",
    }.get(missing, "email address or phone number")
    return (
        f"No problem: the {others} on order {name} will do too. If you have none of them, "
        "a person on our team can help."
    )


def name_is_not_enough(name: str, wording: Wording) -> str:
    return "Thanks. A name isn't enough to keep your order safe. " + ask_factor(name, wording)


def not_matched(name: str, wording: Wording) -> str:
    """The same words for a wrong detail and for an order that does not exist."""
    return (
        f"I couldn't find order {name} with those details. Please check the order number and "
        f"the email, phone or {wording.postcode} on the order, and try again."
    )


def locked(name: str) -> str:
    return f"For your security, I can't look up order {name} any more right now. {OFFER_PERSON}"


def rate_limited() -> str:
    return f"I can't look up any more orders right now. {OFFER_PERSON}"


def lookup_unavailable() -> str:
    return f"I'm not able to look up orders here. {OFFER_PERSON}"


def cannot_verify() -> str:
    return (
        f"I'm not able to confirm who you are here, so I can't share order details. {OFFER_PERSON}"
    )


def misunderstood(ask: str | None, order: str | None, first: bool) -> str:
    """Words not understood: `ask` is what the dialogue still needs, None when nothing."""
    if ask is None:
        return (
            f"Sorry, I didn't catch that. I can tell you where order {order} is, its tracking "
            f"and when it should arrive, or pass you to a person on our team."
        )
    # On the first turn the greeting has just said what the agent is for.
    scope = "" if first or order else "I can tell you where your order is. "
    return f"Sorry, I didn't catch that. {scope}{ask}"


def out_of_scope(first: bool) -> str:
    if first:  # the greeting has just said what the agent is for
        return f"That's not something I can help with here. {OFFER_PERSON}"
    return (
        "I can only help with your orders here: where one is, its tracking and when it "
        f"should arrive. {OFFER_PERSON}"
    )


def about_agent(ask: str | None) -> str:
    """Asked who or what it is: honestly, an automated assistant. `ask`: the question the
    dialogue still waits for; without one, a person is offered."""
    return f"I'm an automated assistant, not a person. {ask or OFFER_PERSON}"


def banned_topic() -> str:
    return "I'm sorry, I can't help with that. I'm here to help with your orders."


_CHANGE_WORDS = {
    "return": "start a return or an exchange",
    "cancel": "cancel an order",
    "address": "change where an order goes",
    "faster": "change how an order ships",
}


def cancel_or_change(kind: str = "change") -> str:
    """`kind`: what was asked (intents.change_asked), said back so the shopper knows they
    were understood."""
    what = _CHANGE_WORDS.get(kind, "cancel or change an order")
    return f"I can't {what} myself, but a person on our team can. {OFFER_PERSON}"


def declined() -> str:
    return "No problem. Is there anything else I can help with?"


def thanks(ask: str | None = None) -> str:
    """`ask`: what the dialogue still waits for, asked again after the thanks."""
    return f"You're welcome! {ask or 'Is there anything else I can help with?'}"


def goodbye() -> str:
    return "Thanks for getting in touch. Goodbye!"


def already_handed_off() -> str:
    return "I've already asked a person from our team to help. They'll reply here."


def anything_else() -> str:
    return "Is there anything else I can help with?"


_SORRY = {
    "damaged": "I'm sorry your order arrived damaged.",
    "wrong_item": "I'm sorry you received the wrong item.",
    "delayed": "I'm sorry for the delay.",
    "lost": "I'm sorry it hasn't reached you.",
    "failed_delivery": "I'm sorry the delivery didn't work out.",
    "negative_sentiment": "I'm sorry for the trouble.",
    "misunderstanding": "I'm sorry I'm not getting this right.",
}


def handoff(
    reason: str, voice: bool, transfer: bool, with_order: bool, closed: str | None = None
) -> str:
    """What happens next, after a handoff was made; `closed` says when the team is back,
    outside the agent's hours."""
    sorry = _SORRY.get(reason, "")
    context = " with your order details" if with_order else ""
    if closed is not None:
        nxt = f"I've passed this to a person on our team{context}. {closed}"
    elif voice and transfer:
        nxt = "I'm transferring you to a person on our team now."
    elif voice:
        nxt = f"I've passed this to a person on our team{context}, and they'll get back to you."
    else:
        nxt = (
            f"I've passed this to a person on our team{context}. "
            "They'll reply here as soon as they can."
        )
    return f"{sorry} {nxt}".strip()


def closed(policy: AgentPolicy, now: datetime, voice: bool) -> str:
    """Outside the agent's hours: the merchant's own words, else when the team is back."""
    if policy.after_hours_message.strip():
        return policy.after_hours_message.strip()
    assert policy.hours is not None  # closed implies hours
    back = policy.hours.next_opening(now)
    local = back.astimezone(policy.hours.zone)
    clock = f"{local.hour % 12 or 12}:{local.minute:02d} {'AM' if local.hour < 12 else 'PM'}"
    dates = Dates(policy.hours.zone, now, policy.wording.day_first)
    when = f"{dates.day(back)} at {clock}".replace(":00 ", " ")
    if policy.after_hours_action == TAKE_MESSAGE:
        how = "call you back" if voice else "reply here"
        return f"Our team is away right now, so I've taken a message: they'll {how} {when}."
    return f"Our team is away right now; they're back {when} and will reply then."
