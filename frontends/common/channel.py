"""One core client per process and core: every frontend in the process shares its channel.

A grpc.aio channel multiplexes any number of calls over one HTTP/2 connection, and callers
pass their own key per call, so there is no reason for a second channel (or one a request).
Channels belong to an event loop, hence the loop in the key.
"""

from __future__ import annotations

import asyncio

from flowyte import FlowyteClient

_shared: dict[tuple[str, int], tuple[FlowyteClient, int]] = {}


async def acquire_client(target: str) -> FlowyteClient:
    """The process's client of `target`; pair every call with `release_client`."""
    key = (target, id(asyncio.get_running_loop()))
    client, users = _shared.get(key) or (FlowyteClient(target), 0)
    _shared[key] = (client, users + 1)
    return client


async def release_client(client: FlowyteClient) -> None:
    key = (client.target, id(asyncio.get_running_loop()))
    entry = _shared.get(key)
    if entry is None or entry[0] is not client:
        await client.close()
        return
    if entry[1] > 1:
        _shared[key] = (client, entry[1] - 1)
        return
    del _shared[key]
    await client.close()
