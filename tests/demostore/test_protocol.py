"""The HTTP and GraphQL surface: authentication, versions, bodies, and Shopify's (graphql-ruby)
error shapes for bad queries."""

from __future__ import annotations

import pytest

from tests.demostore.conftest import Store

UNAUTHORIZED = {
    "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
}


@pytest.mark.parametrize(
    "token", ["", "shpat_wrong", "shpat_demo_00000000000000000000000000000002"]
)
async def test_a_wrong_or_missing_token_is_401(demo: Store, token: str) -> None:
    reply = await demo.gql("{ shop { name } }", token=token)
    assert (reply.status, reply.body) == (401, UNAUTHORIZED)


async def test_no_token_header_at_all_is_401(demo: Store) -> None:
    reply = await demo.post("/admin/api/2026-10/graphql.json", json={"query": "{ shop { name } }"})
    assert (reply.status, reply.body) == (401, UNAUTHORIZED)


@pytest.mark.parametrize(
    ("asked", "answered"),
    [
        ("2026-10", "2026-10"),
        ("2026-01", "2026-01"),
        ("unstable", "unstable"),
        # Past Shopify's 12 months of support: served by the oldest supported version.
        ("2025-01", "2026-01"),
        ("2024-10", "2026-01"),
    ],
)
async def test_the_version_that_answered_is_named(demo: Store, asked: str, answered: str) -> None:
    reply = await demo.gql("{ shop { name currencyCode } }", version=asked)
    assert reply.data == {"shop": {"name": "Juniper & Pine Outfitters", "currencyCode": "USD"}}
    assert reply.headers["X-Shopify-API-Version"] == answered
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.headers["X-Request-Id"]


async def test_refusals_name_the_version_too(demo: Store) -> None:
    reply = await demo.gql("{ shop { name } }", token="shpat_wrong", version="2025-01")
    assert reply.status == 401 and reply.headers["X-Shopify-API-Version"] == "2026-01"


@pytest.mark.parametrize("version", ["latest", "2025-1", "v1", "2026-02", "2027-01"])
async def test_a_version_never_released_is_404(demo: Store, version: str) -> None:
    reply = await demo.gql("{ shop { name } }", version=version)
    assert (reply.status, reply.body) == (404, {"errors": "Not Found"})


async def test_malformed_bodies_are_400(demo: Store) -> None:
    headers = {"X-Shopify-Access-Token": demo.token, "Content-Type": "application/json"}
    path = "/admin/api/2026-10/graphql.json"
    for body in (b"{not json", b"[]", b'{"variables": {}}', b'{"query": ""}', b""):
        reply = await demo.post(path, data=body, headers=headers)
        assert reply.status == 400, body
        assert reply.body == {"errors": {"query": "Required parameter missing or invalid"}}


async def test_application_graphql_bodies_work(demo: Store) -> None:
    reply = await demo.post(
        "/admin/api/2026-10/graphql.json",
        data=b"{ shop { ianaTimezone } }",
        headers={"X-Shopify-Access-Token": demo.token, "Content-Type": "application/graphql"},
    )
    assert reply.data == {"shop": {"ianaTimezone": "America/Los_Angeles"}}


async def test_operation_name_picks_the_operation(demo: Store) -> None:
    query = "query A { shop { name } } query B { shop { myshopifyDomain } }"
    reply = await demo.gql(query, operation_name="B")
    assert reply.data == {"shop": {"myshopifyDomain": "juniper-pine-outfitters.myshopify.com"}}
    reply = await demo.gql(query)
    assert reply.body["errors"][0]["message"] == "An operation name is required"
    reply = await demo.gql(query, operation_name="C")
    assert reply.body["errors"][0]["message"] == 'No operation named "C"'


async def test_introspection_and_typename(demo: Store) -> None:
    reply = await demo.gql(
        '{ __type(name: "FulfillmentDisplayStatus") { enumValues { name } } shop { __typename } }'
    )
    values = {v["name"] for v in reply.data["__type"]["enumValues"]}
    assert {"IN_TRANSIT", "OUT_FOR_DELIVERY", "NOT_DELIVERED", "CARRIER_PICKED_UP"} <= values
    assert "HELD_AT_CUSTOMS" in values  # from the data, not (yet) Shopify's
    assert reply.data["shop"] == {"__typename": "Shop"}


# ---------------------------------------------------------------------------------------------
# GraphQL errors, worded as Shopify words them


