"""The clock port: the one place that reads the date and the time of day.

Everything that needs "now" (a turn's dates, verification expiry, locks, idempotency
expiry, business hours, the demo store's data) asks a `Clock`. A process makes one with
`process_clock()` and hands it to what it runs; a test hands in a `FixedClock` where a result
depends on the date. Durations (timeouts, rate limiters, latency) use `time.monotonic()`,
which is not a date and needs no clock.

`FLOWYTE_CLOCK_OFFSET` (e.g. `365d`, `-2h`, `1d12h30m`) moves every process that reads it by
that much: CI runs the whole suite a year ahead this way, servers started as subprocesses
included, to prove nothing in it is a time bomb. libfaketime cannot do that here, because
Python's `time.sleep` fails under it on this machine.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Protocol

OFFSET_VARIABLE = "FLOWYTE_CLOCK_OFFSET"

_OFFSET = re.compile(r"^\s*([+-]?)((?:\d+[dhms])+)\s*$")
_OFFSET_PART = re.compile(r"(\d+)([dhms])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware, in UTC."""
        ...


def now_ms(clock: Clock) -> int:
    """`clock`'s now in epoch milliseconds, the unit the database stores."""
    return int(clock.now().timestamp() * 1000)


class SystemClock:
    """The machine's clock, moved by a fixed offset (zero outside test runs)."""

    def __init__(self, offset: timedelta = timedelta(0)):
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def __repr__(self) -> str:
        return f"SystemClock(offset={self.offset!r})"


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: datetime):
        self.at = _aware(at)

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = _aware(at)

    def advance(self, delta: timedelta) -> None:
        self.at += delta

    def __repr__(self) -> str:
        return f"FixedClock({self.at.isoformat()})"


def parse_offset(text: str) -> timedelta:
    """`365d`, `-2h`, `+1d12h30m`, `90s` as a timedelta; ValueError for anything else."""
    match = _OFFSET.match(text)
    if match is None:
        raise ValueError(
            f"{OFFSET_VARIABLE}={text!r}: expected a signed sum of days, hours, minutes and "
            "seconds such as 365d, -2h or 1d12h30m"
        )
    sign, parts = match.groups()
    delta = sum(
        (timedelta(**{_UNITS[unit]: int(amount)}) for amount, unit in _OFFSET_PART.findall(parts)),
        timedelta(0),
    )
    return -delta if sign == "-" else delta


def clock_from_environment(environ: Mapping[str, str] | None = None) -> SystemClock:
    """The system clock moved by `FLOWYTE_CLOCK_OFFSET`, if it is set."""
    value = (os.environ if environ is None else environ).get(OFFSET_VARIABLE, "").strip()
    return SystemClock(parse_offset(value) if value else timedelta(0))


@cache
def process_clock() -> SystemClock:
    """This process's clock, read from the environment once."""
    return clock_from_environment()


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("a clock's time must be timezone-aware")
    return at.astimezone(UTC)
