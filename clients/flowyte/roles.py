"""What every Flowyte process started by name shares with the supervisor that starts it.

Each role (`python -m core`, `python -m frontends.gateway`, `python -m demostore`) writes one
line to stdout once it serves, `READY {json}`, naming where it answers; `flowyte serve` reads
it to learn real ports (port 0) and to know when to start the next role. Logs go to stderr.
A role stops cleanly on SIGINT or SIGTERM.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from flowyte.clock import process_clock

READY_PREFIX = "READY "


def announce_ready(details: dict[str, Any]) -> None:
    """Tells whoever started this process that it serves, and where."""
    sys.stdout.write(READY_PREFIX + json.dumps(details) + "\n")
    sys.stdout.flush()


def parse_ready(line: str) -> dict[str, Any] | None:
    """The details of a READY line; None for any other line."""
    if not line.startswith(READY_PREFIX):
        return None
    details = json.loads(line[len(READY_PREFIX) :])
    if not isinstance(details, dict):
        raise ValueError(f"a READY line must carry a JSON object: {line!r}")
    return details


def clock_problem() -> str | None:
    """What is wrong with FLOWYTE_CLOCK_OFFSET, if anything: every command checks it before
    it starts, rather than failing at its first date."""
    try:
        process_clock()
    except ValueError as exc:
        return str(exc)
    return None


def configure_logging() -> None:
    """Logs to stderr at FLOWYTE_LOG_LEVEL (default WARNING)."""
    level = os.environ.get("FLOWYTE_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(
        level=level if level in logging.getLevelNamesMapping() else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def install_stop_signals(stop: asyncio.Event) -> Callable[[], None]:
    """SIGINT and SIGTERM set `stop`; returns what undoes that."""
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)

    def remove() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)

    return remove
