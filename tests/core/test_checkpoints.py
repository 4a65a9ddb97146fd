"""SQLite's WAL checkpoints run beside the serving core's loop, never inside its commits."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from sqlalchemy import text

from core.runtime import Runtime
from core.store.checkpoints import checkpoint_forever
from tests.conftest import core_settings


def _rows_in_database_file(path: Path) -> int:
    # immutable=1 reads the database file alone, as if the WAL did not exist.
    reader = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        return int(reader.execute("SELECT count(*) FROM notes").fetchone()[0])
    except sqlite3.OperationalError:  # the table itself is still only in the WAL
        return 0
    finally:
        reader.close()


async def test_the_worker_copies_the_log_into_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE notes (body TEXT)")
    writer.executemany("INSERT INTO notes VALUES (?)", [("note",)] * 50)
    assert _rows_in_database_file(path) == 0  # committed, and only in the WAL

    worker = asyncio.create_task(checkpoint_forever(str(path), every=0.02))
    try:
        for _ in range(250):
            if _rows_in_database_file(path) == 50:
                break
            await asyncio.sleep(0.02)
        assert _rows_in_database_file(path) == 50
        writer.execute("INSERT INTO notes VALUES ('later')")  # writers go on meanwhile
    finally:
        worker.cancel()
        await asyncio.gather(worker, return_exceptions=True)
        writer.close()
    assert worker.cancelled()


async def test_a_serving_core_leaves_checkpoints_to_the_worker(
    tmp_path: Path, master_key: str
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'flowyte.db'}"
    settings = core_settings(tmp_path, url, master_key)

    async def autocheckpoint(runtime: Runtime) -> int:
        async with runtime.engine.connect() as conn:
            return int((await conn.execute(text("PRAGMA wal_autocheckpoint"))).scalar_one())

    serving = await Runtime.open(settings, serving=True)
    try:
        assert await autocheckpoint(serving) == 0
        assert serving._checkpointer is not None and not serving._checkpointer.done()
    finally:
        await serving.close()
    assert serving._checkpointer.done()

    admin = await Runtime.open(settings)  # `flowyte keys create` and the like
    try:
        assert await autocheckpoint(admin) == 1000  # SQLite's own, as it was
        assert admin._checkpointer is None
    finally:
        await admin.close()
