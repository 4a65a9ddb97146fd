"""The built-in brain's words: plain and short enough to speak on a call.

Order details come only from an OrderView (what the customer may hear). Store text (a
carrier, a city, an event message, an item title) is inserted as a plain value in an
f-string: it is never used as a template, so braces or instructions inside it are just
characters. Times are read back in the store's time zone. Replies are English, worded for
the region of the agent's language tag (.wording: "ZIP code" or "postcode", the day before
or after the month); an agent configured for another language still gets English (see the
turn's metadata).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.domain.business_hours import TAKE_MESSAGE
from core.domain.order_status import OrderState

from .disclosure import OrderView, ShipmentView
from .policy import AgentPolicy
from .wording import Wording

OFFER_PERSON = "Would you like me to pass you to a person on our team?"


def _zone(name: str | None) -> tzinfo:
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


# The wording is English, whatever the process's locale (strftime's %A and %B follow it).
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Dates:
    """How times are read back: in the store's zone, against now, and with the day before
    the month where the agent's region writes it so."""

    zone: tzinfo
    now: datetime
    day_first: bool = False

    def day(self, when: datetime) -> str:
        """ "today", "tomorrow", "yesterday", or "Sunday, November 29" ("Sunday 29
        November" day first)."""
        local = when.astimezone(self.zone).date()
        today = self.now.astimezone(self.zone).date()
        if local == today:
            return "today"
        if local == today + timedelta(days=1):
            return "tomorrow"
        if local == today - timedelta(days=1):
            return "yesterday"
        weekday, month = _WEEKDAYS[local.weekday()], _MONTHS[local.month - 1]
        if self.day_first:
            return f"{weekday} {local.day} {month}"
        return f"{weekday}, {month} {local.day}"

    def on(self, when: datetime) -> str:
        said = self.day(when)
        return said if said in ("today", "tomorrow", "yesterday") else f"on {said}"


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


def banned_topic() -> str:
    return "I'm sorry, I can't help with that. I'm here to help with your orders."


def cancel_or_change() -> str:
    return f"I can't cancel or change an order myself, but a person on our team can. {OFFER_PERSON}"


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


# -- an order ----------------------------------------------------------------------------


def _tracking(s: ShipmentView) -> str | None:
    if not s.tracking_numbers:
        return None
    numbers = " and ".join(s.tracking_numbers)
    plural = "s are" if len(s.tracking_numbers) > 1 else " is"
    return f"The tracking number{plural} {numbers}."


def _when(s: ShipmentView, dates: Dates, subject: str = "It") -> str | None:
    """When the parcel came or should come, with `subject` ("It", "Parcel 2") as subject."""
    delivered = s.state is OrderState.DELIVERED or (s.state is None and s.delivered_at)
    if delivered and s.delivered_at:
        return f"{subject} was delivered {dates.on(s.delivered_at)}."
    if s.estimated_delivery and not delivered and s.state is not OrderState.READY_FOR_PICKUP:
        if s.estimated_delivery < dates.now:
            return f"{subject} was expected {dates.on(s.estimated_delivery)}."
        is_ = "'s" if subject == "It" else " is"
        return f"{subject}{is_} expected {dates.on(s.estimated_delivery)}."
    return None


def _shipment_line(s: ShipmentView, dates: Dates, voice: bool) -> list[str]:
    """Sentences about one parcel: carrier and tracking, dates, its latest event."""
    out = [said for said in (_tracking(s), _when(s, dates)) if said]
    if s.latest_event is not None:
        event = s.latest_event
        place = ", ".join(p for p in (event.city, event.province) if p)
        what = (event.message or "").strip().rstrip(".")
        if what and place:
            out.append(f"Latest update: {what}, {place}.")
        elif what or place:
            out.append(f"Latest update: {what or place}.")
    if s.tracking_urls and not voice:
        out.append(f"Track it here: {s.tracking_urls[0]}")
    return out


_SHIPMENT_WORDS = {
    OrderState.PROCESSING: "is being prepared",
    OrderState.IN_TRANSIT: "is on its way",
    OrderState.OUT_FOR_DELIVERY: "is out for delivery",
    OrderState.READY_FOR_PICKUP: "is ready for pickup",
    OrderState.DELIVERED: "was delivered",
    OrderState.DELAYED: "is delayed",
    OrderState.ATTEMPTED_DELIVERY: "had a delivery attempt that didn't succeed",
    OrderState.FAILED: "couldn't be delivered",
    OrderState.UNKNOWN: "has a status I can't read right now",
}


def _with(carrier: str | None) -> str:
    return f" with {carrier}" if carrier else ""


