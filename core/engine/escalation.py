"""When a verified order needs a person rather than an answer: damaged or wrong items, a
delivery the customer says was missed, a lost parcel (FAILURE / NOT_DELIVERED, or
"delivered" but not received), and long delays.
Decided from what the customer may hear (the OrderView), never from withheld data."""

from __future__ import annotations

from datetime import datetime, timedelta

from core.domain.order_status import OrderState

from .disclosure import OrderView
from .intents import Intent

# An estimated delivery this far in the past, with the parcel not delivered, is a delay a
# person should look at even when the carrier has not said DELAYED.
LONG_DELAY = timedelta(days=3)
_ARRIVED = (OrderState.DELIVERED, OrderState.READY_FOR_PICKUP)


def reason_for(view: OrderView, intent: str | None, now: datetime) -> str | None:
    if intent == Intent.DAMAGED:
        return "damaged"
    if intent == Intent.WRONG_ITEM:
        return "wrong_item"
    if intent == Intent.COMPLAINT:
        # The status is not what was asked: a person takes it, with the verified order.
        return "requested"
    if intent == Intent.FAILED_DELIVERY:
        # Whatever the carrier reports: a new attempt or a pickup is a person's to arrange.
        return "failed_delivery"
    states = {view.state, *(s.state for s in view.shipments)} - {None}
    if OrderState.FAILED in states:
        return "lost"
    if intent == Intent.NOT_RECEIVED and states & {
        OrderState.DELIVERED,
        OrderState.NOTHING_TO_SHIP,
    }:
        # The carrier says delivered, or there was nothing to ship (a gift card, a download),
        # and the customer says it never came.
        return "lost"
    if OrderState.DELAYED in states:
        return "delayed"
    for shipment in view.shipments:
        overdue = shipment.estimated_delivery and now - shipment.estimated_delivery > LONG_DELAY
        if overdue and shipment.state not in _ARRIVED and not shipment.delivered_at:
            return "delayed"
    return None
