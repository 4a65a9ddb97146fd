"""What every benchmark here measures the same way: N calls at a concurrency, their
latencies and the throughput. Scripts import it as a sibling (`from measure import …`)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def drive(
    name: str,
    call: Callable[[], Awaitable[object]],
    requests: int,
    concurrency: int,
    warmup: int = 0,
) -> Result:
    """`warmup` untimed calls, then `requests` timed ones, `concurrency` in flight."""
    remaining = warmup

    async def worker(latencies: list[float]) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            start = time.perf_counter_ns()
            await call()
            latencies.append((time.perf_counter_ns() - start) / 1e6)

    await asyncio.gather(*(worker([]) for _ in range(concurrency)))
    remaining = requests
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(worker(latencies) for _ in range(concurrency)))
    return Result(name, requests, time.perf_counter() - started, latencies)
