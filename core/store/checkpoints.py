"""SQLite's WAL checkpoints, run from a worker thread instead of inside a commit.

Left to itself, SQLite copies the write-ahead log back into the database file (and syncs
both) inside whichever commit takes the log past 1000 pages. The serving core commits on
its event loop (sqlite_inline.py), so that commit, and every request waiting for the loop,
would wait for the copy and its fsyncs: a stall every few hundred chat turns. The serving
core therefore turns automatic checkpoints off (`db.create_engine`) and runs this: a
PASSIVE checkpoint every couple of seconds on a connection of its own, in a thread. A
PASSIVE checkpoint never waits for, or blocks, a reader or a writer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3

log = logging.getLogger(__name__)

EVERY_SECONDS = 2.0


async def checkpoint_forever(database: str, every: float = EVERY_SECONDS) -> None:
    """Until cancelled. A checkpoint under way when cancelled is finished first, so the
    connection is never closed under it."""
    connection = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
    running: asyncio.Future[None] | None = None
    try:
        while True:
            await asyncio.sleep(every)
            running = asyncio.ensure_future(asyncio.to_thread(_checkpoint, connection))
            await asyncio.shield(running)
    finally:
        if running is not None and not running.done():
            with contextlib.suppress(Exception):
                await running
        connection.close()


def _checkpoint(connection: sqlite3.Connection) -> None:
    try:
        connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    except sqlite3.Error as error:  # e.g. a migration holding the database: next time
        log.warning("WAL checkpoint skipped: %s", error)
