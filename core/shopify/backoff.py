"""How long to wait before retrying: full jitter, so callers that failed together do not
retry together, and Retry-After when the store names a time."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

MAX_RETRY_AFTER = 60.0


def jittered(base: float, attempt: int, cap: float) -> float:
    """Full jitter: uniform in [0, min(cap, base * 2**attempt)], at least a tenth of it so a
    retry never fires instantly into the same trouble."""
    ceiling = min(cap, base * (2**attempt))
    return random.uniform(ceiling / 10, ceiling)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """A Retry-After header as seconds (delta-seconds or an HTTP date); None if absent or
    unreadable. Capped, so a hostile or broken header cannot park us for hours."""
    if not value:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        # wall clock: an HTTP date is the store's real time, which no offset of ours moves.
        seconds = when.timestamp() - (time.time() if now is None else now)  # wall clock: above
    if seconds != seconds:  # NaN
        return None
    return min(max(0.0, seconds), MAX_RETRY_AFTER)
