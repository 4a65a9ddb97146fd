"""`flowyte serve` supervises the roles as processes of their own and leaves none behind."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from tests.serving import STOP_TIMEOUT, clean_env, serve

ROLES = {"core": "core", "gateway": "frontends.gateway", "demo store": "demostore"}


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


def wait_until_gone(pids: list[int], seconds: float = STOP_TIMEOUT) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := [p for p in pids if alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.mark.parametrize("stop_with", [signal.SIGINT, signal.SIGTERM])
def test_every_role_is_a_process_of_its_own_and_none_outlives_the_stop(
    tmp_path: Path, stop_with: signal.Signals
) -> None:
    with serve(tmp_path / "data", clean_env(), demo=True) as served:
        roles = roles_of(served.process.pid)
        assert set(roles) == set(ROLES), (roles, served.output())
        assert len(set(roles.values())) == 3 and served.process.pid not in roles.values()
        # Each answers on its own: the gateway's REST, the store's GraphQL endpoint.
        with urllib.request.urlopen(served.urls["api"] + "/openapi.json", timeout=10) as reply:
            assert reply.status == 200
        served.process.send_signal(stop_with)  # Ctrl-C reaches the supervisor alone
        assert served.process.wait(timeout=STOP_TIMEOUT) == 0, served.output()
        assert wait_until_gone(list(roles.values())) == []
        assert "Stopping" in served.output()


def test_a_role_that_stops_on_its_own_stops_the_rest_and_says_which(tmp_path: Path) -> None:
    with serve(tmp_path / "data", clean_env(), demo=True) as served:
        roles = roles_of(served.process.pid)
        os.kill(roles["gateway"], signal.SIGKILL)
        assert served.process.wait(timeout=STOP_TIMEOUT) == 2  # not restarted, not hidden
        assert "the gateway was killed by SIGKILL; stopping the others" in served.output()
        assert wait_until_gone(list(roles.values())) == []


def test_a_supervisor_killed_outright_leaves_no_orphans(tmp_path: Path) -> None:
    with serve(tmp_path / "data", clean_env(), demo=True) as served:
        roles = roles_of(served.process.pid)
        served.process.kill()
        served.process.wait(timeout=STOP_TIMEOUT)
        assert wait_until_gone(list(roles.values())) == []
