"""The Shopify engine: GraphQL Admin API client, per-shop budget, order status.

    lookup = OrderLookup(runtime)                  # one per runtime; keep it
    orders = await lookup.by_name(org_id, "#1001")  # list[OrderStatus], or a StoreOutcome

The outcomes (core.domain.store_errors) and OrderStatus (core.domain.order_status) are
domain types; this package is the I/O around them.
"""

from .client import ClientOptions, ShopifyClient
from .connection import StoreConnection, StoreCredentials
from .lookup import OrderLookup
from .queries import DEFAULT_API_VERSION, ORDERS_QUERY

__all__ = [
    "DEFAULT_API_VERSION",
    "ORDERS_QUERY",
    "ClientOptions",
    "OrderLookup",
    "ShopifyClient",
    "StoreConnection",
    "StoreCredentials",
]
