"""Per publishable key and visitor: requests a minute, counted in fixed one-minute windows
in this process (each core counts its own share; the widget frontend pins a visitor's calls
to one channel, so a visitor's count lands on one core)."""

from __future__ import annotations

from collections import OrderedDict

from core.domain.errors import RateLimited

WINDOW_MS = 60_000
_TRACKED = 50_000  # (key, visitor) pairs remembered; the least recent is dropped past this


class RateLimiter:
    def __init__(self) -> None:
        self._windows: OrderedDict[tuple[str, str], tuple[int, int]] = OrderedDict()

    def check(self, key_id: str, visitor: str, limit: int, now_ms: int) -> None:
        window = now_ms // WINDOW_MS
        bucket = (key_id, visitor)
        start, count = self._windows.pop(bucket, (window, 0))
        if start != window:
            start, count = window, 0
        if count >= limit:
            self._windows[bucket] = (start, count)
            retry = max(1, ((start + 1) * WINDOW_MS - now_ms + 999) // 1000)
            raise RateLimited("too many requests for this publishable key; slow down", retry)
        self._windows[bucket] = (start, count + 1)
        while len(self._windows) > _TRACKED:
            self._windows.popitem(last=False)
