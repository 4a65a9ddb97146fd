"""Whether the turn a call is running waits on the store right now, so the call can say
"one moment" while it does.

The call sets a LookupWatch in its context around the turn; the store port
(ports.StoreOrders) marks each lookup on whatever watch its context holds, and does nothing
without one (chat turns, completions). A context variable, rather than a parameter threaded
through the turn runner and the brains, because only the call cares, and tasks a turn
starts inherit it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from contextvars import ContextVar


class LookupWatch:
    """Store lookups in flight for one turn."""

    def __init__(self) -> None:
        self.running = 0
        self.busy = asyncio.Event()  # set while a lookup runs
        self.idle = asyncio.Event()  # set while none does
        self.idle.set()

    def started(self) -> None:
        self.running += 1
        self.idle.clear()
        self.busy.set()

    def finished(self) -> None:
        self.running -= 1
        if self.running == 0:
            self.busy.clear()
            self.idle.set()


_WATCH: ContextVar[LookupWatch | None] = ContextVar("lookup_watch", default=None)


@contextlib.contextmanager
def watching(watch: LookupWatch) -> Iterator[None]:
    """Store lookups made in this block (and in the tasks it starts) are marked on `watch`."""
    token = _WATCH.set(watch)
    try:
        yield
    finally:
        _WATCH.reset(token)


@contextlib.contextmanager
def store_lookup() -> Iterator[None]:
    """One store lookup, marked on the watch of the context, if any."""
    watch = _WATCH.get()
    if watch is None:
        yield
        return
    watch.started()
    try:
        yield
    finally:
        watch.finished()
