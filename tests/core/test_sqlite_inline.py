"""SQLite calls on the event loop (core/store/sqlite_inline.py): fast, and never a frozen
loop, whatever another connection's transaction is waiting for."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from core.store import db


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = db.create_engine(f"sqlite+aiosqlite:///{tmp_path / 'inline.db'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield engine
    await engine.dispose()


async def _ticks_during(seconds: float) -> int:
    """How often a task got the loop while the caller's other tasks ran."""
    ticks = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        await asyncio.sleep(0.01)
        ticks += 1
    return ticks


async def _write(engine: AsyncEngine, body: str) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": body})


async def _bodies(engine: AsyncEngine) -> list[str]:
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT body FROM notes ORDER BY id"))
        return [row.body for row in rows]


async def test_a_write_behind_an_open_transaction_waits_without_freezing_the_loop(engine):
    async with engine.connect() as holder:
        # A transaction that wrote and then awaits something else: it holds the write lock.
        await holder.execute(text("INSERT INTO notes (body) VALUES ('first')"))
        second = asyncio.create_task(_write(engine, "second"))
        # Run inline, the second write would block the loop in SQLite's busy handler and
        # the holder could never commit: nothing would tick for the busy timeout (30 s).
        assert await _ticks_during(0.3) >= 10
        assert not second.done()
        assert await _bodies(engine) == []  # readers are not held up, and see no dirty rows
        await holder.commit()
    await asyncio.wait_for(second, 5)
    assert await _bodies(engine) == ["first", "second"]


async def test_a_rolled_back_transaction_lets_the_waiting_write_through(engine):
    async with engine.connect() as holder:
        await holder.execute(text("INSERT INTO notes (body) VALUES ('dropped')"))
        waiting = asyncio.create_task(_write(engine, "kept"))
        await asyncio.sleep(0.05)
        await holder.rollback()
    await asyncio.wait_for(waiting, 5)
    assert await _bodies(engine) == ["kept"]


async def test_many_concurrent_writers_all_land(engine):
    await asyncio.wait_for(asyncio.gather(*(_write(engine, f"n{i}") for i in range(40))), 20)
    assert sorted(await _bodies(engine)) == sorted(f"n{i}" for i in range(40))


async def test_errors_are_sqlites_own(engine):
    from sqlalchemy.exc import IntegrityError, OperationalError

    with pytest.raises(OperationalError):
        async with engine.connect() as conn:
            await conn.execute(text("SELECT * FROM no_such_table"))
    async with engine.begin() as conn:
        await conn.execute(text("INSERT INTO notes (id, body) VALUES (1, 'a')"))
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO notes (id, body) VALUES (1, 'b')"))
    assert await _bodies(engine) == ["a"]
