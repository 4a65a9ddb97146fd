"""The store's data held in memory: the shop, its credentials and its orders, as the next
query will see them. Live changes (a new tracking event, a cancellation, …) edit these
dicts; the next query sees them. The file they come from is store_file.py's."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

from demostore.enums import ENUM_PATHS, SHOPIFY_ENUMS
from demostore.store_file import (
    EVENT_TIMESTAMPS,
    DemoStoreDataError,
    Json,
    NotFoundError,
    check_event,
    check_fulfillment,
    check_order,
    check_store,
    check_time,
    gid_number,
    iso,
    order_number,
    parse_time,
)
from flowyte.clock import Clock, process_clock

# ---------------------------------------------------------------------------------------------
# the data held in memory


def _walk(value: Any, path: tuple[str, ...]) -> Iterator[Any]:
    if not path:
        yield value
        return
    head, rest = path[0], path[1:]
    if head == "*":
        if isinstance(value, list):
            for item in value:
                yield from _walk(item, rest)
    elif isinstance(value, dict) and head in value:
        yield from _walk(value[head], rest)


class StoreData:
    """The shop, its credentials and its orders, as the next query will see them. Live
    changes are stamped with `clock`'s time."""

    def __init__(self, doc: Json, clock: Clock | None = None) -> None:
        checked = check_store(doc)
        self.clock = clock or process_clock()
        self.as_of: str | None = checked.get("asOf")
        self.shop: Json = checked["shop"]
        self.access_tokens: list[str] = list(checked["accessTokens"])
        self.clients: list[Json] = list(checked["clients"])
        self.orders: list[Json] = checked["orders"]
        self.version = 0  # bumped by every change, so derived views know to refresh

    # lookups --------------------------------------------------------------------------------

    def order_by_id(self, gid: str) -> Json | None:
        for order in self.orders:
            if order["id"] == gid:
                return order
        return None

    def find_order(self, ref: str) -> Json:
        """An order by gid, numeric id, or name (`#1001`, `1001`)."""
        ref = ref.strip()
        for order in self.orders:
            if ref in (order["id"], str(gid_number(order["id"]))):
                return order
        for order in self.orders:
            if order_number(order["name"]) == order_number(ref):
                return order
        raise NotFoundError(f"no order {ref!r}")

    @staticmethod
    def find_fulfillment(order: Json, ref: str | None) -> Json:
        """A fulfillment of `order` by gid, numeric id, name (`#1001-F1`) or suffix (`F1`);
        with no reference, the most recently created one."""
        fulfillments = order["fulfillments"]
        if not fulfillments:
            raise NotFoundError(f"order {order['name']} has no fulfillment")
        if ref is None or not str(ref).strip():
            return max(fulfillments, key=lambda f: (parse_time(f["createdAt"]), f["id"]))
        ref = str(ref).strip()
        for fulfillment in fulfillments:
            name = fulfillment["name"]
            if ref in (fulfillment["id"], str(gid_number(fulfillment["id"])), name) or (
                name.lower().endswith("-" + ref.lower())
            ):
                return fulfillment
        raise NotFoundError(f"order {order['name']} has no fulfillment {ref!r}")

    def enum_values_in_data(self) -> dict[str, set[str]]:
        """Every value found in the data for each output enum, known to Shopify or not."""
        found: dict[str, set[str]] = {name: set() for name in ENUM_PATHS}
        found["CurrencyCode"] = {self.shop["currencyCode"]}
        for name, paths in ENUM_PATHS.items():
            for path in paths:
                for order in self.orders:
                    found[name].update(v for v in _walk(order, path) if isinstance(v, str))
        return found

    def extra_enum_values(self) -> dict[str, tuple[str, ...]]:
        """Values in the data that Shopify's published enums do not (yet) have."""
        extras: dict[str, tuple[str, ...]] = {}
        for name, values in self.enum_values_in_data().items():
            unknown = sorted(values - set(SHOPIFY_ENUMS[name]))
            if unknown:
                extras[name] = tuple(unknown)
        return extras

    # changes --------------------------------------------------------------------------------

    def _changed(self) -> None:
        self.version += 1

    def _now(self) -> str:
        return iso(self.clock.now())

    def add_order(self, raw: Json) -> Json:
        order = check_order(copy.deepcopy(raw), ["order"])
        if self.order_by_id(order["id"]) is not None:
            raise DemoStoreDataError(f"order.id: an order {order['id']} already exists")
        if any(order_number(o["name"]) == order_number(order["name"]) for o in self.orders):
            raise DemoStoreDataError(f"order.name: an order {order['name']} already exists")
        known = {f["id"] for o in self.orders for f in o["fulfillments"]}
        for fulfillment in order["fulfillments"]:
            if fulfillment["id"] in known:
                raise DemoStoreDataError(f"fulfillment {fulfillment['id']} already exists")
        self.orders.append(order)
        self._changed()
        return order

    def add_event(
        self,
        order_ref: str,
        fulfillment_ref: str | None,
        event: Json,
        *,
        estimated_delivery_at: str | None = None,
    ) -> Json:
        """Record a carrier event; the fulfillment's displayStatus and times follow it, as
        they do on Shopify when a carrier update arrives."""
        order = self.find_order(order_ref)
        fulfillment = self.find_fulfillment(order, fulfillment_ref)
        event = check_event(
            {"happenedAt": self._now(), **{k: v for k, v in event.items() if v is not None}},
            ["event"],
        )
        if estimated_delivery_at is not None:
            check_time(
                {"estimatedDeliveryAt": estimated_delivery_at},
                "estimatedDeliveryAt",
                [],
                required=True,
            )
        events: list[Json] = fulfillment["events"]["nodes"]
        latest = max((parse_time(e["happenedAt"]) for e in events), default=None)
        events.append(event)
        happened = parse_time(event["happenedAt"])
        if latest is None or happened >= latest:
            fulfillment["displayStatus"] = event["status"]
        stamp = EVENT_TIMESTAMPS.get(event["status"])
        if stamp is not None and (stamp == "deliveredAt" or fulfillment.get(stamp) is None):
            fulfillment[stamp] = event["happenedAt"]
        if estimated_delivery_at is not None:
            fulfillment["estimatedDeliveryAt"] = estimated_delivery_at
        self._changed()
        return fulfillment

    def mark_delivered(
        self,
        order_ref: str,
        fulfillment_ref: str | None = None,
        *,
        happened_at: str | None = None,
        message: str | None = "Delivered",
        city: str | None = None,
        province: str | None = None,
        country: str | None = None,
    ) -> Json:
        return self.add_event(
            order_ref,
            fulfillment_ref,
            {
                "status": "DELIVERED",
                "happenedAt": happened_at,
                "message": message,
                "city": city,
                "province": province,
                "country": country,
            },
        )

    def cancel_order(
        self,
        order_ref: str,
        *,
        reason: str = "CUSTOMER",
        refund: bool = False,
        cancelled_at: str | None = None,
    ) -> Json:
        order = self.find_order(order_ref)
        update = {"cancelledAt": cancelled_at or self._now(), "cancelReason": reason}
        check_order({**copy.deepcopy(order), **update}, ["order"])
        order.update(update)
        if refund:
            order["displayFinancialStatus"] = "REFUNDED"
        self._changed()
        return order

    def add_fulfillment(
        self,
        order_ref: str,
        *,
        tracking_info: Iterable[Json] = (),
        status: str = "SUCCESS",
        display_status: str | None = "CONFIRMED",
        created_at: str | None = None,
        estimated_delivery_at: str | None = None,
        events: Iterable[Json] = (),
        order_display_fulfillment_status: str | None = "FULFILLED",
    ) -> Json:
        order = self.find_order(order_ref)
        known = [gid_number(f["id"]) for o in self.orders for f in o["fulfillments"]]
        number = max(known, default=gid_number(order["id"]) * 10) + 1
        fulfillment = check_fulfillment(
            {
                "id": f"gid://shopify/Fulfillment/{number}",
                "name": f"{order['name']}-F{len(order['fulfillments']) + 1}",
                "status": status,
                "displayStatus": display_status,
                "createdAt": created_at or self._now(),
                "inTransitAt": None,
                "estimatedDeliveryAt": estimated_delivery_at,
                "deliveredAt": None,
                "trackingInfo": [dict(t) for t in tracking_info],
                "events": {"nodes": [dict(e) for e in events]},
            },
            ["fulfillment"],
        )
        if order_display_fulfillment_status is not None:
            probe = {
                **copy.deepcopy(order),
                "displayFulfillmentStatus": order_display_fulfillment_status,
            }
            check_order(probe, ["order"])
            order["displayFulfillmentStatus"] = order_display_fulfillment_status
        order["fulfillments"].append(fulfillment)
        self._changed()
        return fulfillment
