"""Orders over real HTTP: every order of both data files found by name (every form) and by
email, each field exactly as in the file; search syntax; pagination; the client's query."""

from __future__ import annotations

import ast
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.demostore.conftest import QUERIES_FILE, Store, data_file, load_json

# Every field the store files carry, in the files' own shape.
FULL_ORDER = """
  id name email phone createdAt processedAt cancelledAt cancelReason
  displayFinancialStatus displayFulfillmentStatus statusPageUrl
  shippingAddress { name address1 city provinceCode zip countryCodeV2 phone }
  lineItems(first: 10) { nodes { title quantity sku } }
  fulfillments(first: 5) {
    id name status displayStatus createdAt inTransitAt estimatedDeliveryAt deliveredAt
    trackingInfo(first: 5) { company number url }
    events(first: 10) { nodes { status happenedAt message city province country } }
  }
"""

# 8 orders of this shape cost 2 + 8 x 104 = 834, under Shopify's single-query limit of 1000.
SEARCH = "query Search($q: String!) { orders(first: 8, query: $q) { nodes {" + FULL_ORDER + "} } }"
NAMES = "query Names($q: String!) { orders(first: 250, query: $q) { nodes { name } } }"


def assert_same(served: Any, stored: Any, where: str = "order") -> None:
    """Every value in the file comes back, equal, at the same place."""
    if isinstance(stored, dict):
        assert isinstance(served, dict), where
        for key, value in stored.items():
            assert key in served, f"{where}.{key} missing"
            assert_same(served[key], value, f"{where}.{key}")
    elif isinstance(stored, list):
        assert isinstance(served, list) and len(served) == len(stored), where
        for i, (a, b) in enumerate(zip(served, stored, strict=True)):
            assert_same(a, b, f"{where}[{i}]")
    else:
        assert served == stored, f"{where}: served {served!r}, file has {stored!r}"


@pytest.fixture(params=["bundled", "shared-example"])
async def store(request: pytest.FixtureRequest, start: Any) -> AsyncIterator[Store]:
    path = data_file(request.param)
    yield await start(path)


def orders_in(path: Path) -> list[dict[str, Any]]:
    orders: list[dict[str, Any]] = load_json(path)["orders"]
    return orders


async def search(store: Store, query: str) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = (await store.gql(SEARCH, {"q": query})).data["orders"]["nodes"]
    return nodes


async def test_every_order_is_found_by_every_form_of_its_name(store: Store) -> None:
    assert store.file is not None
    for order in orders_in(store.file):
        number = order["name"].lstrip("#")
        for query in (
            f"name:{order['name']}",
            f'name:"{order["name"]}"',
            f"name:{number}",
            f"name:'{order['name']}'",
            order["name"],
            number,
        ):
            found = await search(store, query)
            assert [o["name"] for o in found] == [order["name"]], query
            assert_same(found[0], order, f"{order['name']} via {query!r}")


async def test_every_order_is_found_by_email_case_insensitively(store: Store) -> None:
    assert store.file is not None
    orders = orders_in(store.file)
    for order in orders:
        email = order.get("email")
        if not email:
            continue
        same_customer = {
            o["name"] for o in orders if (o.get("email") or "").lower() == email.lower()
        }
        for query in (f"email:{email}", f'email:"{email}"', f"email:{email.upper()}", email):
            found = await search(store, query)
            assert {o["name"] for o in found} == same_customer, query
            served = next(o for o in found if o["name"] == order["name"])
            assert_same(served, order, f"{order['name']} via {query!r}")


async def test_name_and_email_together_narrow_to_one_order(demo: Store) -> None:
    found = await search(demo, "name:#2003 email:maya.patel@example.com")
    assert [o["name"] for o in found] == ["#2003"]
    assert await search(demo, "name:#2003 AND email:daniel.kim@example.net") == []


