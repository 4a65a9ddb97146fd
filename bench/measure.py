"""What every benchmark here measures the same way: N calls at a concurrency, their
latencies and the throughput, and a check of every answer. Scripts import it as a sibling
(`from measure import …`).

A call that answers without doing the work it is timed for (a turn that skipped the lookup,
a lookup that found nothing) is fast for the wrong reason, and a ratio built on it is a lie.
So every timed call comes with a check of its answer, run on every answer (warm-up ones
too) after the clock stops; the first answer that fails it ends the run, with no figures.
"""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class WorkNotDone(Exception):
    """A timed call answered without proof of the work it is timed for."""

    def __init__(self, call: str, expected: str, got: object) -> None:
        shown = " ".join((got if isinstance(got, str) else repr(got)).split())  # one line
        if len(shown) > 1500:
            shown = shown[:1500] + " …"
        shown = shown or "(an empty answer)"
        super().__init__(f"{call}\n  expected: {expected}\n  got:      {shown}")


def expect(ok: bool, call: str, expected: str, got: object) -> None:
    """Raise WorkNotDone naming the call, what it should have shown and what came back."""
    if not ok:
        raise WorkNotDone(call, expected, got)


def aborting(main: Callable[[], int]) -> int:
    """Run a bench's main; a call that skipped its work ends it with exit status 3."""
    try:
        return main()
    except WorkNotDone as missing:
        print(
            "\nABORTED: a call did not show the work it was made for, so no figures are "
            f"reported.\n{missing}",
            file=sys.stderr,
        )
        return 3


@dataclass(frozen=True)
class Timed(Generic[T]):
    """A call to time and the check of its answer (raises WorkNotDone)."""

    call: Callable[[], Awaitable[T]]
    check: Callable[[T], None]

    async def __call__(self) -> float:
        """One call: its latency in ms, the check run after the clock stopped."""
        start = time.perf_counter_ns()
        answer = await self.call()
        elapsed = (time.perf_counter_ns() - start) / 1e6
        self.check(answer)
        return elapsed


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
    call: Timed[Any],
    requests: int,
    concurrency: int,
    warmup: int = 0,
) -> Result:
    """`warmup` untimed calls, then `requests` timed ones, `concurrency` in flight; every
    answer checked."""
    remaining = warmup

    async def worker(latencies: list[float]) -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            latencies.append(await call())

    await asyncio.gather(*(worker([]) for _ in range(concurrency)))
    remaining = requests
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(*(worker(latencies) for _ in range(concurrency)))
    return Result(name, requests, time.perf_counter() - started, latencies)


async def drive_interleaved(
    calls: dict[str, Timed[Any]], requests: int, warmup: int = 0
) -> list[Result]:
    """One call at a time, taking each of `calls` once per round, `requests` rounds after
    `warmup`, in a fresh random order each round (seeded, so runs are comparable).

    For comparing latencies one at a time: consecutive phases see whatever else the machine
    was doing during their own seconds, which on a small machine can move a p50 by more than
    the difference being measured. The order changes because a fixed one is a bias of its
    own: the call right after another process's call finds its process cold (caches, idle
    threads to wake) and paid about 0.5 ms more here than the same call made second.
    Throughput here is 1 / mean latency. Every answer is checked."""
    order = random.Random(20261127)
    for _ in range(warmup):
        for call in calls.values():
            await call()
    latencies: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for _ in range(requests):
        order.shuffle(names)
        for name in names:
            latencies[name].append(await calls[name]())
    return [
        Result(name, requests, sum(values) / 1000, values) for name, values in latencies.items()
    ]
