"""A failed verification answers when a store lookup usually has: whether the order exists
must not show in how long the answer took.

A wrong detail on a real order and any detail on a missing order take the same path (one
lookup, one comparison, one ledger claim), but the store itself answers a real order a
little later than an empty search (more to find, more to send, more to parse: 0.5 to 2 ms on
the demo store), and a guesser can average that out over many tries of a detail they already
know is wrong. So the answer to a failed attempt is held until the attempt has lasted what
the store's lookups usually take: a high quantile of the last lookups of the same store,
found or not, fixed when the attempt begins (so the attempt's own lookup cannot move it).
Below that, both kinds of failure answer at the same moment; only a lookup slower than
nearly all the recent ones still shows its own time. The wait is never longer than
CEILING_SECONDS.

One Pacer per store (organization), kept by the conversation service for the life of the
process; durations are monotonic (time.monotonic), not dates.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

SAMPLES = 64
QUANTILE = 0.9
CEILING_SECONDS = 2.0


@dataclass(frozen=True)
class Start:
    """When an attempt (or a lookup) began, and the earliest a failure of it may answer."""

    at: float
    answer_at: float


class Pacer:
    def __init__(
        self,
        *,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ):
        self._now = now
        self._sleep = sleep
        self._lookups: deque[float] = deque(maxlen=SAMPLES)

    def begin(self) -> Start:
        """An attempt (or a lookup) begins now; pass what this returns to `observe` and
        `settle`."""
        now = self._now()
        return Start(now, now + self.target())

    def observe(self, begun: Start) -> None:
        """A store lookup that began at `begun` has answered."""
        self._lookups.append(self._now() - begun.at)

    def target(self) -> float:
        """How long a failed attempt lasts before it answers, in seconds."""
        if not self._lookups:
            return 0.0
        ordered = sorted(self._lookups)
        return min(ordered[min(len(ordered) - 1, int(QUANTILE * len(ordered)))], CEILING_SECONDS)

    def typical(self) -> float:
        """How long this store's recent lookups took, the median, in seconds (0 before any):
        what a call expects its next lookup to take."""
        if not self._lookups:
            return 0.0
        ordered = sorted(self._lookups)
        return ordered[len(ordered) // 2]

    async def settle(self, begun: Start) -> None:
        """Waits until the failed attempt that began at `begun` may answer."""
        wait = begun.answer_at - self._now()
        if wait > 0:
            await self._sleep(wait)
