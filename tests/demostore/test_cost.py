"""Calculated query cost and the leaky bucket, as Shopify runs them."""

from __future__ import annotations

import asyncio
from typing import Any

from graphql import parse

from demostore.cost import Buckets, LeakyBucket, actual_cost, requested_cost
from demostore.schema import build_store_schema
from tests.demostore.conftest import Store

THROTTLED = {
    "message": "Throttled",
    "extensions": {
        "code": "THROTTLED",
        "documentation": "https://shopify.dev/api/usage/rate-limits",
    },
}

NAMES_20 = "{ orders(first: 20) { nodes { name } } }"  # requests 2 + 20 x 1 = 22


def costs(query: str, variables: dict[str, Any] | None = None) -> int:
    schema = build_store_schema()
    document = parse(query)
    operation = document.definitions[0]
    return requested_cost(schema, document, operation, variables)  # type: ignore[arg-type]


def test_requested_cost_follows_shopifys_rules() -> None:
    assert costs("{ shop { name currencyCode } }") == 1  # an object; scalars and enums are free
    assert costs("{ orders(first: 10) { nodes { id name } } }") == 12  # 2 + 10 x 1
    assert (
        costs("{ orders(last: 3) { edges { cursor node { id } } pageInfo { hasNextPage } } }") == 5
    )
    # Nested: each order 1 + its address 1 + lineItems (2 + 5 x 1).
    query = (
        "{ orders(first: 4) { nodes { shippingAddress { zip }"
        " lineItems(first: 5) { nodes { sku } } } } }"
    )
    assert costs(query) == 2 + 4 * (1 + 1 + 7)
    # Lists are sized by `first` too: 3 fulfillments x (1 + 2 tracking objects).
    query = '{ order(id: "x") { fulfillments(first: 3) { trackingInfo(first: 2) { number } } } }'
    assert costs(query) == 1 + 3 * (1 + 2)
    # Variables, fragments and @skip are honoured.
    query = """
      query Q($n: Int!, $skip: Boolean!) {
        orders(first: $n) { nodes { ...F } }
        again: shop @skip(if: $skip) { name }
      }
      fragment F on Order { shippingAddress { zip } }
    """
    assert costs(query, {"n": 7, "skip": True}) == 2 + 7 * 2
    assert costs(query, {"n": 7, "skip": False}) == 2 + 7 * 2 + 1


def test_actual_cost_counts_what_came_back() -> None:
    schema = build_store_schema()
    document = parse("{ orders(first: 10) { nodes { name shippingAddress { zip } } } }")
    operation = document.definitions[0]
    data = {
        "orders": {
            "nodes": [
                {"name": "#1", "shippingAddress": None},
                {"name": "#2", "shippingAddress": {"zip": "1"}},
            ]
        }
    }
    assert actual_cost(schema, document, operation, None, data) == 2 + 1 + 2  # type: ignore[arg-type]
    empty: dict[str, Any] = {"orders": {"nodes": []}}
    assert actual_cost(schema, document, operation, None, empty) == 3  # type: ignore[arg-type]


def test_leaky_bucket_takes_refunds_and_restores() -> None:
    now = [100.0]
    bucket = LeakyBucket(50, 10, clock=lambda: now[0])
    assert bucket.try_take(30)
    assert bucket.status() == {
        "maximumAvailable": 50.0,
        "currentlyAvailable": 20,
        "restoreRate": 10.0,
    }
    assert not bucket.try_take(21)  # refused, nothing taken
    assert bucket.available == 20
    bucket.give_back(5)
    now[0] += 1.5
    assert bucket.available == 40
    now[0] += 60
    assert bucket.available == 50  # never above the maximum


def test_bucket_settings() -> None:
    buckets = Buckets(capacity=300, restore_rate=5)
    assert buckets.single_query_limit == 300  # a bucket smaller than 1000 caps a query
    buckets.configure(capacity=5000)
    assert buckets.single_query_limit == 1000
    assert buckets.get("a") is buckets.get("a") and buckets.get("a") is not buckets.get("b")


