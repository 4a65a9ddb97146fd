"""What every benchmark here measures the same way: N calls at a concurrency, their
latencies and the throughput. Scripts import it as a sibling (`from measure import …`)."""

from __future__ import annotations

import asyncio
import random
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


async def drive_interleaved(
    calls: dict[str, Callable[[], Awaitable[object]]], requests: int, warmup: int = 0
) -> list[Result]:
    """One call at a time, taking each of `calls` once per round, `requests` rounds after
    `warmup`, in a fresh random order each round (seeded, so runs are comparable).

    For comparing latencies one at a time: consecutive phases see whatever else the machine
    was doing during their own seconds, which on a small machine can move a p50 by more than
    the difference being measured. The order changes because a fixed one is a bias of its
    own: the call right after another process's call finds its process cold (caches, idle
    threads to wake) and paid about 0.5 ms more here than the same call made second.
    Throughput here is 1 / mean latency."""
    order = random.Random(20261127)
    for _ in range(warmup):
        for call in calls.values():
            await call()
    latencies: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for _ in range(requests):
        order.shuffle(names)
        for name in names:
            call = calls[name]
            start = time.perf_counter_ns()
            await call()
            latencies[name].append((time.perf_counter_ns() - start) / 1e6)
    return [
        Result(name, requests, sum(values) / 1000, values) for name, values in latencies.items()
    ]
