"""`flowyte serve` as a real process, for tests that use Flowyte the way a person does: on
port 0, in a data folder of the test's own, stopped with SIGTERM."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from flowyte.clock import OFFSET_VARIABLE

REPO = Path(__file__).resolve().parent.parent
START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
T = TypeVar("T")


def flowyte_command() -> list[str]:
    script = Path(sys.executable).with_name("flowyte")
    return [str(script)] if script.exists() else [sys.executable, "-m", "flowyte.cli"]


def clean_env(**extra: str) -> dict[str, str]:
    # Only what the test says: a developer's own FLOWYTE_* settings must not leak in. The
    # clock's offset is the suite's own (CI runs it a year ahead), so every process keeps it.
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("FLOWYTE_") or k == OFFSET_VARIABLE
    }
    env.update(extra)
    return env


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    log: Path
    urls: dict[str, str]

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=STOP_TIMEOUT)


def wait_for(
    predicate: Callable[[], T], served_process: subprocess.Popen[bytes], log: Path, what: str
) -> T:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        if served_process.poll() is not None:
            pytest.fail(f"flowyte serve exited ({served_process.returncode}):\n{log.read_text()}")
        time.sleep(0.1)
    pytest.fail(f"flowyte serve: no {what} after {START_TIMEOUT}s:\n{log.read_text()}")


BANNER_URL = re.compile(r"^\s+(api|grpc)\s+(\S+)\s*$", re.M)


@contextmanager
def serve(data_dir: Path, env: dict[str, str], *, demo: bool) -> Iterator[Served]:
    log = data_dir.parent / f"serve-{data_dir.name}-{time.monotonic_ns()}.log"
    args = ["serve", "--data-dir", str(data_dir), "--grpc-port", "0", "--http-port", "0"]
    args += ["--widget-port", "0", "--sip-port", "0"]
    if demo:
        args += ["--demo", "--demo-store-port", "0", "--storefront-port", "0"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*flowyte_command(), *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
        )
    try:
        if demo:
            demo_file = data_dir / "demo.json"
            wait_for(demo_file.exists, process, log, "demo.json")
            urls = json.loads(demo_file.read_text())["urls"]
        else:

            def banner_urls() -> dict[str, str]:
                text = log.read_text(errors="replace")
                if "Stop with Ctrl-C" not in text:
                    return {}
                return dict(BANNER_URL.findall(text))

            urls = wait_for(banner_urls, process, log, "banner")
        yield Served(process, log, urls)
    finally:
        if process.poll() is None:
            # As a person stops it, so its roles are gone (not still letting go of the data
            # folder) when the next test starts.
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=STOP_TIMEOUT)


# --- the roles `flowyte serve` runs as its children -------------------------------------

ROLES = {
    "core": "core",
    "gateway": "frontends.gateway",
    "demo store": "demostore",
    "widget": "frontends.widget",
}


def _command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
    except OSError:
        return []


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rsplit(")", 1)[1].split()[1])  # after the command's name, which may hold spaces


def roles_of(supervisor: int) -> dict[str, int]:
    """The pid of each role running as a child of `supervisor`, by role name."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or _parent_of(int(entry.name)) != supervisor:
            continue
        line = _command_line(int(entry.name))
        for name, module in ROLES.items():
            if "-m" in line and line[line.index("-m") + 1 : line.index("-m") + 2] == [module]:
                found[name] = int(entry.name)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing
