"""An order's status in words: the whole of it, or the part a follow-up asks about.

Order details come only from an OrderView (what the customer may hear). Store text (a
carrier, a city, an event message, an item title) is inserted as a plain value in an
f-string: it is never used as a template, so braces or instructions inside it are just
characters. English or Spanish, worded for the agent's tag (.wording), each line written
in both side by side; short enough to speak on a call; links are left out on calls.
"""

from __future__ import annotations

from datetime import datetime

from core.domain.order_status import OrderState

from .dates import Dates, zone_of
from .disclosure import OrderView, ShipmentView
from .wording import Wording


def _dates(v: OrderView, now: datetime, w: Wording) -> Dates:
    return Dates(zone_of(v.timezone), now, w.day_first, w.language)


def _tracking(s: ShipmentView, w: Wording) -> str | None:
    if not s.tracking_numbers:
        return None
    if len(s.tracking_numbers) > 1:
        numbers = w.line("list.and").join(s.tracking_numbers)
        return w.line("status.tracking_numbers", numbers=numbers)
    number = s.tracking_numbers[0]
    return w.line("status.tracking", number=number)


def _of(subject: str) -> str:
    """The message id's ending for a sentence with no subject of its own ("It …")."""
    return "" if subject else ".it"


def _when(s: ShipmentView, dates: Dates, w: Wording, subject: str = "") -> str | None:
    """When the parcel came or should come; `subject` ("Parcel 2") names it, else "It"."""
    delivered = s.state is OrderState.DELIVERED or (s.state is None and s.delivered_at)
    if delivered and s.delivered_at:
        on = dates.on(s.delivered_at)
        return w.line("status.when.delivered" + _of(subject), subject=subject, on=on)
    if s.estimated_delivery and not delivered and s.state is not OrderState.READY_FOR_PICKUP:
        on = dates.on(s.estimated_delivery)
        if dates.before_today(s.estimated_delivery):
            return w.line("status.when.was_expected" + _of(subject), subject=subject, on=on)
        return w.line("status.when.expected" + _of(subject), subject=subject, on=on)
    return None


def _link(s: ShipmentView, voice: bool, w: Wording) -> str | None:
    """Where to follow the parcel: written replies only (a link is not read out on a call)."""
    if s.tracking_urls and not voice:
        url = s.tracking_urls[0]
        return w.line("status.link", url=url)
    return None


def _shipment_line(s: ShipmentView, dates: Dates, voice: bool, w: Wording) -> list[str]:
    """Sentences about one parcel: carrier and tracking, dates, its latest event."""
    out = [said for said in (_tracking(s, w), _when(s, dates, w)) if said]
    if s.latest_event is not None:
        event = s.latest_event
        place = ", ".join(p for p in (event.city, event.province) if p)
        what = (event.message or "").strip().rstrip(".")
        latest = w.line("status.shipment_line")
        if what and place:
            out.append(f"{latest}: {what}, {place}.")
        elif what or place:
            out.append(f"{latest}: {what or place}.")
    if link := _link(s, voice, w):
        out.append(link)
    return out


# A parcel's state in a sentence about it: lines "status.parcel_state.<state>", and
# "status.parcel_state.on_record" for one with no state of its own.
_PARCEL_STATES = frozenset(
    {
        OrderState.PROCESSING,
        OrderState.IN_TRANSIT,
        OrderState.OUT_FOR_DELIVERY,
        OrderState.READY_FOR_PICKUP,
        OrderState.DELIVERED,
        OrderState.DELAYED,
        OrderState.ATTEMPTED_DELIVERY,
        OrderState.FAILED,
        OrderState.UNKNOWN,
    }
)


def _with(carrier: str | None, w: Wording) -> str:
    return w.line("status.with", carrier=carrier) if carrier else ""


def _headline(v: OrderView, carrier: str | None, dates: Dates, w: Wording, items: str = "") -> str:
    n = v.name + items
    by = _with(carrier, w)
    match v.state:
        case OrderState.PROCESSING:
            return w.line("status.headline.2", n=n)
        case OrderState.IN_TRANSIT:
            return w.line("status.headline.3", n=n, by=by)
        case OrderState.OUT_FOR_DELIVERY:
            return w.line("status.headline.4", n=n, by=by)
        case OrderState.READY_FOR_PICKUP:
            return w.line("status.headline.5", n=n, by=by)
        case OrderState.DELIVERED:
            return w.line("status.headline.6", n=n, by=by)
        case OrderState.DELAYED:
            return w.line("status.headline.7", n=n, by=by)
        case OrderState.ATTEMPTED_DELIVERY:
            if carrier:
                return w.line("status.headline.attempted", carrier=carrier, n=n)
            return w.line("status.headline.attempted.carrier", n=n)
        case OrderState.FAILED:
            if carrier:
                return w.line("status.headline.failed", carrier=carrier, n=n)
            return w.line("status.headline.failed.carrier", n=n)
        case OrderState.CANCELLED:
            when = f" {dates.on(v.cancelled_at)}" if v.cancelled_at else ""
            refunded = v.financial_status == "REFUNDED"
            cancelled = "status.headline.refunded" if refunded else "status.headline.cancelled"
            return w.line(cancelled, n=n, when=when)
        case OrderState.REFUNDED:
            return w.line("status.headline.8", n=n)
        case OrderState.PAYMENT_VOIDED:
            return w.line("status.headline.9", n=n)
        case OrderState.PAYMENT_EXPIRED:
            return w.line("status.headline.10", n=n)
        case OrderState.NOTHING_TO_SHIP:
            return w.line("status.headline.11", n=n)
        case OrderState.UNKNOWN:
            return w.line("status.headline.12", n=n)
        case None:
            return w.line("status.headline.13", n=n)
    return w.line("status.headline.1", n=n)