async def error_of(store: Store, query: str, variables: dict[str, object] | None = None) -> dict:
    reply = await store.gql(query, variables)
    assert reply.status == 200
    assert reply.body["extensions"]["cost"]["throttleStatus"]["maximumAvailable"] == 2000.0
    error: dict = reply.body["errors"][0]
    return error


async def test_undefined_field(demo: Store) -> None:
    error = await error_of(demo, "{ orders(first: 1) { nodes { trackingNumber } } }")
    assert error == {
        "message": "Field 'trackingNumber' doesn't exist on type 'Order'",
        "locations": [{"line": 1, "column": 30}],
        "extensions": {
            "code": "undefinedField",
            "typeName": "Order",
            "fieldName": "trackingNumber",
        },
    }


async def test_missing_required_argument(demo: Store) -> None:
    error = await error_of(demo, "{ order { id } }")
    assert error["message"] == "Field 'order' is missing required arguments: id"
    assert error["extensions"]["code"] == "missingRequiredArguments"


async def test_wrong_argument_type(demo: Store) -> None:
    error = await error_of(demo, '{ orders(first: "ten") { nodes { id } } }')
    assert error["message"] == (
        "Argument 'first' on Field 'orders' has an invalid value (\"ten\"). Expected type 'Int'."
    )
    assert error["extensions"] == {
        "code": "argumentLiteralsIncompatible",
        "typeName": "Field",
        "argumentName": "first",
    }
    error = await error_of(demo, "{ orders(first: 1, sortKey: NEWEST) { nodes { id } } }")
    assert error["extensions"]["argumentName"] == "sortKey"


async def test_unknown_argument(demo: Store) -> None:
    error = await error_of(demo, "{ orders(first: 1, limit: 5) { nodes { id } } }")
    assert error["message"] == "Field 'orders' doesn't accept argument 'limit'"
    assert error["extensions"]["code"] == "argumentNotAccepted"


async def test_object_without_selection(demo: Store) -> None:
    error = await error_of(demo, "{ shop }")
    assert error["message"].startswith("Field must have selections (field 'shop' returns Shop")
    assert error["extensions"]["code"] == "selectionMismatch"


async def test_parse_error(demo: Store) -> None:
    error = await error_of(demo, "{ shop { name }")
    assert error["message"] == "Parse error on end of file at [1, 16]"
    error = await error_of(demo, "{ shop { name } } }")
    assert error["message"] == 'Parse error on "}" (RCURLY) at [1, 19]'


async def test_variables(demo: Store) -> None:
    query = "query Q($first: Int!) { orders(first: $first) { nodes { name } } }"
    reply = await demo.gql(query, {})
    assert reply.body["errors"][0]["message"] == (
        "Variable $first of type Int! was provided invalid value"
    )
    assert reply.body["errors"][0]["extensions"]["problems"] == [
        {"path": [], "explanation": "Expected value to not be null"}
    ]
    assert "data" not in reply.body
    error = await error_of(demo, "query Q { orders(first: $n) { nodes { name } } }")
    assert error["message"] == "Variable $n is used by Q but not declared"
    assert error["extensions"]["code"] == "variableNotDefined"


async def test_a_connection_needs_first_or_last(demo: Store) -> None:
    reply = await demo.gql('{ orders(query: "name:#2001") { nodes { name } } }')
    assert reply.body["data"] is None
    assert reply.body["errors"] == [
        {
            "message": "you must provide one of first or last",
            "locations": [{"line": 1, "column": 3}],
            "path": ["orders"],
            "extensions": {"code": "BAD_REQUEST"},
        }
    ]
    reply = await demo.gql("{ orders(first: 1, last: 1) { nodes { name } } }")
    assert reply.body["errors"][0]["message"] == "providing both first and last is not supported"
    reply = await demo.gql(
        '{ order(id: "gid://shopify/Order/6600000001") { lineItems { nodes { title } } } }'
    )
    assert reply.body["errors"][0]["message"] == "you must provide one of first or last"
    assert reply.body["errors"][0]["path"] == ["order", "lineItems"]


async def test_more_than_250_is_refused(demo: Store) -> None:
    reply = await demo.gql("{ orders(first: 251) { nodes { name } } }")
    assert reply.body["data"] is None
    error = reply.body["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "250" in error["message"]
    # Nothing came back, so almost everything requested is refunded.
    assert reply.cost["requestedQueryCost"] == 253
    assert reply.cost["actualQueryCost"] == 0
