"""Waiting for an asyncio.Event with a time limit, without losing a cancellation.

On Python 3.11, `asyncio.wait_for(event.wait(), t)` returns normally when the task is
cancelled in the same moment the event is set: the cancellation is swallowed, and a stream
told to stop goes on watching (a call that hung up kept its stream open). `asyncio.timeout`
tells its own deadline from a cancellation sent by someone else, so this waits with it.
"""

from __future__ import annotations

import asyncio


async def wait_event(event: asyncio.Event, seconds: float | None) -> bool:
    """True once `event` is set, False after `seconds` (None: no limit) without it."""
    try:
        async with asyncio.timeout(seconds):
            await event.wait()
    except TimeoutError:
        return False
    return True
