"""What can go wrong when we ask a merchant's store about an order, in two voices.

Each outcome carries:
- `customer_line`: the id of the one short sentence the agent says, in each language pack's
  lines (core/engine/packs/). It names no internals (no status codes, no "token", no "API")
  and promises nothing we cannot do.
- `integration_status`: what the merchant's integration should now show (the strings of
  IntegrationRow.status), or None when the outcome says nothing about the integration.
- `merchant_message`: what the merchant is told, in the integration's status and the
  prepublish report: what is wrong and what to do, by `reason` (MERCHANT_WORDS).
- `message` / `reason`: ours, for logs and gRPC (via the DomainError base). Never a
  credential, never a response body.

An order that does not exist is not an outcome: the lookup simply returns no orders.
"""

from __future__ import annotations

from .errors import DomainError, FailedPrecondition, Unavailable

CONNECTED = "connected"
NEEDS_CREDENTIAL = "needs_credential"
UNAVAILABLE = "unavailable"
MISCONFIGURED = "misconfigured"


class StoreOutcome(DomainError):
    customer_line: str = "store.cant_look_up"
    integration_status: str | None = None
    default_reason = "STORE_ERROR"

    def __init__(self, message: str, reason: str | None = None):
        DomainError.__init__(self, message, reason or self.default_reason)

    @property
    def merchant_message(self) -> str:
        return merchant_words(self.reason)


class StoreCredentialRejected(StoreOutcome, FailedPrecondition):
    """401 (after one client-credentials refresh), or the token exchange refused: the merchant
    has to reconnect the store."""

    integration_status = NEEDS_CREDENTIAL
    default_reason = "STORE_CREDENTIAL_REJECTED"


class StoreUnavailable(StoreOutcome, FailedPrecondition):
    """402 (store frozen for payment), 423 (store locked) or, reason SHOP_INACTIVE, the
    GraphQL error SHOP_INACTIVE: the store itself is closed to apps until the merchant (or
    Shopify) acts."""

    customer_line = "store.unavailable"
    integration_status = UNAVAILABLE
    default_reason = "STORE_UNAVAILABLE"


class StoreMisconfigured(StoreOutcome, FailedPrecondition):
    """403 (the app lacks a scope such as read_orders) or 404 (no such shop, wrong API base
    URL or version): the connection is set up wrong."""

    integration_status = MISCONFIGURED
    default_reason = "STORE_MISCONFIGURED"


class StoreAccessDenied(StoreMisconfigured):
    """The GraphQL error ACCESS_DENIED (with HTTP 200): the app lacks an access scope a
    lookup needs (read_orders), or, reason CUSTOMER_DATA_DENIED, Shopify's approval to read
    protected customer data (an order's email, phone and address), without which no customer
    can be verified. The merchant's to fix; never "no such order" to the customer."""

    default_reason = "STORE_ACCESS_DENIED"


CUSTOMER_DATA_DENIED = "STORE_CUSTOMER_DATA_DENIED"
SHOP_INACTIVE = "STORE_SHOP_INACTIVE"


class StoreTemporarilyUnavailable(StoreOutcome, Unavailable):
    """Timeouts, dropped connections and 5xx that outlived their retries, throttling that
    outlived its retries, or the shop's circuit being open: likely to pass by itself."""

    customer_line = "store.trouble_reaching"
    integration_status = UNAVAILABLE
    default_reason = "STORE_TEMPORARILY_UNAVAILABLE"


class StoreProtocolError(StoreOutcome, Unavailable):
    """The store answered something we did not expect (a GraphQL error we do not handle, a
    body that is not the shape we asked for). Our problem or Shopify's, not the merchant's,
    so the integration's status is left alone."""

    customer_line = StoreTemporarilyUnavailable.customer_line
    integration_status = None
    default_reason = "STORE_PROTOCOL_ERROR"


class StoreNotConnected(StoreOutcome, FailedPrecondition):
    """The organization has no Shopify integration (or it was disconnected mid-conversation)."""

    integration_status = None
    default_reason = "INTEGRATION_NOT_CONNECTED"


# What the merchant is told, by reason: in the integration's status (statusMessage) and in the
# prepublish report. Each says what is wrong and what to do; none names a credential.
MERCHANT_WORDS: dict[str, str] = {
    "STORE_CREDENTIAL_REJECTED": (
        "The store rejected the credentials: connect the store again with a current access token."
    ),
    "STORE_CREDENTIAL_UNREADABLE": (
        "The stored credentials can no longer be opened: connect the store again."
    ),
    "STORE_MISCONFIGURED": (
        "The store refused the order query: check the shop domain and that the app may read "
        "orders (read_orders)."
    ),
    "STORE_ACCESS_DENIED": (
        "Shopify denied the app access to orders: give the app the read_orders access scope "
        "(reinstall it with that scope), then check again."
    ),
    CUSTOMER_DATA_DENIED: (
        "Shopify has not approved the app to read protected customer data (an order's "
        "email, phone and address), which verifying a customer needs: request that access "
        "for the app in Shopify, then check again."
    ),
    "STORE_UNAVAILABLE": (
        "The store is closed to apps (frozen or locked), so customers will hear that their "
        "order can't be checked."
    ),
    SHOP_INACTIVE: (
        "Shopify reports the shop as inactive, so customers will hear that their order can't "
        "be checked: see the store's admin or Shopify support."
    ),
    "STORE_TEMPORARILY_UNAVAILABLE": "The store could not be reached; lookups fail until it can.",
    "STORE_CIRCUIT_OPEN": "The store failed repeatedly; lookups pause and try again shortly.",
    "STORE_THROTTLED": "The store's query budget ran out; lookups fail until it refills.",
    "INTEGRATION_NOT_CONNECTED": "No store is connected.",
}
_NOT_SHOPIFY = "The store's answer was not one Shopify sends."


def merchant_words(reason: str) -> str:
    return MERCHANT_WORDS.get(reason, _NOT_SHOPIFY)
