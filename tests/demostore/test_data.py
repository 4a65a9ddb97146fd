"""Store files: checked with clear messages; the bundled data set covers every situation the
agent must handle; the package imports nothing from core or frontends."""

from __future__ import annotations

import ast
import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from demostore import (
    DemoStore,
    DemoStoreDataError,
    bundled_data_path,
    load_store_file,
)
from demostore.data import StoreData
from demostore.enums import FULFILLMENT_DISPLAY_STATUS
from demostore.store_file import SHOP_KEYS, moved_to, parse_time
from flowyte.clock import FixedClock
from tests.demostore.conftest import REPO, load_json
from tests.example_store import AS_OF, STORE_EXAMPLE


def bundled() -> dict[str, Any]:
    return load_json(bundled_data_path())


def test_both_data_files_load() -> None:
    assert len(load_store_file(bundled_data_path())["orders"]) == 15
    assert len(load_store_file(STORE_EXAMPLE)["orders"]) == 8


def test_the_bundled_data_covers_every_situation() -> None:
    doc = bundled()
    assert set(doc["shop"]) == set(SHOP_KEYS)  # the shop-level keys of store-example.json
    orders = doc["orders"]
    statuses = {f["displayStatus"] for o in orders for f in o["fulfillments"]}
    for needed in (
        "IN_TRANSIT",
        "OUT_FOR_DELIVERY",
        "DELIVERED",
        "DELAYED",
        "ATTEMPTED_DELIVERY",
        "FAILURE",
        "NOT_DELIVERED",
    ):
        assert needed in statuses, needed
    assert statuses - set(FULFILLMENT_DISPLAY_STATUS), "a display status Shopify lacks (yet)"
    assert any(o["cancelledAt"] and o["displayFinancialStatus"] == "REFUNDED" for o in orders)
    assert any(
        o["displayFulfillmentStatus"] == "UNFULFILLED" and not o["fulfillments"] for o in orders
    )
    split = [o for o in orders if len(o["fulfillments"]) >= 2]
    assert split and all(o["displayFulfillmentStatus"] == "PARTIALLY_FULFILLED" for o in split)
    carriers = {t["company"] for f in split[0]["fulfillments"] for t in f["trackingInfo"]}
    assert len(carriers) == 2
    assert any(len(f["trackingInfo"]) >= 2 for o in orders for f in o["fulfillments"])
    emails = [o["email"] for o in orders if o["email"]]
    assert len(emails) != len(set(emails)), "two orders of the same customer"
    assert any(o["email"] is None and o["phone"] for o in orders)
    assert any(not o["shippingAddress"]["zip"].isdigit() for o in orders), "non-US postcode"
    text = json.dumps(orders).lower()
    assert "ignore previous instructions" in text


