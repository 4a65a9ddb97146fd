"""The clock port: offsets as written, and every process of a run moved by the same one."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from flowyte.clock import (
    OFFSET_VARIABLE,
    FixedClock,
    SystemClock,
    clock_from_environment,
    now_ms,
    parse_offset,
)
from tests.serving import REPO, clean_env


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("365d", timedelta(days=365)),
        ("+365d", timedelta(days=365)),
        ("-2h", timedelta(hours=-2)),
        ("1d12h30m", timedelta(days=1, hours=12, minutes=30)),
        (" 90s ", timedelta(seconds=90)),
        ("0d", timedelta(0)),
    ],
)
def test_offsets_as_written(text: str, delta: timedelta) -> None:
    assert parse_offset(text) == delta


@pytest.mark.parametrize("text", ["", "365", "a year", "1y", "d", "1d -2h", "+-1d", "1.5d"])
def test_a_malformed_offset_is_refused_with_examples(text: str) -> None:
    with pytest.raises(ValueError, match="such as 365d, -2h or 1d12h30m"):
        parse_offset(text)


def test_the_environment_moves_the_system_clock() -> None:
    assert clock_from_environment({}).offset == timedelta(0)
    ahead = clock_from_environment({OFFSET_VARIABLE: "365d"})
    assert ahead.offset == timedelta(days=365)
    before = SystemClock().now()
    gap = ahead.now() - before
    assert timedelta(days=365) <= gap < timedelta(days=365, seconds=5)


def test_a_fixed_clock_stands_still_until_moved() -> None:
    clock = FixedClock(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))
    assert clock.now() == clock.now() and now_ms(clock) == 1_795_791_600_000
    clock.advance(timedelta(days=1))
    assert clock.now() == datetime(2026, 11, 28, 15, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 11, 27))


def _demo_store_banner(offset: str) -> tuple[int, str]:
    """`flowyte demo-store` in its own process with `offset`: its exit code, or its banner."""
    env = clean_env(**{OFFSET_VARIABLE: offset})
    process = subprocess.Popen(
        [sys.executable, "-m", "flowyte.cli", "demo-store", "--port", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    try:
        lines = []
        for line in process.stdout:
            lines.append(line)
            if "Stop with Ctrl-C" in line:
                break
        text = "".join(lines)
    finally:
        process.terminate()
        code = process.wait(timeout=20)
    return code, text


def test_a_server_process_honours_the_offset() -> None:
    expected = SystemClock(timedelta(days=400)).now()
    _, banner = _demo_store_banner("400d")
    found = re.search(r"moved to the present \(asOf (\S+)\)", banner)
    assert found, banner
    moved_to = datetime.fromisoformat(found.group(1).replace("Z", "+00:00"))
    assert abs(moved_to - expected) < timedelta(seconds=30), banner


def test_a_malformed_offset_stops_the_command_with_a_message() -> None:
    code, output = _demo_store_banner("next year")
    assert code == 2
    assert "FLOWYTE_CLOCK_OFFSET='next year'" in output and "Traceback" not in output
