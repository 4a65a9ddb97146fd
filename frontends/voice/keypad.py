"""Keys pressed on the phone, gathered into entries for the core.

An entry ends with `#` (sent as its finish digit) or when the caller stops keying for
`pause_seconds` (finish digit empty). `0` pressed alone, with no entry under way, is sent at
once: it asks for a person, and a caller pressing it should not wait out a pause. (An order
number that starts with 0 therefore has to be spoken, or keyed after another key; no store
we serve numbers orders that way.) `#` with nothing before it is ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

Send = Callable[[str, str], Awaitable[None]]  # (digits, finish digit)

_KEYS = frozenset("0123456789*ABCD")
_MAX_DIGITS = 64  # the core's limit for one entry


class Keypad:
    """One per call. `press` from the task reading the leg; `send` is awaited in order."""

    def __init__(self, send: Send, *, pause_seconds: float = 2.0) -> None:
        self._send = send
        self.pause_seconds = pause_seconds
        self._digits = ""
        self._pause: asyncio.TimerHandle | None = None
        self._sending: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._sender = asyncio.create_task(self._send_in_order())

    @property
    def entering(self) -> bool:
        """An entry is under way (the caller is not silent, they are keying)."""
        return bool(self._digits)

    def press(self, key: str) -> None:
        key = key.upper()
        if key == "#":
            if self._digits:
                self._finish("#")
            return
        if key not in _KEYS:
            return  # a key the core cannot take (a flash, a garbled event)
        if key == "0" and not self._digits:
            self._sending.put_nowait(("0", ""))
            return
        self._digits += key
        if len(self._digits) >= _MAX_DIGITS:
            self._finish("")
            return
        self._restart_pause()

    def _restart_pause(self) -> None:
        if self._pause is not None:
            self._pause.cancel()
        loop = asyncio.get_running_loop()
        self._pause = loop.call_later(self.pause_seconds, self._finish, "")

    def _finish(self, finish_digit: str) -> None:
        if self._pause is not None:
            self._pause.cancel()
            self._pause = None
        if self._digits:
            self._sending.put_nowait((self._digits, finish_digit))
        self._digits = ""

    async def _send_in_order(self) -> None:
        while True:
            digits, finish = await self._sending.get()
            await self._send(digits, finish)

    async def close(self) -> None:
        if self._pause is not None:
            self._pause.cancel()
        self._sender.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._sender