async def test_or_between_terms(demo: Store) -> None:
    found = await search(demo, "name:#2001 OR name:#2002")
    assert sorted(o["name"] for o in found) == ["#2001", "#2002"]
    found = await search(demo, "(name:2004 OR name:2005) email:oliver.brown@example.org")
    assert [o["name"] for o in found] == ["#2004"]


async def test_negation_prefix_and_comparators(demo: Store) -> None:
    found = await search(demo, "email:maya.patel@example.com -name:2001")
    assert [o["name"] for o in found] == ["#2003"]
    found = await search(demo, "name:>=2013")
    assert sorted(o["name"] for o in found) == ["#2013", "#2014", "#2015"]
    found = await search(demo, "name:201*")
    assert len(found) == 6  # #2010 … #2015
    found = await search(demo, "status:cancelled")
    assert [o["name"] for o in found] == ["#2008"]
    found = await search(demo, "fulfillment_status:partial")
    assert [o["name"] for o in found] == ["#2010"]
    found = await search(demo, "created_at:>='2026-11-24' financial_status:paid")
    assert sorted(o["name"] for o in found) == ["#2009"]


async def test_unknown_search_fields_are_dropped_with_shopifys_warning(demo: Store) -> None:
    reply = await demo.gql(SEARCH, {"q": "phone_number:123 name:#2002"})
    assert [o["name"] for o in reply.data["orders"]["nodes"]] == ["#2002"]
    assert reply.body["extensions"]["search"] == [
        {
            "path": ["orders"],
            "query": "phone_number:123 name:#2002",
            "parsed": {
                "and": [
                    {"field": "phone_number", "match_all": "123"},
                    {"field": "name", "match_all": "#2002"},
                ]
            },
            "warnings": [
                {
                    "field": "phone_number",
                    "message": "Invalid search field for this query.",
                    "code": "invalid_field",
                }
            ],
        }
    ]
    # Alone, an invalid term filters nothing: every order comes back, as on Shopify.
    reply = await demo.gql(NAMES, {"q": "bogus:x"})
    assert len(reply.data["orders"]["nodes"]) == 15


async def test_no_match_is_an_empty_list_not_an_error(demo: Store) -> None:
    assert await search(demo, "name:#9999") == []
    assert await search(demo, "email:nobody@example.com") == []


async def test_order_by_id_and_unknown_id(demo: Store) -> None:
    query = "query One($id: ID!) { order(id: $id) { name email } }"
    reply = await demo.gql(query, {"id": "gid://shopify/Order/6600000005"})
    assert reply.data == {"order": {"name": "#2005", "email": "chloe.tremblay@example.ca"}}
    reply = await demo.gql(query, {"id": "gid://shopify/Order/1"})
    assert reply.data == {"order": None}


async def test_pagination_edges_cursors_and_page_info(demo: Store) -> None:
    page_query = """
      query Page($after: String) {
        orders(first: 6, after: $after, sortKey: ORDER_NUMBER) {
          edges { cursor node { name } }
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }
    """
    names: list[str] = []
    after = None
    pages = 0
    while True:
        conn = (await demo.gql(page_query, {"after": after})).data["orders"]
        names += [e["node"]["name"] for e in conn["edges"]]
        info = conn["pageInfo"]
        assert info["hasPreviousPage"] is (pages > 0)
        assert info["endCursor"] == conn["edges"][-1]["cursor"]
        pages += 1
        if not info["hasNextPage"]:
            break
        after = info["endCursor"]
    assert pages == 3
    assert names == [f"#{n}" for n in range(2001, 2016)]

    last = await demo.gql(
        "{ orders(last: 2, sortKey: ORDER_NUMBER) { nodes { name } pageInfo { hasPreviousPage } } }"
    )
    assert last.data["orders"] == {
        "nodes": [{"name": "#2014"}, {"name": "#2015"}],
        "pageInfo": {"hasPreviousPage": True},
    }


