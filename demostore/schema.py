"""The slice of Shopify's Admin GraphQL schema the demo store serves, with the same type,
field, argument and enum names, and resolvers over the in-memory store.

Everything here is as Admin API 2026-10 has it: types, nullability, arguments and their
defaults, enum values and deprecations (tests/demostore/test_real_schema.py compares it with
Shopify's published schema). What Shopify has and the demo does not is left out, so a query
using it is refused here rather than answered wrongly.

The schema is rebuilt when the data brings an enum value Shopify has not published (yet), so
such a value is served rather than refused (see enums.py).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo, GraphQLSchema, build_schema

from demostore.access import (
    access_of,
    access_scopes,
    require_customer_data,
    require_scope,
)
from demostore.data import StoreData
from demostore.enums import DEPRECATED, SHOPIFY_ENUMS
from demostore.pagination import connection
from demostore.search import parse_query, updated_at
from demostore.store_file import Json, gid_number, order_number, parse_time

CONNECTION_ARGS = "first: Int, after: String, last: Int, before: String, reverse: Boolean = false"

SDL = f"""
\"\"\"An ISO-8601 encoded UTC date time string, e.g. 2019-09-07T15:50:00Z.\"\"\"
scalar DateTime

\"\"\"An RFC 3986 and RFC 3987 compliant URI string.\"\"\"
scalar URL

schema {{ query: QueryRoot }}

\"\"\"The schema's entry point for queries.\"\"\"
type QueryRoot {{
  \"\"\"The shop the access token belongs to.\"\"\"
  shop: Shop!
  \"\"\"Orders placed in the store, searchable with Shopify's search syntax.\"\"\"
  orders({CONNECTION_ARGS}, sortKey: OrderSortKeys = PROCESSED_AT, query: String,
    savedSearchId: ID):
    OrderConnection!
  \"\"\"An order by its global id.\"\"\"
  order(id: ID!): Order
  \"\"\"The calling app's installation on the shop: the access scopes it was granted.\"\"\"
  currentAppInstallation: AppInstallation!
}}

type AppInstallation {{
  accessScopes: [AccessScope!]!
}}

type AccessScope {{
  description: String!
  handle: String!
}}

type Shop {{
  name: String!
  ianaTimezone: String!
  currencyCode: CurrencyCode!
  myshopifyDomain: String!
}}

type PageInfo {{
  hasNextPage: Boolean!
  hasPreviousPage: Boolean!
  startCursor: String
  endCursor: String
}}

type OrderConnection {{
  edges: [OrderEdge!]!
  nodes: [Order!]!
  pageInfo: PageInfo!
}}

type OrderEdge {{
  cursor: String!
  node: Order!
}}

type Order {{
  id: ID!
  name: String!
  email: String
  phone: String
  createdAt: DateTime!
  processedAt: DateTime!
  updatedAt: DateTime!
  cancelledAt: DateTime
  cancelReason: OrderCancelReason
  displayFinancialStatus: OrderDisplayFinancialStatus
  displayFulfillmentStatus: OrderDisplayFulfillmentStatus!
  statusPageUrl: URL!
  shippingAddress: MailingAddress
  lineItems({CONNECTION_ARGS}): LineItemConnection!
  fulfillments(first: Int): [Fulfillment!]!
}}

type LineItem {{
  title: String!
  quantity: Int!
  sku: String
}}

type LineItemConnection {{
  edges: [LineItemEdge!]!
  nodes: [LineItem!]!
  pageInfo: PageInfo!
}}

type LineItemEdge {{
  cursor: String!
  node: LineItem!
}}

type MailingAddress {{
  name: String
  firstName: String
  lastName: String
  company: String
  address1: String
  address2: String
  city: String
  province: String
  provinceCode: String
  zip: String
  country: String
  countryCodeV2: CountryCode
  phone: String
}}

type Fulfillment {{
  id: ID!
  name: String!
  status: FulfillmentStatus!
  displayStatus: FulfillmentDisplayStatus
  createdAt: DateTime!
  inTransitAt: DateTime
  estimatedDeliveryAt: DateTime
  deliveredAt: DateTime
  trackingInfo(first: Int): [FulfillmentTrackingInfo!]!
  events({CONNECTION_ARGS}, sortKey: FulfillmentEventSortKeys = HAPPENED_AT):
    FulfillmentEventConnection!
}}

