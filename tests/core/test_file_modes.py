"""The SQLite database and its WAL hold transcripts and sealed credentials: only their owner
may read them (0600, like master.key), whatever the umask, and files found looser on start
are tightened, with a log line that says so."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.server import start_core
from tests.conftest import core_settings

COMPANIONS = ("flowyte.db", "flowyte.db-wal", "flowyte.db-shm")


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def _serve_and_write(data_dir: Path) -> None:
    """A demo core on SQLite in `data_dir` (its master.key there too) that has written
    something, so the WAL exists."""
    url = f"sqlite+aiosqlite:///{data_dir / 'flowyte.db'}"
    handle = await start_core(core_settings(data_dir, url, ""))
    try:
        from core.admin import _create_org

        await _create_org(handle.runtime, "an org")
        for name in COMPANIONS:
            assert (data_dir / name).exists(), name
            assert mode(data_dir / name) == 0o600, (name, oct(mode(data_dir / name)))
    finally:
        await handle.stop(0)


async def test_the_database_and_its_wal_are_owner_only(tmp_path: Path) -> None:
    with umask(0o022):  # the usual one: it would leave SQLite's files readable by anyone
        await _serve_and_write(tmp_path / "data")


async def test_files_found_readable_by_others_are_tightened_and_logged(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    with umask(0o022):
        await _serve_and_write(data)
        loose = [data / name for name in (*COMPANIONS, "master.key") if (data / name).exists()]
        assert data / "flowyte.db" in loose and data / "master.key" in loose
        for path in loose:
            path.chmod(0o644)
        caplog.set_level(logging.WARNING)
        await _serve_and_write(data)  # demo mode reads the master.key left there
    for path in loose:
        assert mode(path) == 0o600, path
    tightened = [r.getMessage() for r in caplog.records if "0600" in r.getMessage()]
    assert any(str(data / "flowyte.db") in m and "0644" in m for m in tightened), tightened
    assert any(str(data / "master.key") in m for m in tightened), tightened
