"""The demo store's schema agrees with Shopify's real Admin schema on everything it implements:
each type's kind and interfaces, each field's type (lists and nullability included) and
deprecation, each argument's type and default, each enum's values and their deprecation. A
query the demo answers is one Shopify answers alike, so the fake cannot drift from Shopify.

The demo implements a slice: a field or argument it leaves out is fine (a query using it is
refused by the demo, never wrongly answered), but whatever it has must be Shopify's, and
every enum it serves has exactly Shopify's values."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from graphql import build_schema, introspection_from_schema

from demostore.data import StoreData
from demostore.schema import build_store_schema
from demostore.store_file import bundled_data_path, load_store_file
from tests.example_store import STORE_EXAMPLE
from tests.shopify.real_schema import real_introspection

Introspection = Mapping[str, Any]

# Values in a store file that no Admin version has, kept on purpose. The demo store widens
# its enums with them (enums.py), so a client meets a value Shopify may add later and must
# keep it rather than crash; these are the only ones the data may hold.
DELIBERATE_UNKNOWN_VALUES = {
    ("FulfillmentDisplayStatus", "HELD_AT_CUSTOMS"): "order #2012 of the bundled demo data: "
    "shows that the core keeps a parcel state it does not know (tests/demostore/test_orders.py, "
    "tests/engine/test_conversations.py)",
    ("FulfillmentEventStatus", "HELD_AT_CUSTOMS"): "the carrier event behind #2012's status",
}

_BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def _type_ref(ref: Mapping[str, Any]) -> str:
    if ref["kind"] == "NON_NULL":
        return _type_ref(ref["ofType"]) + "!"
    if ref["kind"] == "LIST":
        return "[" + _type_ref(ref["ofType"]) + "]"
    return str(ref["name"])


def _by_name(items: Any) -> dict[str, Mapping[str, Any]]:
    return {item["name"]: item for item in items or ()}


def disagreements(demo: Introspection, real: Introspection) -> list[str]:
    """Where the demo's schema says something Shopify's does not, one line each."""
    found: list[str] = []
    real_types = _by_name(real["__schema"]["types"])
    if demo["__schema"]["queryType"]["name"] != real["__schema"]["queryType"]["name"]:
        found.append("the query root has another name")
    for name, demo_type in _by_name(demo["__schema"]["types"]).items():
        if name.startswith("__") or name in _BUILT_IN:
            continue
        real_type = real_types.get(name)
        if real_type is None:
            found.append(f"{name}: no such type")
            continue
        if demo_type["kind"] != real_type["kind"]:
            found.append(f"{name}: a {demo_type['kind']}, Shopify's is a {real_type['kind']}")
            continue
        found += _interfaces(name, demo_type, real_type)
        found += _fields(name, demo_type, real_type)
        found += _enum_values(name, demo_type, real_type)
    return found


def _interfaces(name: str, demo: Introspection, real: Introspection) -> list[str]:
    extra = set(_by_name(demo.get("interfaces"))) - set(_by_name(real.get("interfaces")))
    return [f"{name} implements {i}, Shopify's does not" for i in sorted(extra)]


def _fields(name: str, demo: Introspection, real: Introspection) -> list[str]:
    found: list[str] = []
    real_fields = _by_name(real.get("fields"))
    for field_name, field in _by_name(demo.get("fields")).items():
        where = f"{name}.{field_name}"
        theirs = real_fields.get(field_name)
        if theirs is None:
            found.append(f"{where}: no such field")
            continue
        if _type_ref(field["type"]) != _type_ref(theirs["type"]):
            found.append(
                f"{where}: {_type_ref(field['type'])}, Shopify's is {_type_ref(theirs['type'])}"
            )
        if field["isDeprecated"] != theirs["isDeprecated"]:
            found.append(
                f"{where}: deprecated {field['isDeprecated']}, at Shopify {theirs['isDeprecated']}"
            )
        found += _arguments(where, field, theirs)
    return found


def _arguments(where: str, demo: Introspection, real: Introspection) -> list[str]:
    found: list[str] = []
    ours, theirs = _by_name(demo["args"]), _by_name(real["args"])
    for arg_name, arg in ours.items():
        their = theirs.get(arg_name)
        if their is None:
            found.append(f"{where}({arg_name}:): no such argument")
            continue
        if _type_ref(arg["type"]) != _type_ref(their["type"]):
            found.append(
                f"{where}({arg_name}:): {_type_ref(arg['type'])}, "
                f"Shopify's is {_type_ref(their['type'])}"
            )
        if arg["defaultValue"] != their["defaultValue"]:
            found.append(
                f"{where}({arg_name}:): defaults to {arg['defaultValue']}, "
                f"Shopify's to {their['defaultValue']}"
            )
    for arg_name, their in theirs.items():
        required = their["type"]["kind"] == "NON_NULL" and their["defaultValue"] is None
        if required and arg_name not in ours:
            found.append(f"{where}({arg_name}:): required by Shopify, missing")
    return found


def _enum_values(name: str, demo: Introspection, real: Introspection) -> list[str]:
    if demo["kind"] != "ENUM":
        return []
    ours, theirs = _by_name(demo["enumValues"]), _by_name(real["enumValues"])
    found = [f"{name}.{v}: no such value" for v in sorted(set(ours) - set(theirs))]
    found += [f"{name}.{v}: missing" for v in sorted(set(theirs) - set(ours))]
    found += [
        f"{name}.{v}: deprecated {ours[v]['isDeprecated']}, at Shopify {theirs[v]['isDeprecated']}"
        for v in sorted(set(ours) & set(theirs))
        if ours[v]["isDeprecated"] != theirs[v]["isDeprecated"]
    ]
    return found


def _introspect(schema: Any) -> Introspection:
    # Deprecated fields and values are part of what is compared, as Shopify's file has them.
    return introspection_from_schema(schema)  # type: ignore[return-value]


def test_the_demo_store_schema_agrees_with_shopify() -> None:
    assert disagreements(_introspect(build_store_schema()), real_introspection()) == []


def _unknown_values(path: Path) -> set[tuple[str, str]]:
    real_enums = {
        t["name"]: set(_by_name(t["enumValues"]))
        for t in real_introspection()["__schema"]["types"]
        if t["kind"] == "ENUM"
    }
    found = StoreData(load_store_file(path)).enum_values_in_data()
    return {(enum, v) for enum, values in found.items() for v in values - real_enums[enum]}


@pytest.mark.parametrize("path", [bundled_data_path(), STORE_EXAMPLE], ids=lambda p: p.name)
def test_store_files_hold_only_shopify_values_or_deliberate_ones(path: Path) -> None:
    assert _unknown_values(path) <= set(DELIBERATE_UNKNOWN_VALUES)


def test_every_deliberate_unknown_value_is_still_in_the_data() -> None:
    # An exception nothing needs any more is removed, so the list stays the truth.
    assert _unknown_values(bundled_data_path()) == set(DELIBERATE_UNKNOWN_VALUES)


# The test of the test: what the demo store used to get wrong is caught.


@pytest.mark.parametrize(
    ("sdl", "expected"),
    [
        (
            "type Fulfillment { events(first: Int, query: String): Boolean }",
            [
                "Fulfillment.events: Boolean, Shopify's is FulfillmentEventConnection!",
                "Fulfillment.events(query:): no such argument",
            ],
        ),
        (
            "enum FulfillmentEventSortKeys { HAPPENED_AT ID RELEVANCE }",
            ["FulfillmentEventSortKeys.RELEVANCE: no such value"],
        ),
        ("type Order { name: String }", ["Order.name: String, Shopify's is String!"]),
        (
            "enum FulfillmentStatus { CANCELLED ERROR FAILURE OPEN PENDING SUCCESS }",
            [
                "FulfillmentStatus.OPEN: deprecated False, at Shopify True",
                "FulfillmentStatus.PENDING: deprecated False, at Shopify True",
            ],
        ),
        ("type Order { trackingNumber: String }", ["Order.trackingNumber: no such field"]),
        (
            "type Fulfillment { trackingInfo(first: Int = 5): [FulfillmentTrackingInfo!]! }"
            " type FulfillmentTrackingInfo { number: String }",
            ["Fulfillment.trackingInfo(first:): defaults to 5, Shopify's to None"],
        ),
    ],
)
def test_a_disagreement_is_found(sdl: str, expected: list[str]) -> None:
    schema = build_schema("type QueryRoot { shop: Boolean } schema { query: QueryRoot }\n" + sdl)
    found = disagreements(_introspect(schema), real_introspection())
    assert [line for line in found if not line.startswith("QueryRoot")] == expected