type FulfillmentTrackingInfo {{
  company: String
  number: String
  url: URL
}}

type FulfillmentEvent {{
  status: FulfillmentEventStatus!
  happenedAt: DateTime!
  message: String
  city: String
  province: String
  country: String
  zip: String
  address1: String
  estimatedDeliveryAt: DateTime
}}

type FulfillmentEventConnection {{
  edges: [FulfillmentEventEdge!]!
  nodes: [FulfillmentEvent!]!
  pageInfo: PageInfo!
}}

type FulfillmentEventEdge {{
  cursor: String!
  node: FulfillmentEvent!
}}
"""


def _enum_sdl(name: str, values: tuple[str, ...]) -> str:
    reasons = DEPRECATED.get(name, {})
    lines = "".join(
        f"  {v} @deprecated(reason: {json.dumps(reasons[v])})\n" if v in reasons else f"  {v}\n"
        for v in values
    )
    return f"enum {name} {{\n{lines}}}\n"


def build_store_schema(
    extra_enum_values: Mapping[str, tuple[str, ...]] | None = None,
) -> GraphQLSchema:
    """Shopify's types, with each enum widened by the extra values the data holds."""
    extras = extra_enum_values or {}
    enums = "".join(
        _enum_sdl(name, tuple(dict.fromkeys((*values, *extras.get(name, ())))))
        for name, values in SHOPIFY_ENUMS.items()
    )
    schema = build_schema(SDL + enums)
    _attach(schema, "QueryRoot", "shop", _resolve_shop)
    _attach(schema, "QueryRoot", "orders", _resolve_orders)
    _attach(schema, "QueryRoot", "order", _resolve_order)
    _attach(schema, "QueryRoot", "currentAppInstallation", _resolve_app_installation)
    for field in ("email", "phone", "shippingAddress"):
        _attach(schema, "Order", field, _resolve_customer_data)
    _attach(schema, "Order", "updatedAt", _resolve_updated_at)
    _attach(schema, "Order", "lineItems", _resolve_line_items)
    _attach(schema, "Order", "fulfillments", _resolve_fulfillments)
    _attach(schema, "Fulfillment", "trackingInfo", _resolve_tracking_info)
    _attach(schema, "Fulfillment", "events", _resolve_events)
    return schema


def _attach(schema: GraphQLSchema, type_name: str, field_name: str, resolver: Any) -> None:
    type_ = schema.get_type(type_name)
    fields = getattr(type_, "fields", None)
    assert fields is not None and field_name in fields, (type_name, field_name)
    fields[field_name].resolve = resolver


# ---------------------------------------------------------------------------------------------
# resolvers


def _store(info: GraphQLResolveInfo) -> StoreData:
    store: StoreData = info.context["store"]
    return store


# Without read_all_orders, Shopify shows an app only the orders of the last 60 days.
RECENT_ORDERS = timedelta(days=60)


def _visible_orders(info: GraphQLResolveInfo) -> list[Json]:
    """The orders this app may see: all of them with read_all_orders, else the recent ones
    (by the store's clock)."""
    store = _store(info)
    if access_of(info).has("read_all_orders"):
        return store.orders
    since = store.clock.now() - RECENT_ORDERS
    return [o for o in store.orders if parse_time(o["createdAt"]) >= since]


def _resolve_shop(_root: Any, info: GraphQLResolveInfo) -> Json:
    return _store(info).shop


def _order_sort_value(order: Json, key: str) -> Any:
    address = order.get("shippingAddress") or {}
    if key in ("PROCESSED_AT",):
        return parse_time(order["processedAt"]).timestamp()
    if key == "CREATED_AT":
        return parse_time(order["createdAt"]).timestamp()
    if key == "UPDATED_AT":
        return updated_at(order).timestamp()
    if key == "ORDER_NUMBER":
        number = order_number(order["name"])
        return int(number) if number.isdigit() else gid_number(order["id"])
    if key == "CUSTOMER_NAME":
        return (address.get("name") or "").lower()
    if key == "DESTINATION":
        return f"{address.get('countryCodeV2') or ''} {address.get('city') or ''}".lower()
    if key == "FINANCIAL_STATUS":
        return order.get("displayFinancialStatus") or ""
    if key == "FULFILLMENT_STATUS":
        return order.get("displayFulfillmentStatus") or ""
    if key == "TOTAL_ITEMS_QUANTITY":
        return sum(item["quantity"] for item in order["lineItems"]["nodes"])
    return gid_number(order["id"])  # ID, RELEVANCE, and the price keys the data lacks


