"""The store's file: Shopify `Order` objects as JSON, checked with clear messages, and moved
to the present when it says when it was written.

The file has the shape of `../shared/fixtures/store-example.json`:

    {"asOf": "2026-11-27T15:00:00Z",                          (optional)
     "shop": {"name", "myshopifyDomain", "currencyCode", "ianaTimezone"},
     "accessTokens": ["shpat_…"],
     "clients": [{"clientId", "clientSecret", "scope"?}],      (optional)
     "orders": [Order, …]}

Orders are kept as the Admin API returns them (camelCase keys, `lineItems.nodes`,
`events.nodes`), so the GraphQL layer serves them field for field (data.py holds them).

`asOf` says when the file was written. A file that has it is moved to the present when it
is loaded (`moved_to`): every timestamp shifts by now - asOf, so an order "due in two days"
is due in two days whatever the date, and the demo never goes stale. A file without it is
served with the dates it holds.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

Json = dict[str, Any]

ORDER_GID = re.compile(r"^gid://shopify/Order/(\d+)$")
FULFILLMENT_GID = re.compile(r"^gid://shopify/Fulfillment/(\d+)$")
ENUM_VALUE = re.compile(r"^[_A-Za-z][_0-9A-Za-z]*$")

SHOP_KEYS = ("name", "myshopifyDomain", "currencyCode", "ianaTimezone")
ADDRESS_KEYS = ("name", "address1", "city", "provinceCode", "zip", "countryCodeV2", "phone")
ADDRESS_OPTIONAL_KEYS = (
    "firstName",
    "lastName",
    "company",
    "address2",
    "province",
    "country",
)
EVENT_KEYS = ("message", "city", "province", "country")
EVENT_OPTIONAL_KEYS = ("zip", "address1", "estimatedDeliveryAt")
FULFILLMENT_TIMES = ("inTransitAt", "estimatedDeliveryAt", "deliveredAt")

# Fulfillment-event statuses whose arrival also stamps one of the fulfillment's times.
EVENT_TIMESTAMPS = {
    "IN_TRANSIT": "inTransitAt",
    "CARRIER_PICKED_UP": "inTransitAt",
    "DELIVERED": "deliveredAt",
}


class DemoStoreDataError(ValueError):
    """The store file is not in the expected shape; the message says where."""


class NotFoundError(LookupError):
    """No order or fulfillment answers to the given reference."""


def iso(moment: datetime) -> str:
    """A moment as Shopify writes a DateTime: UTC, to the second, with a `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: str) -> datetime:
    """An ISO-8601 timestamp (a `Z` suffix allowed) or a date, as an aware datetime."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def gid_number(gid: str) -> int:
    """The numeric tail of a Shopify global id (`gid://shopify/Order/123` → 123)."""
    tail = gid.rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def order_number(name: str) -> str:
    """An order name without its `#` (`#1001` → `1001`), lower-cased for comparisons."""
    return name.strip().lstrip("#").strip().lower()


# ---------------------------------------------------------------------------------------------
# checking the file


