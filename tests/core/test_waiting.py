"""A cancelled waiter stays cancelled, even when what it waited for happens in the same
moment: on Python 3.11 asyncio.wait_for lost that cancellation, and a voice call's stream
went on watching its session after the call was over."""

from __future__ import annotations

import asyncio

import pytest

from core.store.live import LiveEvents
from core.waiting import wait_event


async def test_an_event_set_in_time_is_seen_and_a_late_one_is_not():
    event = asyncio.Event()
    asyncio.get_running_loop().call_later(0.01, event.set)
    assert await wait_event(event, 5) is True
    assert await wait_event(asyncio.Event(), 0.01) is False


async def test_a_cancel_that_arrives_with_the_event_is_not_lost():
    event = asyncio.Event()
    waiter = asyncio.create_task(wait_event(event, 5))
    await asyncio.sleep(0)  # waiting now
    event.set()
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter


async def test_a_stream_cancelled_as_its_session_changes_stops_watching():
    live = LiveEvents()
    with live.watch("ses_1") as watcher:
        waiting = asyncio.create_task(watcher.wait(5))
        await asyncio.sleep(0)
        live.publish("ses_1", 7)  # a turn committed...
        waiting.cancel()  # ...as the call hung up
        with pytest.raises(asyncio.CancelledError):
            await waiting