def _cursor_value(value: Any) -> Any:
    return value if isinstance(value, str | int) else str(value)


def _resolve_orders(_root: Any, info: GraphQLResolveInfo, **args: Any) -> Json:
    require_scope(info, "read_orders")
    query = parse_query(args.get("query"))
    if query.warnings:
        info.context["search"].append(
            {
                "path": [str(p) for p in info.path.as_list()],
                "query": query.text,
                "parsed": query.parsed,
                "warnings": query.warnings,
            }
        )
    key = args["sortKey"]  # PROCESSED_AT when not given, as on Shopify
    matches = [o for o in _visible_orders(info) if query.matches(o)]
    matches.sort(key=lambda o: (_order_sort_value(o, key), gid_number(o["id"])))
    if args.get("reverse"):
        matches.reverse()
    return connection(
        matches,
        args,
        info.field_name,
        lambda o: (gid_number(o["id"]), _cursor_value(_order_sort_value(o, key))),
    )


def _resolve_order(_root: Any, info: GraphQLResolveInfo, id: str) -> Json | None:
    require_scope(info, "read_orders")
    if not id.startswith("gid://"):
        raise GraphQLError(f"Invalid global id '{id}'", extensions={"code": "BAD_REQUEST"})
    return next((o for o in _visible_orders(info) if o["id"] == id), None)


def _resolve_app_installation(_root: Any, info: GraphQLResolveInfo) -> Json:
    # Needs no scope: any app may ask what it was granted.
    return {"accessScopes": access_scopes(access_of(info))}


def _resolve_customer_data(order: Json, info: GraphQLResolveInfo) -> Any:
    require_customer_data(info)
    return order.get(info.field_name)


def _resolve_updated_at(order: Json, _info: GraphQLResolveInfo) -> str:
    stamp = order.get("updatedAt")
    return stamp if isinstance(stamp, str) else updated_at(order).strftime("%Y-%m-%dT%H:%M:%SZ")


def _positional(items: list[Json], args: dict[str, Any], field_name: str) -> Json:
    """A connection over a stored list, cursors by position (the data has no ids for these)."""
    indexed = list(enumerate(items, start=1))
    if args.get("reverse"):
        indexed.reverse()
    page = connection(indexed, args, field_name, lambda pair: (pair[0], pair[0]))
    nodes = [item for _, item in page["nodes"]]
    edges = [{"cursor": e["cursor"], "node": e["node"][1]} for e in page["edges"]]
    return {"edges": edges, "nodes": nodes, "pageInfo": page["pageInfo"]}


def _resolve_line_items(order: Json, info: GraphQLResolveInfo, **args: Any) -> Json:
    return _positional(order["lineItems"]["nodes"], args, info.field_name)


def _truncate(items: list[Json], first: int | None) -> list[Json]:
    return items if first is None else items[: max(first, 0)]


def _resolve_fulfillments(order: Json, _info: GraphQLResolveInfo, **args: Any) -> list[Json]:
    return _truncate(order["fulfillments"], args.get("first"))


def _resolve_tracking_info(fulfillment: Json, _info: GraphQLResolveInfo, **args: Any) -> list[Json]:
    return _truncate(fulfillment["trackingInfo"], args.get("first"))


def _resolve_events(fulfillment: Json, info: GraphQLResolveInfo, **args: Any) -> Json:
    events = list(fulfillment["events"]["nodes"])
    if args["sortKey"] == "HAPPENED_AT":  # the default, as on Shopify; ID: as stored
        order = sorted(range(len(events)), key=lambda i: (parse_time(events[i]["happenedAt"]), i))
    else:
        order = list(range(len(events)))
    indexed = [(i + 1, events[i]) for i in order]
    if args.get("reverse"):
        indexed.reverse()
    page = connection(indexed, args, info.field_name, lambda pair: (pair[0], pair[0]))
    return {
        "edges": [{"cursor": e["cursor"], "node": e["node"][1]} for e in page["edges"]],
        "nodes": [item for _, item in page["nodes"]],
        "pageInfo": page["pageInfo"],
    }