async def test_every_response_carries_cost_and_refunds_the_difference(start: Any) -> None:
    store: Store = await start(None, bucket_capacity=100, restore_rate=0)
    reply = await store.gql(NAMES_20)
    assert reply.cost == {
        "requestedQueryCost": 22,
        "actualQueryCost": 17,  # 15 orders came back: 2 + 15
        "throttleStatus": {"maximumAvailable": 100.0, "currentlyAvailable": 83, "restoreRate": 0.0},
    }
    reply = await store.gql('{ orders(first: 20, query: "name:#2001") { nodes { name } } }')
    assert (reply.cost["requestedQueryCost"], reply.cost["actualQueryCost"]) == (22, 3)
    assert reply.available == 80


async def test_the_bucket_drains_throttles_and_restores(start: Any) -> None:
    store: Store = await start(None, bucket_capacity=40, restore_rate=50)
    first = await store.gql(NAMES_20)
    second = await store.gql(NAMES_20)
    assert first.status == second.status == 200
    assert second.available < first.available < 40

    throttled = await store.gql(NAMES_20)
    assert throttled.status == 200
    assert throttled.body == {
        "errors": [THROTTLED],
        "extensions": {
            "cost": {
                "requestedQueryCost": 22,
                "actualQueryCost": None,
                "throttleStatus": {
                    "maximumAvailable": 40.0,
                    "currentlyAvailable": throttled.available,
                    "restoreRate": 50.0,
                },
            }
        },
    }
    assert throttled.available < 22
    # Nothing was charged for the refusal; after waiting for the restore, it goes through.
    await asyncio.sleep((22 - throttled.available) / 50 + 0.05)
    again = await store.gql(NAMES_20)
    assert again.data == first.data


async def test_buckets_are_per_app(start: Any) -> None:
    doc = _with_second_token()
    store: Store = await start(doc, bucket_capacity=25, restore_rate=0)
    assert (await store.gql(NAMES_20)).status == 200
    assert (await store.gql(NAMES_20)).body["errors"] == [THROTTLED]
    other = await store.gql(NAMES_20, token="shpat_second_app")
    assert other.data["orders"]["nodes"]
    assert other.available == 25 - 17


async def test_max_cost_exceeded(demo: Store) -> None:
    query = "{ orders(first: 250) { nodes { lineItems(first: 250) { nodes { title } } } } }"
    reply = await demo.gql(query)
    requested = 2 + 250 * (1 + 2 + 250)
    assert reply.status == 200
    assert "data" not in reply.body
    error = reply.body["errors"][0]
    assert error["message"].startswith(
        f"Query cost is {requested}, which exceeds the single query max cost limit (1000)."
    )
    assert error["extensions"] == {
        "code": "MAX_COST_EXCEEDED",
        "cost": requested,
        "maxCost": 1000,
        "documentation": "https://shopify.dev/api/usage/rate-limits",
    }
    assert reply.cost["requestedQueryCost"] == requested
    assert reply.cost["actualQueryCost"] is None
    assert reply.available == 2000  # nothing charged


async def test_a_query_bigger_than_the_bucket_is_max_cost_exceeded(start: Any) -> None:
    store: Store = await start(None, bucket_capacity=20, restore_rate=1)
    reply = await store.gql(NAMES_20)
    assert reply.body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert reply.body["errors"][0]["extensions"]["maxCost"] == 20


async def test_control_api_resets_and_reconfigures_the_bucket(start: Any) -> None:
    store: Store = await start(None, bucket_capacity=30, restore_rate=0)
    assert (await store.gql(NAMES_20)).available == 13
    await store.control("POST", "/_demo/bucket/reset")
    assert (await store.gql(NAMES_20)).available == 13
    settings = await store.control(
        "POST", "/_demo/bucket/reset", {"capacity": 500, "restoreRate": 5}
    )
    assert settings == {"maximumAvailable": 500.0, "restoreRate": 5.0, "singleQueryMaxCost": 500}
    reply = await store.gql(NAMES_20)
    assert reply.cost["throttleStatus"]["maximumAvailable"] == 500.0
    assert reply.available == 483


def _with_second_token() -> dict[str, Any]:
    from demostore import bundled_data_path
    from tests.demostore.conftest import load_json

    doc = load_json(bundled_data_path())
    doc["accessTokens"].append("shpat_second_app")
    return doc