def test_bundled_data_ships_with_the_package() -> None:
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"demostore" = ["data/*.json"]' in pyproject
    assert bundled_data_path().is_file()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("shop"), "shop: expected an object"),
        (lambda d: d["orders"][0].pop("id"), "orders[0].id: is required"),
        (lambda d: d["orders"][0].update(id="1001"), "orders[0].id: expected gid://shopify/Order/"),
        (lambda d: d["orders"][1].update(name=d["orders"][0]["name"]), "duplicate order name"),
        (lambda d: d["orders"][0].update(createdAt="yesterday"), "orders[0].createdAt: not an ISO"),
        (
            lambda d: d["orders"][0]["fulfillments"][0].update(displayStatus="in transit"),
            "orders[0].fulfillments[0].displayStatus: not a GraphQL enum value",
        ),
        (
            lambda d: d["orders"][0]["lineItems"]["nodes"][0].update(quantity="1"),
            "orders[0].lineItems.nodes[0].quantity: expected an integer",
        ),
        (lambda d: d.update(accessTokens=[], clients=[]), "give at least one of accessTokens"),
        (lambda d: d.update(asOf="last week"), "asOf: not an ISO-8601 time"),
    ],
)
def test_bad_files_are_refused_with_the_place(change: Any, message: str) -> None:
    doc = copy.deepcopy(bundled())
    change(doc)
    with pytest.raises(DemoStoreDataError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_store_file(doc)


def test_a_missing_or_broken_file(tmp_path: Path) -> None:
    with pytest.raises(DemoStoreDataError, match="cannot read"):
        load_store_file(tmp_path / "missing.json")
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(DemoStoreDataError, match="not JSON"):
        load_store_file(broken)


def test_edges_shaped_connections_are_accepted() -> None:
    doc = copy.deepcopy(bundled())
    order = doc["orders"][0]
    order["lineItems"] = {"edges": [{"node": n} for n in order["lineItems"]["nodes"]]}
    data = StoreData(doc)
    assert data.orders[0]["lineItems"]["nodes"][0]["sku"] == "ADJ-NVY-M"


def test_the_package_imports_nothing_from_core_or_frontends() -> None:
    package = REPO / "demostore"
    offenders = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                if name.split(".")[0] in ("core", "frontends"):
                    offenders.append(f"{path.name}:{node.lineno} imports {name}")
    assert not offenders, offenders


# --- dates that never go stale ----------------------------------------------------------------

LATER = AS_OF + timedelta(days=400, hours=7, minutes=3)


def _order(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(o for o in doc["orders"] if o["name"] == name)


def test_both_data_files_say_when_they_were_written() -> None:
    for doc in (bundled(), load_json(STORE_EXAMPLE)):
        assert parse_time(doc["asOf"]) == AS_OF


def test_every_timestamp_moves_by_the_time_since_the_file_was_written() -> None:
    written = load_store_file(bundled_data_path())
    moved = moved_to(written, LATER)
    assert moved["asOf"] == "2028-01-01T22:03:00Z"
    for before, after in zip(written["orders"], moved["orders"], strict=True):
        shipped = [
            (f[key], g[key])
            for f, g in zip(before["fulfillments"], after["fulfillments"], strict=True)
            for key in ("createdAt", "estimatedDeliveryAt", "deliveredAt", "inTransitAt")
            if f[key] is not None
        ]
        events = [
            (e["happenedAt"], m["happenedAt"])
            for f, g in zip(before["fulfillments"], after["fulfillments"], strict=True)
            for e, m in zip(f["events"]["nodes"], g["events"]["nodes"], strict=True)
        ]
        pairs = [(before["createdAt"], after["createdAt"]), *shipped, *events]
        if before["cancelledAt"]:
            pairs.append((before["cancelledAt"], after["cancelledAt"]))
        for old, new in pairs:
            assert parse_time(new) - parse_time(old) == LATER - AS_OF, (before["name"], old)
    # Nothing but dates changes: the same orders, names, tracking and statuses.
    assert [o["name"] for o in moved["orders"]] == [o["name"] for o in written["orders"]]
    assert (
        _order(moved, "#2001")["fulfillments"][0]["trackingInfo"]
        == (_order(written, "#2001")["fulfillments"][0]["trackingInfo"])
    )
    # The file as loaded is left alone (a reset moves it again from the same start).
    assert written["asOf"] == "2026-11-27T15:00:00Z"


def test_a_store_serves_its_data_moved_to_its_clock_unless_told_otherwise() -> None:
    clock = FixedClock(LATER)
    moving = DemoStore(bundled(), clock=clock)
    fixed = DemoStore(bundled(), clock=clock, fixed_dates=True)

    def due(store: DemoStore) -> datetime:
        shipment = _order({"orders": store.data.orders}, "#2001")["fulfillments"][0]
        return parse_time(shipment["estimatedDeliveryAt"])

    written_due = datetime(2026, 11, 30, 20, 0, tzinfo=UTC)
    assert due(fixed) == written_due and fixed.describe()["asOf"] == "2026-11-27T15:00:00Z"
    assert due(moving) - clock.now() == written_due - AS_OF  # still due in 3 days 5 hours
    # A live change is stamped by the store's clock; a reset moves the file to its new now.
    moving.data.mark_delivered("2001")
    assert _order({"orders": moving.data.orders}, "#2001")["fulfillments"][0]["deliveredAt"] == (
        "2028-01-01T22:03:00Z"
    )
    clock.advance(timedelta(days=30))
    moving.reset()
    assert due(moving) - clock.now() == written_due - AS_OF


def test_a_file_without_as_of_is_served_as_written() -> None:
    doc = bundled()
    del doc["asOf"]
    store = DemoStore(doc, clock=FixedClock(LATER))
    assert store.data.orders[0]["createdAt"] == doc["orders"][0]["createdAt"]
