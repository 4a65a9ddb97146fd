"""An order's status in words: the whole of it, or the part a follow-up asks about.

Order details come only from an OrderView (what the customer may hear). Store text (a
carrier, a city, an event message, an item title) is inserted as a plain value in an
f-string: it is never used as a template, so braces or instructions inside it are just
characters. English, worded for the agent's region (.wording) and short enough to speak
on a call; links are left out on calls.
"""

from __future__ import annotations

from datetime import datetime

from core.domain.order_status import OrderState

from .dates import Dates, zone_of
from .disclosure import OrderView, ShipmentView
from .wording import Wording


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
        if dates.before_today(s.estimated_delivery):
            return f"{subject} was expected {dates.on(s.estimated_delivery)}."
        is_ = "'s" if subject == "It" else " is"
        return f"{subject}{is_} expected {dates.on(s.estimated_delivery)}."
    return None


def _link(s: ShipmentView, voice: bool) -> str | None:
    """Where to follow the parcel: written replies only (a link is not read out on a call)."""
    if s.tracking_urls and not voice:
        return f"Track it here: {s.tracking_urls[0]}"
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
    if link := _link(s, voice):
        out.append(link)
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
    dates = Dates(zone_of(v.timezone), now, wording.day_first)
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
    dates = Dates(zone_of(v.timezone), now, wording.day_first)
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
            if link := _link(s, voice):
                sentences.append(link)
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


def the_rest(v: OrderView) -> str:
    """The part of a partly shipped order still to ship: what "and the rest?" asks."""
    return f"The rest of order {v.name} hasn't shipped yet, so it has no tracking or date yet."