def _told_as_one(v: OrderView) -> bool:
    """Whether describe() tells the order with one headline, rather than parcel by parcel."""
    return v.state is not OrderState.PARTIALLY_FULFILLED and len(v.shipments) <= 1


def apologises(v: OrderView) -> bool:
    """Whether describe() opens with an apology (a delay or a failed delivery), so that a
    handoff after it does not apologise again."""
    return _told_as_one(v) and v.state in (OrderState.DELAYED, OrderState.FAILED)


def describe(v: OrderView, now: datetime, voice: bool, wording: Wording) -> str:
    """The order's status in a few spoken sentences."""
    w = wording
    if v.empty:
        return w.line("status.describe.1", v_name=v.name)
    dates = _dates(v, now, w)
    items = f" ({', '.join(v.line_items)})" if v.line_items else ""
    sentences: list[str] = []
    live = list(v.shipments)
    partial = v.state is OrderState.PARTIALLY_FULFILLED
    linked = False  # a parcel's tracking link was given: the order page would repeat it
    if v.state in (OrderState.CANCELLED, OrderState.REFUNDED):
        sentences.append(_headline(v, None, dates, w))
    elif not _told_as_one(v):
        count = len(live)
        if partial:
            sentences.append(
                w.line(
                    "status.partly_shipped.parcels" if count > 1 else "status.partly_shipped",
                    name=v.name,
                    items=items,
                    count=count,
                )
            )
        else:
            sentences.append(w.line("status.describe.3", v_name=v.name, items=items, count=count))
        for index, s in enumerate(live, start=1):
            label = _parcel(index, count, w)
            state = s.state.name.lower() if s.state in _PARCEL_STATES else "on_record"
            words = w.line(f"status.parcel_state.{state}")
            sentences.append(f"{label} {words}{_with(s.carrier, w)}.")
            sentences += _shipment_line(s, dates, voice, w)
            linked = linked or bool(s.tracking_urls)
        if partial:
            sentences.append(w.line("status.describe.4"))
    else:
        shipment = live[0] if live else None
        carrier = shipment.carrier if shipment else None
        sentences.append(_headline(v, carrier, dates, w, items))
        if shipment is not None:
            sentences += _shipment_line(shipment, dates, voice, w)
            linked = bool(shipment.tracking_urls)
    if v.status_page_url and not voice and not linked:
        sentences.append(w.line("status.describe.2", v_status_page_url=v.status_page_url))
    return " ".join(sentences)


def _parcel(index: int, count: int, w: Wording) -> str:
    if count > 1:
        return w.line("status.parcel.2", index=index)
    return w.line("status.parcel.1")


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
    w = wording
    needs = _FOCUS_FIELDS.get(question)
    if needs is None or not needs <= v.fields or v.state not in _FOCUSABLE:
        # Asked something else, or the answer would rest on a field the merchant withholds
        # (a withheld tracking number is not "no tracking number yet").
        return describe(v, now, voice, w)
    dates = _dates(v, now, w)
    live = list(v.shipments)
    if not live:
        return w.line("status.follow_up.1", v_name=v.name)
    sentences: list[str] = []
    for index, s in enumerate(live, start=1):
        label = (
            _parcel(index, len(live), w)
            if len(live) > 1
            else w.line("status.follow_up.2", v_name=v.name)
        )
        if question == "tracking":
            sentences += _tracking_follow_up(s, label, len(live) > 1, voice, w)
        else:
            when = _when(s, dates, w, subject=label)
            if when is not None:
                sentences.append(when)
            elif s.state is OrderState.READY_FOR_PICKUP:
                sentences.append(w.line("status.follow_up.3", label=label))
            else:
                sentences.append(w.line("status.follow_up.4", label=label))
    if v.state is OrderState.PARTIALLY_FULFILLED:
        sentences.append(
            w.line(
                "status.rest_unshipped.tracking"
                if question == "tracking"
                else "status.rest_unshipped.date"
            )
        )
    return " ".join(sentences)


def _tracking_follow_up(
    s: ShipmentView, label: str, several: bool, voice: bool, w: Wording
) -> list[str]:
    out: list[str] = []
    carrier = w.line("status.tracking_follow_up.1", s_carrier=s.carrier) if s.carrier else ""
    tracking = _tracking(s, w)
    if tracking is None:
        but = w.line("status.tracking_follow_up.2") if carrier else ""
        return [w.line("status.tracking_follow_up.3", label=label, carrier=carrier, but=but)]
    if carrier:
        out.append(f"{label}{carrier}.")
    elif several:
        out.append(f"{label}:")
    out.append(tracking)
    if link := _link(s, voice, w):
        out.append(link)
    return out


def the_rest(v: OrderView, wording: Wording) -> str:
    """The part of a partly shipped order still to ship: what "and the rest?" asks."""
    return wording.line("status.the_rest", v_name=v.name)
