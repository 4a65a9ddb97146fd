"""One Shopify order, normalised into what a customer asks about: where it is.

Pure parsing, no I/O. Every value from the store is data: strings are kept as plain fields,
never formatted, evaluated or followed. Enum values this code does not know are kept raw and
map to UNKNOWN rather than raise, so a new Shopify value degrades to "I'm not sure" instead
of a crash. Malformed pieces (a missing object, a bad timestamp) become None or empty.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from .verification_factors import VerificationFactors


class OrderState(StrEnum):
    PROCESSING = "processing"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    READY_FOR_PICKUP = "ready_for_pickup"
    DELIVERED = "delivered"
    DELAYED = "delayed"
    ATTEMPTED_DELIVERY = "attempted_delivery"
    # The carrier lost it or gave up (FAILURE / NOT_DELIVERED): a case for a person.
    FAILED = "failed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    NOTHING_TO_SHIP = "nothing_to_ship"  # gift cards, downloads: no item needs delivery
    # Nothing shipped and the payment fell through: the authorization was voided, or expired
    # before it was captured. The store is not preparing it, whatever its fulfillment says.
    PAYMENT_VOIDED = "payment_voided"
    PAYMENT_EXPIRED = "payment_expired"
    UNKNOWN = "unknown"


# Fulfillment.displayStatus → what it means for the parcel.
_DISPLAY_STATUS: dict[str, OrderState] = {
    "SUBMITTED": OrderState.PROCESSING,
    "CONFIRMED": OrderState.PROCESSING,
    "LABEL_PURCHASED": OrderState.PROCESSING,
    "LABEL_PRINTED": OrderState.PROCESSING,
    "FULFILLED": OrderState.IN_TRANSIT,
    "MARKED_AS_FULFILLED": OrderState.IN_TRANSIT,
    "CARRIER_PICKED_UP": OrderState.IN_TRANSIT,
    "IN_TRANSIT": OrderState.IN_TRANSIT,
    "OUT_FOR_DELIVERY": OrderState.OUT_FOR_DELIVERY,
    "READY_FOR_PICKUP": OrderState.READY_FOR_PICKUP,
    "PICKED_UP": OrderState.DELIVERED,
    "DELIVERED": OrderState.DELIVERED,
    "DELAYED": OrderState.DELAYED,
    "ATTEMPTED_DELIVERY": OrderState.ATTEMPTED_DELIVERY,
    "FAILURE": OrderState.FAILED,
    "NOT_DELIVERED": OrderState.FAILED,
    "CANCELED": OrderState.CANCELLED,
    "CANCELLED": OrderState.CANCELLED,
    "LABEL_VOIDED": OrderState.CANCELLED,
}

# Fulfillment.status, used only when displayStatus is absent.
_FULFILLMENT_STATUS: dict[str, OrderState] = {
    "SUCCESS": OrderState.IN_TRANSIT,
    "OPEN": OrderState.PROCESSING,
    "PENDING": OrderState.PROCESSING,
    "CANCELLED": OrderState.CANCELLED,
    "ERROR": OrderState.FAILED,
    "FAILURE": OrderState.FAILED,
}

# Order.displayFinancialStatus values that mean the payment fell through.
_PAYMENT_FELL_THROUGH = {
    "VOIDED": OrderState.PAYMENT_VOIDED,
    "EXPIRED": OrderState.PAYMENT_EXPIRED,
}

# Order.displayFulfillmentStatus values that mean nothing has shipped yet.
_NOT_SHIPPED = {
    "UNFULFILLED",
    "ON_HOLD",
    "SCHEDULED",
    "IN_PROGRESS",
    "PENDING_FULFILLMENT",
    "OPEN",
    "REQUEST_DECLINED",
}
_KNOWN_FULFILLMENT_STATUSES = _NOT_SHIPPED | {
    "FULFILLMENT_NOT_REQUIRED",
    "FULFILLED",
    "PARTIALLY_FULFILLED",
    "RESTOCKED",
}

# When shipments disagree, the one a customer most needs to hear about speaks for the order.
# Uncertainty outranks good news: an unknown parcel state never reads as "delivered".
_SHIPMENT_PRIORITY = (
    OrderState.FAILED,
    OrderState.ATTEMPTED_DELIVERY,
    OrderState.DELAYED,
    OrderState.UNKNOWN,
    OrderState.OUT_FOR_DELIVERY,
    OrderState.READY_FOR_PICKUP,
    OrderState.IN_TRANSIT,
    OrderState.PROCESSING,
    OrderState.DELIVERED,
)


@dataclass(frozen=True)
class TrackingInfo:
    carrier: str | None
    number: str | None
    url: str | None


@dataclass(frozen=True)
class ShipmentEvent:
    status: str | None
    happened_at: datetime | None
    message: str | None
    city: str | None
    province: str | None
    country: str | None


@dataclass(frozen=True)
class Shipment:
    name: str | None
    state: OrderState
    # Shopify's displayStatus exactly as sent (None when absent), kept even when unknown.
    display_status: str | None
    fulfillment_status: str | None
    tracking: tuple[TrackingInfo, ...]
    created_at: datetime | None
    in_transit_at: datetime | None
    estimated_delivery_at: datetime | None
    delivered_at: datetime | None
    latest_event: ShipmentEvent | None

    @property
    def carrier(self) -> str | None:
        return next((t.carrier for t in self.tracking if t.carrier), None)

    @property
    def tracking_numbers(self) -> tuple[str, ...]:
        return tuple(t.number for t in self.tracking if t.number)

    @property
    def tracking_urls(self) -> tuple[str, ...]:
        return tuple(t.url for t in self.tracking if t.url)


@dataclass(frozen=True)
class LineItem:
    title: str
    quantity: int
    sku: str | None


@dataclass(frozen=True)
class OrderStatus:
    id: str
    # The order's name as the store shows it, e.g. "#1001".
    name: str
    state: OrderState
    # The order-level raw values the state was derived from, kept for audit and for UNKNOWN.
    fulfillment_status: str | None
    financial_status: str | None
    created_at: datetime | None
    processed_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    shipments: tuple[Shipment, ...]
    line_items: tuple[LineItem, ...]
    status_page_url: str | None
    factors: VerificationFactors
    # IANA zone of the shop ("America/New_York"), for reading times back in local time.
    shop_timezone: str | None
    shop_name: str | None = None

    @property
    def has_failed_shipment(self) -> bool:
        return any(s.state is OrderState.FAILED for s in self.shipments)

    @property
    def raw_state(self) -> str | None:
        """For UNKNOWN: the store's value that was not understood."""
        if self.state is not OrderState.UNKNOWN:
            return None
        for shipment in self.shipments:
            if shipment.state is OrderState.UNKNOWN:
                return shipment.display_status or shipment.fulfillment_status
        return self.fulfillment_status

    @classmethod
    def from_shopify(
        cls, order: Mapping[str, Any], shop: Mapping[str, Any] | None = None
    ) -> OrderStatus:
        """One `Order` node as the Admin API returns it (see core/shopify/queries.py)."""
        shop = _mapping(shop)
        address = _mapping(order.get("shippingAddress"))
        shipments = tuple(
            _shipment(f) for f in _nodes(order.get("fulfillments")) if isinstance(f, Mapping)
        )
        fulfillment_status = _text(order.get("displayFulfillmentStatus"))
        financial_status = _text(order.get("displayFinancialStatus"))
        cancelled_at = _time(order.get("cancelledAt"))
        return cls(
            id=_text(order.get("id")) or "",
            name=_text(order.get("name")) or "",
            state=_order_state(cancelled_at, financial_status, fulfillment_status, shipments),
            fulfillment_status=fulfillment_status,
            financial_status=financial_status,
            created_at=_time(order.get("createdAt")),
            processed_at=_time(order.get("processedAt")),
            cancelled_at=cancelled_at,
            cancel_reason=_text(order.get("cancelReason")),
            shipments=shipments,
            line_items=tuple(
                _line_item(i)
                for i in _nodes(order.get("lineItems"))
                if isinstance(i, Mapping) and _text(i.get("title")) is not None
            ),
            status_page_url=_text(order.get("statusPageUrl")),
            factors=VerificationFactors.from_raw(
                _text(order.get("email")),
                _text(order.get("phone")),
                _text(address.get("zip")),
                _text(address.get("phone")),
            ),
            shop_timezone=_text(shop.get("ianaTimezone")),
            shop_name=_text(shop.get("name")),
        )


