"""One HTTP exchange with a store, and what its answer means.

Each call either returns what was asked for or raises exactly one of:
- `Throttled`: HTTP 429 or the GraphQL error code THROTTLED (retry after a wait);
- `Unauthorized`: HTTP 401 (a client-credentials integration may refresh its token once);
- `Transient`: a timeout, a dropped or refused connection, a 5xx, a truncated body (retry);
- a `StoreOutcome` from core.domain.store_errors, which retrying will not change (HTTP
  402/403/404/423, or a GraphQL ACCESS_DENIED or SHOP_INACTIVE answered with HTTP 200).

Nothing raised here carries a credential or a response body: messages name the HTTP status
or the GraphQL error code, no more.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from core import jsontext
from core.domain.store_errors import (
    CUSTOMER_DATA_DENIED,
    SHOP_INACTIVE,
    StoreAccessDenied,
    StoreMisconfigured,
    StoreProtocolError,
    StoreUnavailable,
)

from .backoff import retry_after_seconds
from .connection import StoreConnection
from .limiter import QueryCost

# Bodies bigger than this are not an answer to our query.
MAX_BODY_BYTES = 8 * 1024 * 1024

# Order fields Shopify guards as protected customer data: an app reads them only once Shopify
# has approved it to, whatever its scopes. An ACCESS_DENIED on one of these is that approval.
_CUSTOMER_DATA_FIELDS = frozenset({"email", "phone", "shippingAddress", "billingAddress"})

# What an `X-Shopify-API-Version` header may hold; anything else is not kept.
_API_VERSION = re.compile(r"^(\d{4}-\d{2}|unstable)$")


class Throttled(Exception):
    def __init__(self, cost: QueryCost, retry_after: float | None):
        super().__init__("throttled by the store")
        self.cost = cost
        self.retry_after = retry_after


class Unauthorized(Exception):
    def __init__(self) -> None:
        super().__init__("the store rejected the access token (HTTP 401)")


class Transient(Exception):
    pass


@dataclass(frozen=True)
class GraphQLAnswer:
    data: Mapping[str, Any]
    cost: QueryCost
    # The Admin API version the store answered in (X-Shopify-API-Version), if it said.
    api_version: str | None = None


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: float | None

    def __repr__(self) -> str:
        return f"IssuedToken(<redacted>, expires_in={self.expires_in})"


def _timeout(connect: float, total: float) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(total=total, sock_connect=connect, connect=connect)


async def post_graphql(
    session: aiohttp.ClientSession,
    conn: StoreConnection,
    token: str,
    document: str,
    variables: Mapping[str, Any],
    *,
    connect_timeout: float,
    total_timeout: float,
) -> GraphQLAnswer:
    status, headers, body = await _post(
        session,
        conn.graphql_url,
        {"X-Shopify-Access-Token": token},
        {"query": document, "variables": dict(variables)},
        _timeout(connect_timeout, total_timeout),
    )
    parsed = _json(body)
    cost = QueryCost.from_body(parsed)
    if status == 200:
        return _graphql_answer(parsed, cost, headers)
    if status == 429:
        raise Throttled(cost, retry_after_seconds(headers.get("Retry-After")))
    raise _status_error(status, "the GraphQL endpoint")


async def exchange_client_credentials(
    session: aiohttp.ClientSession,
    conn: StoreConnection,
    *,
    connect_timeout: float,
    total_timeout: float,
) -> IssuedToken:
    """`POST {base}/admin/oauth/access_token` with the client-credentials grant."""
    creds = conn.credentials
    status, headers, body = await _post(
        session,
        conn.token_url,
        {},
        {
            "client_id": creds.client_id,
            "client_secret": creds.client_secret,
            "grant_type": "client_credentials",
        },
        _timeout(connect_timeout, total_timeout),
    )
    if status == 200:
        parsed = _json(body)
        token = parsed.get("access_token") if isinstance(parsed, Mapping) else None
        if not isinstance(token, str) or not token:
            raise StoreProtocolError("the token endpoint answered without an access token")
        expires = parsed.get("expires_in") if isinstance(parsed, Mapping) else None
        expires_in = float(expires) if isinstance(expires, int | float) and expires > 0 else None
        return IssuedToken(token, expires_in)
    if status in (400, 401):
        # The client id or secret is wrong, or the app is no longer installed.
        raise Unauthorized()
    if status == 429:
        wait = retry_after_seconds(headers.get("Retry-After"))
        raise Throttled(QueryCost(None, None, None), wait)
    raise _status_error(status, "the token endpoint")


async def _post(
    session: aiohttp.ClientSession,
    url: str,
    headers: Mapping[str, str],
    payload: Mapping[str, Any],
    limits: aiohttp.ClientTimeout,
) -> tuple[int, Mapping[str, str], bytes]:
    try:
        async with session.post(
            url,
            data=jsontext.dump_bytes(payload),
            headers={"Accept": "application/json", "Content-Type": "application/json", **headers},
            timeout=limits,
            allow_redirects=False,
        ) as response:
            if (response.content_length or 0) > MAX_BODY_BYTES:
                raise StoreProtocolError("the store's answer was too large")
            chunks, size = [], 0
            async for chunk in response.content.iter_chunked(64 * 1024):
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise StoreProtocolError("the store's answer was too large")
                chunks.append(chunk)
            return response.status, response.headers, b"".join(chunks)
    except TimeoutError:
        raise Transient("timed out") from None
    except aiohttp.ClientPayloadError:
        raise Transient("the connection dropped mid-answer") from None
    except aiohttp.ClientConnectionError as error:
        raise Transient(f"connection failed ({type(error).__name__})") from None


def _json(body: bytes) -> Any:
    try:
        return jsontext.loads_lenient(body) if body else None
    except (ValueError, UnicodeDecodeError):
        return None


def answered_version(headers: Mapping[str, str]) -> str | None:
    """The version Shopify says it answered in: it may differ from the one asked for (an
    unsupported version is served by the oldest supported one)."""
    value = headers.get("X-Shopify-API-Version", "").strip()
    return value if _API_VERSION.match(value) else None


def _graphql_answer(parsed: Any, cost: QueryCost, headers: Mapping[str, str]) -> GraphQLAnswer:
    if not isinstance(parsed, Mapping):
        raise StoreProtocolError("the store answered 200 without a JSON object")
    errors = parsed.get("errors")
    if errors:
        # Any error fails the whole answer, even beside data: a field the store withheld
        # comes back null, and a null email must never read as "not this customer's order".
        codes = _error_codes(errors)
        if "THROTTLED" in codes:
            raise Throttled(cost, retry_after_seconds(headers.get("Retry-After")))
        if "SHOP_INACTIVE" in codes:
            raise StoreUnavailable("the store reported SHOP_INACTIVE", SHOP_INACTIVE)
        if "ACCESS_DENIED" in codes:
            if _denied_fields(errors) & _CUSTOMER_DATA_FIELDS:
                raise StoreAccessDenied(
                    "the app may not read protected customer data (ACCESS_DENIED)",
                    CUSTOMER_DATA_DENIED,
                )
            raise StoreAccessDenied("the app lacks access the order query needs (ACCESS_DENIED)")
        if "INTERNAL_SERVER_ERROR" in codes:
            raise Transient("the store reported an internal error")
        shown = ", ".join(sorted(codes)) or "no code"
        raise StoreProtocolError(f"the store answered with GraphQL errors ({shown})")
    data = parsed.get("data")
    if not isinstance(data, Mapping):
        raise StoreProtocolError("the store answered without data")
    return GraphQLAnswer(data, cost, answered_version(headers))


def _error_codes(errors: Any) -> set[str]:
    codes = set()
    if isinstance(errors, list):
        for error in errors:
            extensions = error.get("extensions") if isinstance(error, Mapping) else None
            code = extensions.get("code") if isinstance(extensions, Mapping) else None
            if isinstance(code, str):
                codes.add(code[:64])
            elif isinstance(error, Mapping) and error.get("message") == "Throttled":
                codes.add("THROTTLED")
    return codes


def _denied_fields(errors: Any) -> set[str]:
    """The field names on the paths of the ACCESS_DENIED errors."""
    names: set[str] = set()
    for error in errors if isinstance(errors, list) else ():
        if not isinstance(error, Mapping) or not isinstance(error.get("path"), list):
            continue
        extensions = error.get("extensions")
        if isinstance(extensions, Mapping) and extensions.get("code") == "ACCESS_DENIED":
            names.update(part for part in error["path"] if isinstance(part, str))
    return names


def _status_error(status: int, where: str) -> Exception:
    if status == 401:
        return Unauthorized()
    if status in (402, 423):
        return StoreUnavailable(f"{where} answered HTTP {status}: the store is frozen or locked")
    if status in (403, 404):
        return StoreMisconfigured(f"{where} answered HTTP {status}")
    if status >= 500 or status in (408, 420):
        return Transient(f"{where} answered HTTP {status}")
    return StoreProtocolError(f"{where} answered HTTP {status}")
