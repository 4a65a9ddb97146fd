"""Files only their owner may read: the SQLite database with its WAL and shared memory
(transcripts, sealed credentials, key hashes) and the demo's master.key.

SQLite creates a database file with 0644 less the umask, and gives its -wal, -shm and
-journal files the database file's mode; so creating the database file 0600 before SQLite
opens it keeps all of them private. A file found looser (made by an older version, or
copied in) is tightened, and a log line says so.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE = 0o600
# What SQLite keeps beside a database file `x`: x-wal, x-shm, x-journal.
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def private_sqlite_database(database: str | Path) -> None:
    """Creates the database file 0600 if it is missing and tightens it and its companions
    if they exist with a looser mode. Call before SQLite opens the file."""
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # an existing one is tightened below
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    for suffix in SQLITE_COMPANIONS:
        tighten(path.with_name(path.name + suffix))


def tighten(path: Path) -> None:
    """Makes an existing file owner-only when group or others may use it (a missing file
    is left missing)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return
    if mode & 0o077 == 0:
        return
    path.chmod(PRIVATE)
    log.warning("%s was open beyond its owner (mode %04o): tightened to %04o", path, mode, PRIVATE)