def _order_state(
    cancelled_at: datetime | None,
    financial_status: str | None,
    fulfillment_status: str | None,
    shipments: Sequence[Shipment],
) -> OrderState:
    if cancelled_at is not None:
        return OrderState.CANCELLED
    if financial_status == "REFUNDED":
        return OrderState.REFUNDED
    live = [s.state for s in shipments if s.state is not OrderState.CANCELLED]
    if OrderState.FAILED in live:
        # A lost parcel is the news, whatever else the order holds.
        return OrderState.FAILED
    if fulfillment_status == "PARTIALLY_FULFILLED":
        return OrderState.PARTIALLY_FULFILLED
    if live:
        return next(state for state in _SHIPMENT_PRIORITY if state in live)
    if fulfillment_status in _NOT_SHIPPED:
        # Nothing shipped: "being prepared" unless the payment fell through.
        return _PAYMENT_FELL_THROUGH.get(financial_status or "", OrderState.PROCESSING)
    if fulfillment_status == "FULFILLMENT_NOT_REQUIRED":
        return OrderState.NOTHING_TO_SHIP
    if fulfillment_status is None or fulfillment_status not in _KNOWN_FULFILLMENT_STATUSES:
        return OrderState.UNKNOWN
    if shipments:  # every shipment was cancelled and nothing else is known
        return OrderState.PROCESSING
    # FULFILLED or RESTOCKED with no shipment to say where it is.
    return OrderState.UNKNOWN