def _headline(v: OrderView, carrier: str | None, dates: Dates, items: str = "") -> str:
    n = v.name + items
    match v.state:
        case OrderState.PROCESSING:
            return f"Order {n} hasn't shipped yet. It's being prepared."
        case OrderState.IN_TRANSIT:
            return f"Order {n} is on its way{_with(carrier)}."
        case OrderState.OUT_FOR_DELIVERY:
            return f"Good news: order {n} is out for delivery{_with(carrier)}."
        case OrderState.READY_FOR_PICKUP:
            return f"Order {n} is ready for pickup{_with(carrier)}."
        case OrderState.DELIVERED:
            return f"Order {n} was delivered{_with(carrier)}."
        case OrderState.DELAYED:
            return f"I'm sorry: order {n} is delayed{_with(carrier)}."
        case OrderState.ATTEMPTED_DELIVERY:
            who = carrier or "The carrier"
            return f"{who} tried to deliver order {n} but couldn't complete the delivery."
        case OrderState.FAILED:
            who = carrier or "the carrier"
            return f"I'm sorry: {who} reports that order {n} couldn't be delivered."
        case OrderState.CANCELLED:
            when = f" {dates.on(v.cancelled_at)}" if v.cancelled_at else ""
            refunded = " and refunded" if v.financial_status == "REFUNDED" else ""
            return f"Order {n} was cancelled{refunded}{when}."
        case OrderState.REFUNDED:
            return f"Order {n} has been refunded."
        case OrderState.NOTHING_TO_SHIP:
            return f"Order {n} has nothing to ship, so there's no delivery to track."
        case OrderState.UNKNOWN:
            return f"I found order {n}, but I can't tell its delivery status right now."
        case None:
            return f"Here's what I can tell you about order {n}."
    return f"Order {n}."


def describe(v: OrderView, now: datetime, voice: bool, wording: Wording) -> str:
    """The order's status in a few spoken sentences."""
    if v.empty:
        return f"I found order {v.name}, but I'm not able to share its details here."
    dates = Dates(_zone(v.timezone), now, wording.day_first)
    items = f" ({', '.join(v.line_items)})" if v.line_items else ""
    sentences: list[str] = []
    live = list(v.shipments)
    partial = v.state is OrderState.PARTIALLY_FULFILLED
    if v.state in (OrderState.CANCELLED, OrderState.REFUNDED):
        sentences.append(_headline(v, None, dates))
    elif partial or len(live) > 1:
        count = len(live)
        if partial:
            lead = f"Part of order {v.name}{items} has shipped"
            sentences.append(lead + (f", in {count} parcels." if count > 1 else "."))
        else:
            sentences.append(f"Order {v.name}{items} is coming in {count} parcels.")
        for index, s in enumerate(live, start=1):
            label = f"Parcel {index}" if count > 1 else "That parcel"
            words = _SHIPMENT_WORDS.get(s.state, "is on record") if s.state else "is on record"
            sentences.append(f"{label} {words}{_with(s.carrier)}.")
            sentences += _shipment_line(s, dates, voice)
        if partial:
            sentences.append("The rest of the order hasn't shipped yet.")
    else:
        shipment = live[0] if live else None
        carrier = shipment.carrier if shipment else None
        sentences.append(_headline(v, carrier, dates, items))
        if shipment is not None:
            sentences += _shipment_line(shipment, dates, voice)
    if v.status_page_url and not voice and not any("Track it here" in s for s in sentences):
        sentences.append(f"Order page: {v.status_page_url}")
    return " ".join(sentences)


# States where a follow-up question gets only the part it asks about. In the others (a
# problem, a cancellation, a status not understood) the whole answer is the news.
_FOCUSABLE = frozenset(
    {
        OrderState.PROCESSING,
        OrderState.IN_TRANSIT,
        OrderState.OUT_FOR_DELIVERY,
        OrderState.READY_FOR_PICKUP,
        OrderState.DELIVERED,
        OrderState.PARTIALLY_FULFILLED,
    }
)


# What each focused answer reads; all of it must be the customer's to hear.
_FOCUS_FIELDS = {
    "tracking": frozenset({"shipments", "tracking_number"}),
    "delivery_date": frozenset({"shipments", "estimated_delivery", "delivered_at"}),
}


def follow_up(v: OrderView, question: str, now: datetime, voice: bool, wording: Wording) -> str:
    """A later question about an order already described in this conversation ("when will
    the rest arrive?", "what's the tracking number?"): only what it asks, which on a call
    is the difference between one sentence and the whole status again. `question` is the
    intent's value: delivery_date or tracking; anything else gets the whole status."""
    needs = _FOCUS_FIELDS.get(question)
    if needs is None or not needs <= v.fields or v.state not in _FOCUSABLE:
        # Asked something else, or the answer would rest on a field the merchant withholds
        # (a withheld tracking number is not "no tracking number yet").
        return describe(v, now, voice, wording)
    dates = Dates(_zone(v.timezone), now, wording.day_first)
    live = list(v.shipments)
    if not live:
        return f"Order {v.name} hasn't shipped yet, so there's no delivery date or tracking yet."
    sentences: list[str] = []
    for index, s in enumerate(live, start=1):
        label = f"Parcel {index}" if len(live) > 1 else f"Order {v.name}"
        if question == "tracking":
            carrier = f" is with {s.carrier}" if s.carrier else ""
            tracking = _tracking(s)
            if tracking is None:
                but = " but" if carrier else ""
                sentences.append(f"{label}{carrier}{but} has no tracking number yet.")
                continue
            if carrier:
                sentences.append(f"{label}{carrier}.")
            elif len(live) > 1:
                sentences.append(f"{label}:")
            sentences.append(tracking)
            if s.tracking_urls and not voice:
                sentences.append(f"Track it here: {s.tracking_urls[0]}")
        else:
            when = _when(s, dates, subject=label)
            if when is not None:
                sentences.append(when)
            elif s.state is OrderState.READY_FOR_PICKUP:
                sentences.append(f"{label} is ready for pickup now.")
            else:
                sentences.append(f"{label} doesn't have an expected delivery date yet.")
    if v.state is OrderState.PARTIALLY_FULFILLED:
        missing = "tracking" if question == "tracking" else "date"
        sentences.append(f"The rest of the order hasn't shipped yet, so it has no {missing} yet.")
    return " ".join(sentences)
