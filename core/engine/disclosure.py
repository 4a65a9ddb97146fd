"""What of an order may be told: a copy of the order holding only the fields the customer
may hear. The wording and the handoff summary are built from this view, never from the
order itself, so a field the policy withholds cannot reach a reply by mistake.

Field names are those of core.domain.provisioning.ORDER_FIELDS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.domain.order_status import OrderState, OrderStatus, Shipment

from .intents import looks_like_injection

_SHIPMENT_FIELDS = frozenset(
    {
        "shipments",
        "carrier",
        "tracking_number",
        "tracking_url",
        "estimated_delivery",
        "delivered_at",
        "latest_event",
    }
)
# Line item titles are the store's free text: kept short enough to speak.
_MAX_TITLE = 60
_MAX_ITEMS = 3


@dataclass(frozen=True)
class EventView:
    message: str | None
    city: str | None
    province: str | None
    country: str | None
    happened_at: datetime | None


@dataclass(frozen=True)
class ShipmentView:
    state: OrderState | None
    carrier: str | None
    tracking_numbers: tuple[str, ...]
    tracking_urls: tuple[str, ...]
    estimated_delivery: datetime | None
    delivered_at: datetime | None
    latest_event: EventView | None


@dataclass(frozen=True)
class OrderView:
    name: str
    fields: frozenset[str]
    state: OrderState | None
    financial_status: str | None
    fulfillment_status: str | None
    cancelled_at: datetime | None
    shipments: tuple[ShipmentView, ...]
    line_items: tuple[str, ...]
    status_page_url: str | None
    # The store's own setting, not the customer's data: how to read times back.
    timezone: str | None

    @property
    def empty(self) -> bool:
        return not (self.fields - {"found"})

    def summary(self) -> dict[str, Any]:
        """JSON-able, for a handoff: exactly what the customer was allowed to hear. Keys in
        camelCase: the Handoffs API shows it as it is."""
        out: dict[str, Any] = {"order": self.name}
        if self.state is not None:
            out["status"] = self.state.value
        if self.financial_status is not None:
            out["financialStatus"] = self.financial_status
        if self.fulfillment_status is not None:
            out["fulfillmentStatus"] = self.fulfillment_status
        if self.cancelled_at is not None:
            out["cancelledAt"] = self.cancelled_at.isoformat()
        if self.shipments:
            out["shipments"] = [_shipment_summary(s) for s in self.shipments]
        if self.line_items:
            out["lineItems"] = list(self.line_items)
        if self.status_page_url:
            out["statusPageUrl"] = self.status_page_url
        return out


def _shipment_summary(shipment: ShipmentView) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if shipment.state is not None:
        out["status"] = shipment.state.value
    if shipment.carrier:
        out["carrier"] = shipment.carrier
    if shipment.tracking_numbers:
        out["trackingNumbers"] = list(shipment.tracking_numbers)
    if shipment.tracking_urls:
        out["trackingUrls"] = list(shipment.tracking_urls)
    if shipment.estimated_delivery:
        out["estimatedDelivery"] = shipment.estimated_delivery.isoformat()
    if shipment.delivered_at:
        out["deliveredAt"] = shipment.delivered_at.isoformat()
    if event := shipment.latest_event:
        out["latestEvent"] = {
            "message": event.message,
            "city": event.city,
            "province": event.province,
            "country": event.country,
            "happenedAt": event.happened_at.isoformat() if event.happened_at else None,
        }
    return out


def view(order: OrderStatus, fields: frozenset[str], name: str | None = None) -> OrderView:
    """The part of `order` that `fields` allows."""
    has = fields.__contains__
    shipments: tuple[ShipmentView, ...] = ()
    if fields & _SHIPMENT_FIELDS:
        shipments = tuple(
            _shipment(s, fields) for s in order.shipments if s.state is not OrderState.CANCELLED
        )
    return OrderView(
        name=name or order.name,
        fields=fields,
        state=order.state if has("status") else None,
        financial_status=order.financial_status if has("financial_status") else None,
        fulfillment_status=order.fulfillment_status if has("fulfillment_status") else None,
        cancelled_at=order.cancelled_at if has("cancelled") else None,
        shipments=shipments,
        line_items=tuple(
            _item(i.title, i.quantity)
            for i in order.line_items[:_MAX_ITEMS]
            if not looks_like_injection(i.title)  # as with event messages, below
        )
        if has("line_items")
        else (),
        status_page_url=order.status_page_url if has("status_page_url") else None,
        timezone=order.shop_timezone,
    )


def _item(title: str, quantity: int) -> str:
    title = " ".join(title.split())
    if len(title) > _MAX_TITLE:
        title = title[: _MAX_TITLE - 1].rstrip() + "…"
    return f"{quantity} x {title}" if quantity > 1 else title


def _message(text: str | None) -> str | None:
    """A carrier event's words, unless they read as orders to the agent: those are dropped
    rather than read out (they are never followed either way)."""
    if text is None or looks_like_injection(text):
        return None
    return text


def _shipment(shipment: Shipment, fields: frozenset[str]) -> ShipmentView:
    has = fields.__contains__
    event = shipment.latest_event
    return ShipmentView(
        state=shipment.state if has("shipments") or has("status") else None,
        carrier=shipment.carrier if has("carrier") else None,
        tracking_numbers=shipment.tracking_numbers if has("tracking_number") else (),
        tracking_urls=shipment.tracking_urls if has("tracking_url") else (),
        estimated_delivery=shipment.estimated_delivery_at if has("estimated_delivery") else None,
        delivered_at=shipment.delivered_at if has("delivered_at") else None,
        latest_event=EventView(
            _message(event.message), event.city, event.province, event.country, event.happened_at
        )
        if event is not None and has("latest_event")
        else None,
    )