def _shipment(fulfillment: Mapping[str, Any]) -> Shipment:
    display_status = _text(fulfillment.get("displayStatus"))
    status = _text(fulfillment.get("status"))
    if status == "CANCELLED":
        state = OrderState.CANCELLED
    elif display_status is not None:
        state = _DISPLAY_STATUS.get(display_status, OrderState.UNKNOWN)
    elif status is not None:
        state = _FULFILLMENT_STATUS.get(status, OrderState.UNKNOWN)
    else:
        state = OrderState.UNKNOWN
    events = [_event(e) for e in _nodes(fulfillment.get("events")) if isinstance(e, Mapping)]
    return Shipment(
        name=_text(fulfillment.get("name")),
        state=state,
        display_status=display_status,
        fulfillment_status=status,
        tracking=tuple(
            TrackingInfo(_text(t.get("company")), _text(t.get("number")), _text(t.get("url")))
            for t in _nodes(fulfillment.get("trackingInfo"))
            if isinstance(t, Mapping)
        ),
        created_at=_time(fulfillment.get("createdAt")),
        in_transit_at=_time(fulfillment.get("inTransitAt")),
        estimated_delivery_at=_time(fulfillment.get("estimatedDeliveryAt")),
        delivered_at=_time(fulfillment.get("deliveredAt")),
        latest_event=_latest(events),
    )


def _latest(events: list[ShipmentEvent]) -> ShipmentEvent | None:
    """The newest by time, whatever order the store listed them in; undated events count
    only when no event has a time."""
    dated = [e for e in events if e.happened_at is not None]
    if dated:
        return max(dated, key=lambda e: e.happened_at or datetime.min.replace(tzinfo=UTC))
    return events[0] if events else None


def _event(event: Mapping[str, Any]) -> ShipmentEvent:
    return ShipmentEvent(
        status=_text(event.get("status")),
        happened_at=_time(event.get("happenedAt")),
        message=_text(event.get("message")),
        city=_text(event.get("city")),
        province=_text(event.get("province")),
        country=_text(event.get("country")),
    )


def _line_item(item: Mapping[str, Any]) -> LineItem:
    quantity = item.get("quantity")
    return LineItem(
        title=_text(item.get("title")) or "",
        quantity=quantity if isinstance(quantity, int) and not isinstance(quantity, bool) else 0,
        sku=_text(item.get("sku")),
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _sequence(value: Any) -> Sequence[Any]:
    return value if isinstance(value, list | tuple) else ()


def _nodes(connection: Any) -> Sequence[Any]:
    """A connection's `nodes` (or `edges[].node`), or a bare list."""
    if isinstance(connection, Mapping):
        if "nodes" in connection:
            return _sequence(connection.get("nodes"))
        return [e.get("node") for e in _sequence(connection.get("edges")) if isinstance(e, Mapping)]
    return _sequence(connection)
