"""A frontend as a process: the same start, READY line, stop and exit codes for each one.

    python -m frontends.X … → main() → run_frontend(prog, settings)

`settings` reads the command line and environment (a ValueError is a usage error, exit 2)
and returns what to run; serve_until_stopped starts it, writes the READY line, and stops it
on SIGINT or SIGTERM.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, Protocol, TypeVar

from flowyte.roles import announce_ready, clock_problem, configure_logging, install_stop_signals


class Stoppable(Protocol):
    async def stop(self) -> None: ...


S = TypeVar("S", bound=Stoppable)


async def serve_until_stopped(
    start: Callable[[], Awaitable[S]], ready: Callable[[S], dict[str, Any]]
) -> int:
    stop = asyncio.Event()
    remove_signals = install_stop_signals(stop)
    try:
        started = await start()
        try:
            announce_ready(ready(started))
            await stop.wait()
        finally:
            await started.stop()
    finally:
        remove_signals()
    return 0


def run_frontend(prog: str, settings: Callable[[], Callable[[], Coroutine[Any, Any, int]]]) -> int:
    configure_logging()
    if problem := clock_problem():
        print(f"{prog}: error: {problem}", file=sys.stderr)
        return 2
    try:
        serve = settings()
    except ValueError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(serve())
    except OSError as exc:  # the port is taken, the address is not this machine's
        print(f"{prog}: error: cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