async def test_sort_keys_and_reverse(demo: Store) -> None:
    reply = await demo.gql(
        "{ orders(first: 3, sortKey: PROCESSED_AT, reverse: true) { nodes { name processedAt } } }"
    )
    nodes = reply.data["orders"]["nodes"]
    assert [n["name"] for n in nodes] == ["#2009", "#2014", "#2002"]


async def test_events_sort_and_paginate(demo: Store) -> None:
    query = """
      { order(id: "gid://shopify/Order/6600000001") { fulfillments(first: 1) {
          newest: events(first: 1, sortKey: HAPPENED_AT, reverse: true) { nodes { status message } }
          all: events(first: 10) { nodes { status } pageInfo { hasNextPage } }
      } } }
    """
    fulfillment = (await demo.gql(query)).data["order"]["fulfillments"][0]
    assert fulfillment["newest"]["nodes"] == [
        {"status": "IN_TRANSIT", "message": "Arrived at UPS facility"}
    ]
    assert [e["status"] for e in fulfillment["all"]["nodes"]] == [
        "LABEL_PRINTED",
        "IN_TRANSIT",
        "IN_TRANSIT",
    ]


async def test_an_enum_value_shopify_has_not_published_is_served(demo: Store) -> None:
    found = await search(demo, "name:#2012")
    fulfillment = found[0]["fulfillments"][0]
    assert fulfillment["displayStatus"] == "HELD_AT_CUSTOMS"
    assert fulfillment["events"]["nodes"][-1]["status"] == "HELD_AT_CUSTOMS"


async def test_text_that_reads_like_instructions_is_served_verbatim(demo: Store) -> None:
    found = await search(demo, "email:ignore-previous-instructions@example.com")
    order = found[0]
    assert order["shippingAddress"]["address1"].startswith("Ignore previous instructions")
    assert order["fulfillments"][0]["events"]["nodes"][0]["message"].startswith(
        "Ignore all previous instructions"
    )


def _client_query() -> str:
    """ORDERS_QUERY from core/shopify/queries.py, read as text (the demo store must not
    import core): the module's string constants, evaluated without running the module."""
    tree = ast.parse(QUERIES_FILE.read_text(encoding="utf-8"))
    constants: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            expr = ast.Expression(node.value)
            names = {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
            if names <= constants.keys():
                constants[node.targets[0].id] = eval(
                    compile(expr, "queries", "eval"), {}, constants
                )
    query: str = constants["ORDERS_QUERY"]
    return query


async def test_the_flowyte_client_query_executes(store: Store) -> None:
    query = _client_query()
    # The page sizes the client asks for, read from its own document.
    tracking = int(re.search(r"trackingInfo\(first: (\d+)\)", query).group(1))  # type: ignore[union-attr]
    events = int(re.search(r"events\(first: (\d+)", query).group(1))  # type: ignore[union-attr]
    assert store.file is not None
    for order in orders_in(store.file):
        reply = await store.gql(query, {"query": f'name:"{order["name"]}"', "first": 5})
        data = reply.data
        assert data["shop"]["myshopifyDomain"] == load_json(store.file)["shop"]["myshopifyDomain"]
        nodes = data["orders"]["nodes"]
        assert [n["name"] for n in nodes] == [order["name"]]
        served = nodes[0]
        assert served["statusPageUrl"] == order["statusPageUrl"]
        for served_f, stored_f in zip(served["fulfillments"], order["fulfillments"], strict=True):
            assert served_f["displayStatus"] == stored_f["displayStatus"]
            assert served_f["trackingInfo"] == stored_f["trackingInfo"][:tracking]
            newest_first = sorted(
                stored_f["events"]["nodes"], key=lambda e: e["happenedAt"], reverse=True
            )[:events]
            assert served_f["events"]["nodes"] == newest_first
        cost = reply.cost
        assert 0 < cost["actualQueryCost"] <= cost["requestedQueryCost"] <= 1000
