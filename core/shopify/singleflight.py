"""Identical concurrent calls share one execution; nothing is remembered afterwards.

While a call for a key is running, later callers with the same key await its result instead
of starting their own. The key is forgotten the moment the call finishes, so the next caller
always runs afresh: this deduplicates, it never caches. The shared call runs as its own task,
so one caller giving up (cancelled) does not cancel it for the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class SingleFlight(Generic[T]):
    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Task[T]] = {}

    def in_flight(self, key: Hashable) -> bool:
        return key in self._running

    async def run(self, key: Hashable, call: Callable[[], Coroutine[Any, Any, T]]) -> T:
        task = self._running.get(key)
        if task is None:
            task = asyncio.create_task(call())
            self._running[key] = task
            task.add_done_callback(lambda done: self._forget(key, done))
        return await asyncio.shield(task)

    def _forget(self, key: Hashable, done: asyncio.Task[T]) -> None:
        if self._running.get(key) is done:
            del self._running[key]
        # Retrieve the outcome so an error nobody awaited (every caller cancelled) is not
        # reported as "never retrieved".
        if not done.cancelled():
            done.exception()
