"""Roles as child processes: started in order, watched, stopped together, none left behind.

Each role is a Python module run with this interpreter (`python -m core`, …) that writes a
READY line once it serves (flowyte/roles.py). The supervisor imports none of them: what it
knows of a role is its module name, its arguments and what its READY line says.

A role that exits while the others run is not restarted: the supervisor says which one and
how, and stops the rest. Children run in their own session, so a Ctrl-C at the terminal
reaches only the supervisor, which then stops them in reverse order; on Linux each child is
also told to die with its parent, so even a supervisor killed outright leaves no orphans.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowyte.roles import parse_ready

READY_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
_PR_SET_PDEATHSIG = 1


class RoleFailed(Exception):
    """A role did not start, or stopped on its own; the message says which and how."""


def _die_with_parent() -> None:
    # Runs in the child between fork and exec: ask the kernel for SIGTERM when the
    # supervisor dies, however it dies.
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _exit_text(code: int) -> str:
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"was killed by {signal.Signals(-code).name}"
        return f"was killed by signal {-code}"
    return f"exited with code {code}"


@dataclass
class Child:
    name: str
    process: asyncio.subprocess.Process
    ready: dict[str, Any] = field(default_factory=dict)
    watcher: asyncio.Task[None] | None = None
    drain: asyncio.Task[None] | None = None


class Supervisor:
    """`on_lost` is called once when a started role exits on its own."""

    def __init__(
        self, env: Mapping[str, str] | None = None, on_lost: Callable[[], None] | None = None
    ):
        self._env = dict(env) if env is not None else None
        self._on_lost = on_lost
        self._children: list[Child] = []
        self._stopping = False
        self.lost: str | None = None  # what happened to the role that stopped on its own

    @property
    def pids(self) -> dict[str, int]:
        return {child.name: child.process.pid for child in self._children}

    async def start(
        self,
        name: str,
        module: str,
        args: Sequence[str],
        env: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """Starts `python -m module args…` and returns what its READY line says. `env`: this
        role's own settings on top of everyone's (a secret stays out of its command line)."""
        inherited = self._env if self._env is not None else os.environ
        child_env = {**inherited, **env} if env else self._env
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            module,
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            env=child_env,
            start_new_session=True,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        child = Child(name, process)
        self._children.append(child)
        try:
            async with asyncio.timeout(READY_TIMEOUT):
                child.ready = await self._ready_line(child)
        except TimeoutError:
            raise RoleFailed(f"the {name} was not ready within {READY_TIMEOUT:g} s") from None
        child.drain = asyncio.create_task(self._drain(child))
        child.watcher = asyncio.create_task(self._watch(child))
        return child.ready

    async def _ready_line(self, child: Child) -> dict[str, Any]:
        assert child.process.stdout is not None
        while line := await child.process.stdout.readline():
            ready = parse_ready(line.decode("utf-8", "replace"))
            if ready is not None:
                return ready
        code = await child.process.wait()
        raise RoleFailed(f"the {child.name} {_exit_text(code)} before it was ready")

    async def _drain(self, child: Child) -> None:
        # A role says little on stdout once ready; read it anyway so it never blocks on a
        # full pipe.
        assert child.process.stdout is not None
        while await child.process.stdout.readline():
            pass

    async def _watch(self, child: Child) -> None:
        code = await child.process.wait()
        if self._stopping or self.lost is not None:
            return
        self.lost = f"the {child.name} {_exit_text(code)}"
        if self._on_lost is not None:
            self._on_lost()

    async def stop(self) -> None:
        """Stops every role, the last started first: SIGTERM, then SIGKILL if it lingers."""
        self._stopping = True
        for child in reversed(self._children):
            process = child.process
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
                try:
                    await asyncio.wait_for(process.wait(), STOP_TIMEOUT)
                except TimeoutError:
                    with contextlib.suppress(ProcessLookupError):
                        process.kill()
                    await process.wait()
            for task in (child.drain, child.watcher):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
        self._children.clear()
