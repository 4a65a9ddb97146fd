"""The Shopify GraphQL Admin API client: orders by name, within the shop's budget.

One lookup is: circuit check → token → wait for budget → POST → settle the budget with what
the response said → retry what is worth retrying → an answer or one StoreOutcome.

- THROTTLED / 429: at most `max_throttle_retries` retries, each after the wait the bucket's
  restore rate (or Retry-After) implies, plus jitter.
- 5xx, timeouts, dropped connections: at most `max_transient_retries` retries with jittered
  exponential backoff; when those run out the shop's circuit breaker counts a failure.
- 401: a client-credentials integration exchanges its credentials for a new token once and
  retries; otherwise, or if that fails, the credential is rejected.
- Identical concurrent lookups (same store, same search) share one request. Nothing is
  cached: the next lookup goes to the store again.

All per-shop state (budget, circuit, exchanged tokens) lives in this object, so make one per
process and keep it (OrderLookup does). The HTTP session comes from `session()`, which the
runtime owns and closes.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

import aiohttp

from core.domain.order_status import OrderStatus
from core.domain.prepublish import StoreCheck
from core.domain.store_errors import (
    StoreCredentialRejected,
    StoreOutcome,
    StoreProtocolError,
    StoreTemporarilyUnavailable,
)
from flowyte.deadlines import Deadlines

from . import search
from .backoff import jittered
from .breaker import CircuitBreaker, CircuitOpen
from .connection import StoreConnection
from .limiter import BudgetExhausted, CostLimiter
from .queries import CHECK_QUERY, ORDERS_QUERY
from .singleflight import SingleFlight
from .tokens import TokenCache
from .transport import (
    IssuedToken,
    Throttled,
    Transient,
    Unauthorized,
    exchange_client_credentials,
    post_graphql,
)

log = logging.getLogger(__name__)
T = TypeVar("T")


_WAITS = Deadlines()


@dataclass(frozen=True)
class ClientOptions:
    connect_timeout: float = 3.0
    # One HTTP attempt, connect to last byte. The timing values come from flowyte.deadlines,
    # where the frontends derive their own deadlines from them (use `within`).
    total_timeout: float = _WAITS.store_attempt
    # One whole lookup: budget waits, retries and backoff included.
    deadline: float = _WAITS.store_lookup
    max_throttle_retries: int = 3
    max_transient_retries: int = _WAITS.store_tries - 1
    backoff_base: float = 0.2
    backoff_cap: float = _WAITS.store_backoff_cap
    breaker_threshold: int = 5
    breaker_cooldown: float = 30.0
    # How many orders one search may return: names are unique but the search may be fuzzy,
    # and a customer's newest orders are the ones they ask about. Shopify charges (and must
    # have available) the *requested* cost, which grows with these: with ORDERS_QUERY about
    # 30 points an order, 3 orders ask ~93 points, inside even a 100-point bucket.
    name_page_size: int = 3

    @classmethod
    def within(cls, deadlines: Deadlines) -> ClientOptions:
        """The options whose waits are those `deadlines` promise the frontends."""
        return cls(
            connect_timeout=min(cls.connect_timeout, deadlines.store_attempt),
            total_timeout=deadlines.store_attempt,
            deadline=deadlines.store_lookup,
            max_transient_retries=deadlines.store_tries - 1,
            backoff_cap=deadlines.store_backoff_cap,
        )


@dataclass
class ShopState:
    limiter: CostLimiter
    breaker: CircuitBreaker
    # The Admin API version the store last answered in (None: it has not said yet).
    answered_version: str | None = None


@dataclass(frozen=True)
class OrdersPage:
    shop: Mapping[str, Any]
    orders: list[Mapping[str, Any]]


class ShopifyClient:
    def __init__(
        self,
        session: Callable[[], aiohttp.ClientSession],
        options: ClientOptions | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._session = session
        self.options = options or ClientOptions()
        self._clock = clock
        self._shops: dict[str, ShopState] = {}
        self._flights: SingleFlight[OrdersPage] = SingleFlight()
        self.tokens = TokenCache(clock)
        # For tests and metrics: HTTP requests sent to stores (GraphQL and token exchanges),
        # and how many answers were THROTTLED or 429 (the limiter exists to keep this at 0).
        self.requests_sent = 0
        self.throttled_answers = 0

    def __repr__(self) -> str:
        return f"ShopifyClient({len(self._shops)} shops)"

    def shop_state(self, key: str) -> ShopState:
        state = self._shops.get(key)
        if state is None:
            state = ShopState(
                CostLimiter(self._clock),
                CircuitBreaker(
                    self.options.breaker_threshold, self.options.breaker_cooldown, self._clock
                ),
            )
            self._shops[key] = state
        return state

    async def orders_by_name(self, conn: StoreConnection, name: str) -> list[OrderStatus]:
        """Orders whose name is exactly `name` ("#1001", "1001" and "#1001-A" accepted)."""
        if not search.order_name(name):
            return []
        page = await self.search_orders(
            conn, search.name_query(name), self.options.name_page_size, "name"
        )
        return [
            OrderStatus.from_shopify(order, page.shop)
            for order in page.orders
            if search.same_order_name(_text(order.get("name")), name)
        ]

    async def check(self, conn: StoreConnection) -> StoreCheck:
        """A connection check: the store's name, from a query that needs the access an
        order lookup needs (orders, and the customer data verification reads; the order's
        values are dropped unread), the API version asked for beside the one that answered,
        and the access scopes the app holds."""
        data = await self.execute(conn, CHECK_QUERY, {}, "check")
        shop = data.get("shop")
        if not isinstance(shop, Mapping) or not isinstance(data.get("orders"), Mapping):
            raise StoreProtocolError("the store's answer had no shop or orders")
        return StoreCheck(
            shop_name=_text(shop.get("name")) or conn.shop,
            api_version=conn.api_version,
            answered_api_version=self.answered_version(conn),
            access_scopes=_access_scopes(data.get("currentAppInstallation")),
        )

    def answered_version(self, conn: StoreConnection) -> str | None:
        """The Admin API version the store last answered this integration in."""
        state = self._shops.get(conn.key)
        return state.answered_version if state is not None else None

    async def search_orders(
        self, conn: StoreConnection, query: str, first: int, shape: str = ""
    ) -> OrdersPage:
        """One `orders(query:)` search, shared with any identical one already running."""
        key = (conn.key, conn.base_url, conn.api_version, conn.generation, query, first)
        return await self._flights.run(key, lambda: self._search(conn, query, first, shape))

    async def _search(
        self, conn: StoreConnection, query: str, first: int, shape: str
    ) -> OrdersPage:
        data = await self.execute(
            conn, ORDERS_QUERY, {"query": query, "first": first}, f"orders/{shape}/{first}"
        )
        shop = data.get("shop")
        orders = data.get("orders")
        nodes = orders.get("nodes") if isinstance(orders, Mapping) else None
        if not isinstance(nodes, list):
            raise StoreProtocolError("the store's answer had no orders list")
        return OrdersPage(
            shop if isinstance(shop, Mapping) else {},
            [n for n in nodes if isinstance(n, Mapping)],
        )

    async def execute(
        self, conn: StoreConnection, document: str, variables: Mapping[str, Any], shape: str
    ) -> Mapping[str, Any]:
        """Run one GraphQL document against the store, with budget, retries and breaker."""
        state = self.shop_state(conn.key)
        try:
            state.breaker.before_call()
        except CircuitOpen:
            log.warning("shopify %s: circuit open, not calling the store", conn.shop)
            raise StoreTemporarilyUnavailable(
                "the store failed repeatedly; its circuit is open", "STORE_CIRCUIT_OPEN"
            ) from None
        try:
            data = await self._within_deadline(
                self._execute(conn, state, document, variables, shape)
            )
        except _TransportGaveUp as gave_up:
            state.breaker.record_failure()
            log.warning("shopify %s: gave up after retries: %s", conn.shop, gave_up.detail)
            raise StoreTemporarilyUnavailable(
                f"the store did not answer: {gave_up.detail}"
            ) from None
        except StoreOutcome as outcome:
            # The store answered: it is reachable, whatever it said.
            state.breaker.record_success()
            log.warning("shopify %s: %s (%s)", conn.shop, outcome.reason, outcome.message)
            raise
        except BaseException:
            state.breaker.record_abandoned()
            raise
        state.breaker.record_success()
        return data

    async def _within_deadline(self, lookup: Awaitable[T]) -> T:
        """`lookup`, cut off at the lookup's deadline whatever it is waiting on (a token
        exchange included): the frontends' deadlines are derived from it and must hold."""
        try:
            async with asyncio.timeout(self.options.deadline):
                return await lookup
        except TimeoutError:
            raise _TransportGaveUp("no answer within the lookup's deadline") from None

    async def _execute(
        self,
        conn: StoreConnection,
        state: ShopState,
        document: str,
        variables: Mapping[str, Any],
        shape: str,
    ) -> Mapping[str, Any]:
        options, limiter = self.options, state.limiter
        deadline = self._clock() + options.deadline
        throttled = transient = 0
        refreshed = False
        token = await self._retrying(deadline, lambda: self.tokens.current(conn, self._exchange))
        while True:
            try:
                reservation = await limiter.acquire(
                    shape, max_wait=max(0.0, deadline - self._clock())
                )
            except BudgetExhausted:
                raise StoreTemporarilyUnavailable(
                    "the shop's query budget would not allow the lookup in time",
                    "STORE_THROTTLED",
                ) from None
            try:
                self.requests_sent += 1
                answer = await post_graphql(
                    self._session(),
                    conn,
                    token,
                    document,
                    variables,
                    connect_timeout=options.connect_timeout,
                    total_timeout=self._attempt_timeout(deadline),
                )
            except Throttled as signal:
                self.throttled_answers += 1
                # Settle first: the budget must not stay held while we back off.
                limiter.settle(reservation, signal.cost, shape)
                if throttled >= options.max_throttle_retries:
                    raise StoreTemporarilyUnavailable(
                        "the store kept throttling the lookup", "STORE_THROTTLED"
                    ) from None
                throttled += 1
                await self._after_throttle(limiter, signal, throttled, deadline)
            except Unauthorized:
                limiter.settle(reservation, None, shape)
                replacement = None
                if not refreshed:
                    refreshed = True
                    replacement = await self._retrying(
                        deadline, partial(self.tokens.refresh, conn, token, self._exchange)
                    )
                if replacement is None:
                    raise StoreCredentialRejected(
                        "the store rejected the credential (HTTP 401)"
                    ) from None
                token = replacement
            except Transient as signal:
                limiter.settle(reservation, None, shape)
                if transient >= options.max_transient_retries:
                    raise _TransportGaveUp(str(signal)) from None
                transient += 1
                await self._sleep_before_retry(transient, deadline, str(signal))
            else:
                limiter.settle(reservation, answer.cost, shape)
                if answer.api_version is not None:
                    state.answered_version = answer.api_version
                return answer.data
            finally:
                # Any other way out (a StoreOutcome, cancellation) releases the budget too.
                limiter.settle(reservation, None, shape)

    async def _exchange(self, conn: StoreConnection) -> IssuedToken:
        self.requests_sent += 1
        try:
            return await exchange_client_credentials(
                self._session(),
                conn,
                connect_timeout=self.options.connect_timeout,
                total_timeout=self.options.total_timeout,
            )
        except Unauthorized:
            raise StoreCredentialRejected(
                "the store refused the client credentials", "STORE_CREDENTIAL_REJECTED"
            ) from None

    async def _retrying(self, deadline: float, call: Callable[[], Any]) -> Any:
        """A token call with the same transient-retry rule as queries (exchanges are rare)."""
        attempt = 0
        while True:
            try:
                return await call()
            except (Transient, Throttled) as signal:
                detail = str(signal)
                if attempt >= self.options.max_transient_retries:
                    raise _TransportGaveUp(f"token exchange: {detail}") from None
                attempt += 1
                await self._sleep_before_retry(attempt, deadline, detail)

    async def _after_throttle(
        self, limiter: CostLimiter, signal: Throttled, attempt: int, deadline: float
    ) -> None:
        """The next `acquire` waits for the bucket to refill (the throttled response told the
        limiter its state) or for Retry-After (a pause); this only adds jitter so throttled
        callers do not return in lockstep, and backs off exponentially when the store said
        nothing about its bucket."""
        if signal.retry_after is not None:
            limiter.pause(signal.retry_after)
        if signal.cost.throttle_status is None and signal.retry_after is None:
            wait = jittered(self.options.backoff_base, attempt, self.options.backoff_cap)
        else:
            wait = random.uniform(0, self.options.backoff_base)
        if self._clock() + wait > deadline:
            raise StoreTemporarilyUnavailable(
                "the store's throttling would outlast the lookup", "STORE_THROTTLED"
            )
        await asyncio.sleep(wait)

    async def _sleep_before_retry(self, attempt: int, deadline: float, detail: str) -> None:
        wait = jittered(self.options.backoff_base, attempt - 1, self.options.backoff_cap)
        if self._clock() + wait >= deadline:
            raise _TransportGaveUp(detail)
        await asyncio.sleep(wait)

    def _attempt_timeout(self, deadline: float) -> float:
        return max(0.05, min(self.options.total_timeout, deadline - self._clock()))


class _TransportGaveUp(Exception):
    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _access_scopes(installation: Any) -> frozenset[str] | None:
    """The scope handles of `currentAppInstallation`, or None when the answer had none."""
    scopes = installation.get("accessScopes") if isinstance(installation, Mapping) else None
    if not isinstance(scopes, list):
        return None
    return frozenset(
        handle
        for scope in scopes
        if isinstance(scope, Mapping) and isinstance(handle := scope.get("handle"), str)
    )
