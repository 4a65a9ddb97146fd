"""Store files: checked with clear messages; the bundled data set covers every situation the
agent must handle; the package imports nothing from core or frontends."""

from __future__ import annotations

import ast
import copy
import json
from pathlib import Path
from typing import Any

import pytest

from flowyte.demostore import DemoStoreDataError, bundled_data_path, load_store_file
from flowyte.demostore.data import SHOP_KEYS, StoreData
from flowyte.demostore.enums import FULFILLMENT_DISPLAY_STATUS
from tests.demostore.conftest import REPO, load_json
from tests.example_store import STORE_EXAMPLE


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
    assert '"flowyte.demostore" = ["data/*.json"]' in pyproject
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
    package = REPO / "clients" / "flowyte" / "demostore"
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
