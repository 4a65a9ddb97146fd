"""`flowyte serve` supervises the roles as processes of their own and leaves none behind."""

from __future__ import annotations

import os
import signal
import time
import urllib.request
from pathlib import Path

import pytest

from tests.serving import ROLES, STOP_TIMEOUT, alive, clean_env, roles_of, serve


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
        assert len(set(roles.values())) == 4 and served.process.pid not in roles.values()
        # Each answers on its own: the gateway's REST, the widget frontend's inbox page.
        with urllib.request.urlopen(served.urls["api"] + "/openapi.json", timeout=10) as reply:
            assert reply.status == 200
        with urllib.request.urlopen(served.urls["inbox"], timeout=10) as reply:
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