def _where(path: list[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "the file"


def _fail(path: list[str | int], message: str) -> DemoStoreDataError:
    return DemoStoreDataError(f"{_where(path)}: {message}")


def _expect_dict(value: Any, path: list[str | int]) -> Json:
    if not isinstance(value, dict):
        raise _fail(path, f"expected an object, got {type(value).__name__}")
    return value


def _expect_list(value: Any, path: list[str | int]) -> list[Any]:
    if not isinstance(value, list):
        raise _fail(path, f"expected a list, got {type(value).__name__}")
    return value


def _string(obj: Json, key: str, path: list[str | int], *, required: bool) -> None:
    if key not in obj or obj[key] is None:
        if required:
            raise _fail([*path, key], "is required")
        obj[key] = None
        return
    if not isinstance(obj[key], str):
        raise _fail([*path, key], f"expected a string, got {type(obj[key]).__name__}")


def check_time(obj: Json, key: str, path: list[str | int], *, required: bool) -> None:
    _string(obj, key, path, required=required)
    if obj[key] is not None:
        try:
            parse_time(obj[key])
        except ValueError:
            raise _fail([*path, key], f"not an ISO-8601 time: {obj[key]!r}") from None


def _enum(obj: Json, key: str, path: list[str | int], *, required: bool) -> None:
    _string(obj, key, path, required=required)
    if obj[key] is not None and not ENUM_VALUE.match(obj[key]):
        raise _fail([*path, key], f"not a GraphQL enum value: {obj[key]!r}")


def _nodes(value: Any, path: list[str | int]) -> list[Any]:
    """A connection as stored: `{"nodes": [...]}`, `{"edges": [{"node": ...}]}` or a list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    conn = _expect_dict(value, path)
    if "nodes" in conn:
        return _expect_list(conn["nodes"], [*path, "nodes"])
    if "edges" in conn:
        edges = _expect_list(conn["edges"], [*path, "edges"])
        return [_expect_dict(edge, [*path, "edges", i]).get("node") for i, edge in enumerate(edges)]
    raise _fail(path, "expected {'nodes': [...]} or {'edges': [...]}")


def check_order(raw: Any, path: list[str | int]) -> Json:
    """One order, checked and completed (absent optional fields become null) in place."""
    order = _expect_dict(raw, path)
    _string(order, "id", path, required=True)
    if not ORDER_GID.match(order["id"]):
        raise _fail([*path, "id"], f"expected gid://shopify/Order/<number>, got {order['id']!r}")
    _string(order, "name", path, required=True)
    if not order["name"].strip():
        raise _fail([*path, "name"], "must not be empty")
    for key in ("email", "phone"):
        _string(order, key, path, required=False)
    check_time(order, "createdAt", path, required=True)
    if order.get("processedAt") is None:
        order["processedAt"] = order["createdAt"]
    check_time(order, "processedAt", path, required=True)
    check_time(order, "cancelledAt", path, required=False)
    _enum(order, "cancelReason", path, required=False)
    _enum(order, "displayFinancialStatus", path, required=False)
    _enum(order, "displayFulfillmentStatus", path, required=True)
    _string(order, "statusPageUrl", path, required=True)

    address = order.get("shippingAddress")
    if address is not None:
        address = _expect_dict(address, [*path, "shippingAddress"])
        for key in ADDRESS_KEYS:
            if key == "countryCodeV2":
                _enum(address, key, [*path, "shippingAddress"], required=False)
            else:
                _string(address, key, [*path, "shippingAddress"], required=False)
        for key in ADDRESS_OPTIONAL_KEYS:
            if key in address:
                _string(address, key, [*path, "shippingAddress"], required=False)
    order["shippingAddress"] = address

    items = _nodes(order.get("lineItems"), [*path, "lineItems"])
    for i, item in enumerate(items):
        item_path = [*path, "lineItems", "nodes", i]
        _expect_dict(item, item_path)
        _string(item, "title", item_path, required=True)
        quantity = item.get("quantity")
        if not isinstance(quantity, int) or isinstance(quantity, bool):
            raise _fail([*item_path, "quantity"], "expected an integer")
        _string(item, "sku", item_path, required=False)
    order["lineItems"] = {"nodes": items}

    fulfillments = _nodes(order.get("fulfillments"), [*path, "fulfillments"])
    for i, fulfillment in enumerate(fulfillments):
        check_fulfillment(fulfillment, [*path, "fulfillments", i])
    order["fulfillments"] = fulfillments
    return order


def check_fulfillment(raw: Any, path: list[str | int]) -> Json:
    fulfillment = _expect_dict(raw, path)
    _string(fulfillment, "id", path, required=True)
    if not FULFILLMENT_GID.match(fulfillment["id"]):
        raise _fail(
            [*path, "id"],
            f"expected gid://shopify/Fulfillment/<number>, got {fulfillment['id']!r}",
        )
    _string(fulfillment, "name", path, required=True)
    _enum(fulfillment, "status", path, required=True)
    _enum(fulfillment, "displayStatus", path, required=False)
    check_time(fulfillment, "createdAt", path, required=True)
    for key in FULFILLMENT_TIMES:
        check_time(fulfillment, key, path, required=False)
    tracking = fulfillment.get("trackingInfo")
    tracking = [] if tracking is None else _expect_list(tracking, [*path, "trackingInfo"])
    for i, info in enumerate(tracking):
        info_path = [*path, "trackingInfo", i]
        _expect_dict(info, info_path)
        for key in ("company", "number", "url"):
            _string(info, key, info_path, required=False)
    fulfillment["trackingInfo"] = tracking
    events = _nodes(fulfillment.get("events"), [*path, "events"])
    for i, event in enumerate(events):
        check_event(event, [*path, "events", "nodes", i])
    fulfillment["events"] = {"nodes": events}
    return fulfillment


def check_event(raw: Any, path: list[str | int]) -> Json:
    event = _expect_dict(raw, path)
    _enum(event, "status", path, required=True)
    check_time(event, "happenedAt", path, required=True)
    for key in EVENT_KEYS:
        _string(event, key, path, required=False)
    for key in EVENT_OPTIONAL_KEYS:
        if key in event:
            _string(event, key, path, required=False)
    return event


def check_store(raw: Any) -> Json:
    """The whole file, checked; returns a deep copy with every order completed."""
    doc = copy.deepcopy(_expect_dict(raw, []))
    check_time(doc, "asOf", [], required=False)
    shop = _expect_dict(doc.get("shop"), ["shop"])
    for key in SHOP_KEYS:
        _string(shop, key, ["shop"], required=True)
    if not ENUM_VALUE.match(shop["currencyCode"]):
        raise _fail(["shop", "currencyCode"], f"not a currency code: {shop['currencyCode']!r}")
    tokens = _expect_list(doc.get("accessTokens", []), ["accessTokens"])
    for i, token in enumerate(tokens):
        if not isinstance(token, str) or not token:
            raise _fail(["accessTokens", i], "expected a non-empty string")
    clients = _expect_list(doc.get("clients", []), ["clients"])
    for i, client in enumerate(clients):
        _expect_dict(client, ["clients", i])
        _string(client, "clientId", ["clients", i], required=True)
        _string(client, "clientSecret", ["clients", i], required=True)
        _string(client, "scope", ["clients", i], required=False)
    if not tokens and not clients:
        raise _fail([], "give at least one of accessTokens or clients, or no app can log in")
    orders = _expect_list(doc.get("orders"), ["orders"])
    seen_ids: set[str] = set()
    seen_names: set[str] = set()
    seen_fulfillments: set[str] = set()
    for i, order in enumerate(orders):
        check_order(order, ["orders", i])
        if order["id"] in seen_ids:
            raise _fail(["orders", i, "id"], f"duplicate order id {order['id']}")
        if order_number(order["name"]) in seen_names:
            raise _fail(["orders", i, "name"], f"duplicate order name {order['name']}")
        seen_ids.add(order["id"])
        seen_names.add(order_number(order["name"]))
        for j, fulfillment in enumerate(order["fulfillments"]):
            if fulfillment["id"] in seen_fulfillments:
                raise _fail(
                    ["orders", i, "fulfillments", j, "id"],
                    f"duplicate fulfillment id {fulfillment['id']}",
                )
            seen_fulfillments.add(fulfillment["id"])
    doc["accessTokens"] = tokens
    doc["clients"] = clients
    doc["orders"] = orders
    return doc


def load_store_file(source: Path | str | Json) -> Json:
    """Read and check a store file (or an already-parsed dict)."""
    if isinstance(source, dict):
        return check_store(source)
    path = Path(source)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise DemoStoreDataError(f"cannot read {path}: {exc.strerror or exc}") from None
    except json.JSONDecodeError as exc:
        raise DemoStoreDataError(f"{path}: not JSON ({exc})") from None
    try:
        return check_store(raw)
    except DemoStoreDataError as exc:
        raise DemoStoreDataError(f"{path}: {exc}") from None


def moved_to(doc: Json, now: datetime) -> Json:
    """A checked store file as of `now`: every timestamp moved by now - asOf (Shopify names
    every DateTime field `…At`), and asOf now. A file without asOf comes back as it is."""
    if doc.get("asOf") is None:
        return doc
    moved = copy.deepcopy(doc)
    _shift(moved["orders"], now - parse_time(doc["asOf"]))
    moved["asOf"] = iso(now)
    return moved


def _shift(value: Any, delta: timedelta) -> None:
    if isinstance(value, list):
        for item in value:
            _shift(item, delta)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("At") and isinstance(item, str):
                value[key] = iso(parse_time(item) + delta)
            else:
                _shift(item, delta)


def bundled_data_path() -> Path:
    """The demo data set that ships with the package."""
    return Path(__file__).resolve().parent / "data" / "demo-store.json"
