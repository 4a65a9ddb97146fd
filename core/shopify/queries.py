"""The GraphQL documents the Shopify client sends. Values always travel as variables, never
spliced into the document: an order number or email typed by a customer cannot change
what is queried."""

from __future__ import annotations

# The Admin API version these documents are written for and tested against (Shopify's own
# schema of it: tests/shopify/test_real_schema.py). An integration may ask for another
# (IntegrationRow.api_version); this is the one it gets when it does not. Shopify supports
# each quarterly version for 12 months, then answers in its oldest supported one instead.
DEFAULT_API_VERSION = "2026-10"

# Sized for a WISMO answer and for the store's budget: Shopify charges by the *requested*
# shape (about 30 points an order here), so every `first:` below is as small as the answer
# allows. A store's bucket restores ~100 points/s on the standard plan.
ORDER_FIELDS = """
  id
  name
  email
  phone
  createdAt
  processedAt
  cancelledAt
  cancelReason
  displayFinancialStatus
  displayFulfillmentStatus
  statusPageUrl
  shippingAddress { name city provinceCode zip countryCodeV2 phone }
  lineItems(first: 5) { nodes { title quantity sku } }
  fulfillments(first: 3) {
    id
    name
    status
    displayStatus
    createdAt
    inTransitAt
    estimatedDeliveryAt
    deliveredAt
    trackingInfo(first: 2) { company number url }
    events(first: 2, sortKey: HAPPENED_AT, reverse: true) {
      nodes { status happenedAt message city province country }
    }
  }
"""

# `query` is Shopify's search syntax, e.g. `name:"#1001"` or `email:"ava@example.com"`.
ORDERS_QUERY = (
    """
query FlowyteOrders($query: String!, $first: Int!) {
  shop { name ianaTimezone currencyCode myshopifyDomain }
  orders(first: $first, query: $query, sortKey: PROCESSED_AT, reverse: true) {
    nodes {"""
    + ORDER_FIELDS
    + """    }
  }
}
"""
)

# A connection check: who the store is, and whether the app may read what a lookup reads:
# orders (the read_orders scope) and the protected customer data verification compares
# (Shopify's approval for email, phone and address). One order's fields are asked for that
# alone; the client keeps none of them. And the scopes the app was granted: without
# read_all_orders Shopify shows only the last 60 days of orders. A few points of budget.
CHECK_QUERY = """
query FlowyteCheck {
  shop { name myshopifyDomain }
  orders(first: 1) { nodes { id email phone shippingAddress { zip } } }
  currentAppInstallation { accessScopes { handle } }
}
"""
