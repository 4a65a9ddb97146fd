"""A per-shop circuit breaker: after `threshold` lookups in a row fail for transport reasons
(timeouts, dropped connections, 5xx after their retries), stop calling that store for
`cooldown` seconds and answer at once instead of making every caller wait out the timeouts.
After the cool-down one trial call goes through (half-open); its success closes the circuit,
its failure opens it again.

Only transport failures count. A store that answers, even with 401 or 423, is reachable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitOpen(Exception):
    def __init__(self, retry_in: float):
        super().__init__(f"circuit open; next trial in {retry_in:.1f}s")
        self.retry_in = retry_in


class CircuitBreaker:
    def __init__(
        self, threshold: int, cooldown: float, clock: Callable[[], float] = time.monotonic
    ):
        self.threshold = max(1, threshold)
        self.cooldown = cooldown
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_running = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at >= self.cooldown:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def before_call(self) -> None:
        """Raise CircuitOpen unless a call may go out now."""
        state = self.state
        if state is BreakerState.CLOSED:
            return
        if state is BreakerState.HALF_OPEN and not self._trial_running:
            self._trial_running = True
            return
        assert self._opened_at is not None
        raise CircuitOpen(max(0.0, self._opened_at + self.cooldown - self._clock()))

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._trial_running = False

    def record_failure(self) -> None:
        self._failures += 1
        if self._trial_running or self._failures >= self.threshold:
            self._opened_at = self._clock()
        self._trial_running = False

    def record_abandoned(self) -> None:
        """The call ended without telling us anything (cancelled): let another trial go."""
        self._trial_running = False
