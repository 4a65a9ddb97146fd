"""What an app may read, and Shopify's ACCESS_DENIED when it reads beyond that.

Shopify checks two things an app needs to read an order for a customer: its access scopes
(read_orders, granted at install) and, for protected customer data (an order's email, phone
and addresses), Shopify's approval of the app. Both refusals are GraphQL errors with code
ACCESS_DENIED, answered with HTTP 200: the denied field is null, the rest of the answer is
there. The demo store's faults can take either away (`scopes`, `customerDataDenied`).
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import GraphQLError, GraphQLResolveInfo

ACCESS_SCOPES_DOC = "https://shopify.dev/api/usage/access-scopes"
CUSTOMER_DATA_DOC = "https://shopify.dev/docs/apps/launch/protected-customer-data"

# A write scope includes reading what it writes.
_IMPLIED = {"write_orders": "read_orders"}

# How Shopify describes the scopes an order-status app is granted (AccessScope.description).
_DESCRIPTIONS = {
    "read_orders": "Read orders, transactions, and fulfillments",
    "write_orders": "Modify orders, transactions, and fulfillments",
    "read_all_orders": "Read all orders, not only those of the last 60 days",
    "read_fulfillments": "Read fulfillment services",
    "read_customers": "Read customer details and customer groups",
}


@dataclass(frozen=True)
class Access:
    scopes: tuple[str, ...]
    customer_data: bool = True

    def has(self, scope: str) -> bool:
        return scope in self.scopes or any(_IMPLIED.get(held) == scope for held in self.scopes)


def access_scopes(access: Access) -> list[dict[str, str]]:
    """`currentAppInstallation.accessScopes`, as AccessScope objects."""
    return [
        {"handle": scope, "description": _DESCRIPTIONS.get(scope, scope)} for scope in access.scopes
    ]


def access_of(info: GraphQLResolveInfo) -> Access:
    access: Access = info.context["access"]
    return access


def require_scope(info: GraphQLResolveInfo, scope: str) -> None:
    """Refuses the field being resolved unless the app holds `scope`."""
    if access_of(info).has(scope):
        return
    raise GraphQLError(
        f"Access denied for {info.field_name} field. Required access: `{scope}` access scope.",
        extensions={
            "code": "ACCESS_DENIED",
            "documentation": ACCESS_SCOPES_DOC,
            "requiredAccess": f"`{scope}` access scope.",
        },
    )


def require_customer_data(info: GraphQLResolveInfo) -> None:
    """Refuses a protected customer data field unless Shopify approved the app for it."""
    if access_of(info).customer_data:
        return
    raise GraphQLError(
        f"This app is not approved to access the {info.parent_type.name} object's "
        f"{info.field_name} field. See {CUSTOMER_DATA_DOC} for more details.",
        extensions={"code": "ACCESS_DENIED", "documentation": CUSTOMER_DATA_DOC},
    )
