"""A per-process read cache for the hottest lookups (a key's principal, an agent's draft).

It is only switched on where this process is the database's one writer (SQLite under the
server lock, see core/store/db.py), so change tracking in this process sees every change
and a cached value can never outlive the row it copies. On PostgreSQL, where replicas share
the database, it stays off and every read goes to the database.

Populating races with invalidation: a reader that read the database before a writer
committed must not store the old value after the writer invalidated. Every invalidation
bumps a generation, and a value read under an older generation is not stored.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

V = TypeVar("V")

ALL = "*"


class ReadCache:
    def __init__(self, enabled: bool, max_entries: int = 10_000):
        self.enabled = enabled
        self.max_entries = max_entries
        self.generation = 0
        self._entries: OrderedDict[tuple[str, Hashable], Any] = OrderedDict()

    def get(self, kind: str, key: Hashable) -> Any | None:
        if not self.enabled:
            return None
        return self._entries.get((kind, key))

    def put(self, kind: str, key: Hashable, value: Any, read_at_generation: int) -> None:
        if not self.enabled or read_at_generation != self.generation:
            return
        self._entries[(kind, key)] = value
        if len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def get_or_load(
        self, kind: str, key: Hashable, load: Callable[[], Awaitable[V | None]]
    ) -> V | None:
        """The cached value, else `load()`'s, kept when it is not None and no change
        committed while it was being read. Values must be immutable: every caller shares
        them."""
        cached: V | None = self.get(kind, key)
        if cached is not None:
            return cached
        generation = self.generation
        value = await load()
        if value is not None:
            self.put(kind, key, value, generation)
        return value

    def invalidate(self, changes: set[tuple[str, Hashable]]) -> None:
        """`(kind, key)` pairs; `(kind, ALL)` drops every entry of that kind."""
        if not changes:
            return
        self.generation += 1
        whole_kinds = set()
        for kind, key in changes:
            if key == ALL:
                whole_kinds.add(kind)
            else:
                self._entries.pop((kind, key), None)
        if whole_kinds:  # rare (a bulk statement that names no rows): worth a full pass
            for entry in list(self._entries):
                if entry[0] in whole_kinds:
                    del self._entries[entry]
