"""A per-shop query-cost budget, so we wait before Shopify would throttle us instead of
retrying after it did.

Shopify's GraphQL Admin API is a leaky bucket of cost points per app and store: a query runs
only if the bucket holds its requested cost, and the bucket refills at `restoreRate` points
a second up to `maximumAvailable`. Every response (throttled ones too) reports the bucket in
`extensions.cost.throttleStatus`; that, and nothing hard-coded about plans, drives this.

The estimate of what is available now is the last report plus what has been restored since,
capped at the maximum, minus the requested cost of our queries still in flight (the store may
already have charged some of them: counting them twice only makes us a little cautious). A
report that is higher than our own projection is taken as the projection (see `_observe`).

Before anything is known the limiter is optimistic: the first query goes out at once. Queries
that arrive while that first one is in flight wait for its answer (one round trip) rather than
stampede a bucket whose size nobody knows yet; if that answer carries no bucket report (a
401, a timeout), everyone goes out optimistically until one does.

Waiters are served in arrival order (an asyncio.Lock queues them), so a large query is not
starved by a stream of small ones.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from core.waiting import wait_event


@dataclass(frozen=True)
class ThrottleStatus:
    maximum_available: float
    currently_available: float
    restore_rate: float


@dataclass(frozen=True)
class QueryCost:
    requested: float | None
    actual: float | None
    throttle_status: ThrottleStatus | None

    @classmethod
    def from_body(cls, body: Any) -> QueryCost:
        """`extensions.cost` of a GraphQL response body; missing or malformed parts are None."""
        extensions = body.get("extensions") if isinstance(body, Mapping) else None
        cost = extensions.get("cost") if isinstance(extensions, Mapping) else None
        if not isinstance(cost, Mapping):
            return cls(None, None, None)
        status = cost.get("throttleStatus")
        throttle = None
        if isinstance(status, Mapping):
            values = [
                _number(status.get(k))
                for k in ("maximumAvailable", "currentlyAvailable", "restoreRate")
            ]
            maximum, current, rate = values
            if maximum is not None and current is not None and rate is not None:
                throttle = ThrottleStatus(maximum, current, rate)
        return cls(
            _number(cost.get("requestedQueryCost")), _number(cost.get("actualQueryCost")), throttle
        )


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


class BudgetExhausted(Exception):
    """The wait for enough budget would run past the caller's deadline."""

    def __init__(self, wait_seconds: float):
        super().__init__(f"query budget needs {wait_seconds:.1f}s more than the deadline allows")
        self.wait_seconds = wait_seconds


@dataclass
class Reservation:
    cost: float
    probe: bool
    settled: bool = False


class CostLimiter:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._status: ThrottleStatus | None = None
        self._observed_at = 0.0
        self._in_flight = 0.0
        self._paused_until = 0.0
        self._queue = asyncio.Lock()
        self._changed = asyncio.Event()
        self._probe: Reservation | None = None
        self._probe_failed = False
        # The last requested cost seen per query shape: what the next one will ask for.
        self._costs: dict[str, float] = {}

    @property
    def status(self) -> ThrottleStatus | None:
        return self._status

    def expected_cost(self, shape: str) -> float:
        if shape in self._costs:
            return self._costs[shape]
        return max(self._costs.values(), default=0.0)

    def available(self) -> float | None:
        """Points we estimate the bucket holds for us now; None before any report."""
        if self._status is None:
            return None
        return self._restored(self._clock()) - self._in_flight

    def _restored(self, now: float) -> float:
        """The last known level plus what has refilled since, capped at the maximum."""
        status = self._status
        assert status is not None
        elapsed = max(0.0, now - self._observed_at)
        return min(
            status.maximum_available,
            status.currently_available + status.restore_rate * elapsed,
        )

    def wait_for(self, cost: float) -> float:
        """Seconds until `cost` points should be available (0 when they are now)."""
        paused = max(0.0, self._paused_until - self._clock())
        status, available = self._status, self.available()
        if status is None or available is None:
            return paused
        need = min(cost, status.maximum_available)
        if available >= need:
            return paused
        if status.restore_rate <= 0:
            return max(paused, 1.0)
        return max(paused, (need - available) / status.restore_rate)

    async def acquire(
        self, shape: str, *, max_wait: float, cost: float | None = None
    ) -> Reservation:
        """Wait until a query of `shape` fits the estimated budget, then hold its cost until
        `settle`. The cost is what the last query of that shape requested (re-read after
        every wait: the probe's answer may be what first tells us), or `cost` if given.

        Raises BudgetExhausted, without waiting, when the wait would exceed `max_wait`."""
        deadline = self._clock() + max_wait
        async with self._queue:
            while True:
                needed = self.expected_cost(shape) if cost is None else cost
                if (
                    self._status is None
                    and not self._probe_failed
                    and self._paused_until <= self._clock()
                ):
                    if self._probe is None:
                        self._probe = self._reserve(needed, probe=True)
                        return self._probe
                    # Someone is learning the bucket's size: wait for their answer.
                    await self._wait_change(deadline - self._clock(), deadline)
                    continue
                wait = self.wait_for(needed)
                if wait <= 0:
                    return self._reserve(needed, probe=False)
                if self._clock() + wait > deadline:
                    raise BudgetExhausted(wait)
                # Woken early by any settle: a refund may make room sooner than the estimate.
                await self._wait_change(wait, deadline)

    def settle(self, reservation: Reservation, cost: QueryCost | None, shape: str = "") -> None:
        """Release a reservation with what its response said about the bucket (if anything).
        Safe to call twice."""
        if reservation.settled:
            return
        reservation.settled = True
        self._in_flight = max(0.0, self._in_flight - reservation.cost)
        if cost is not None:
            if cost.throttle_status is not None:
                self._observe(cost.throttle_status, cost.actual or 0.0)
            if cost.requested is not None and shape:
                self._costs[shape] = cost.requested
        if self._probe is reservation:
            self._probe = None
            # An answer without a bucket report (a 401, a timeout) taught nothing: stop
            # queueing behind probes, or a store that hangs would serialise every timeout.
            self._probe_failed = self._status is None
        self._notify()

    def _observe(self, reported: ThrottleStatus, actual: float) -> None:
        """Take the store's report, unless our own projection is lower. Answers to concurrent
        queries can arrive out of order, and an older report (taken before another of our
        queries was charged) would otherwise overstate the bucket. Our projection only ever
        errs low (it may count a query's cost twice), and it refills towards the maximum, so
        taking the lower of the two never overspends and never stays pessimistic for long."""
        now = self._clock()
        available = reported.currently_available
        if self._status is not None:
            available = min(available, self._restored(now) - actual)
        self._status = ThrottleStatus(
            reported.maximum_available, max(0.0, available), reported.restore_rate
        )
        self._observed_at = now

    def pause(self, seconds: float) -> None:
        """Hold every query to this shop for `seconds` (an HTTP 429's Retry-After)."""
        self._paused_until = max(self._paused_until, self._clock() + max(0.0, seconds))
        self._notify()

    def _reserve(self, cost: float, *, probe: bool) -> Reservation:
        self._in_flight += cost
        return Reservation(cost, probe)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, wait: float, deadline: float) -> None:
        timeout = min(wait, deadline - self._clock())
        if timeout <= 0:
            raise BudgetExhausted(wait)
        await wait_event(self._changed, timeout)
