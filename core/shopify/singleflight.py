"""Identical concurrent calls share one execution; nothing is remembered afterwards.

While a call for a key is running, later callers with the same key await its result instead
of starting their own. The key is forgotten the moment the call finishes, so the next caller
always runs afresh: this deduplicates, it never caches. The first caller runs the call; if
it gives up (cancelled), a caller that was waiting runs the call anew, so one caller's
cancellation never fails the others.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Hashable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class _LeaderGone(Exception):
    """The caller running a shared call was cancelled: a caller waiting on it runs it anew."""


class SingleFlight(Generic[T]):
    def __init__(self) -> None:
        self._running: dict[Hashable, asyncio.Future[T]] = {}

    def in_flight(self, key: Hashable) -> bool:
        return key in self._running

    async def run(self, key: Hashable, call: Callable[[], Coroutine[Any, Any, T]]) -> T:
        while (shared := self._running.get(key)) is not None:
            try:
                # Shielded: a waiter giving up must not cancel the call for the others.
                return await asyncio.shield(shared)
            except _LeaderGone:
                continue  # whoever ran it gave up: the next waiter runs it afresh
        # The first caller runs the call itself, with no hand-off to a task of its own: most
        # calls have nobody to share with, and a hand-off costs a turn of the event loop
        # each way. Callers that come meanwhile wait for its outcome.
        shared = asyncio.get_running_loop().create_future()
        self._running[key] = shared
        try:
            result = await call()
        except asyncio.CancelledError:
            shared.set_exception(_LeaderGone())
            raise
        except BaseException as error:
            shared.set_exception(error)
            raise
        else:
            shared.set_result(result)
            return result
        finally:
            del self._running[key]
            # Retrieve the outcome so one nobody waited for is not reported as "never
            # retrieved".
            shared.exception()
