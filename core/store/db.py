"""The async engine, and migrations applied at start."""

from __future__ import annotations

import fcntl
from pathlib import Path
from typing import IO, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from core import jsontext
from core.file_modes import private_sqlite_database

from . import sqlite_inline

MIGRATIONS = Path(__file__).parent / "migrations"
# Any constant: serialises concurrent migrations of replicas starting together on PostgreSQL.
_MIGRATION_LOCK_ID = 7_203_115_001


# JSON columns (event payloads, dialogue state) written and read on every turn: orjson's
# speed; text written by the standard library before still reads.
_JSON_COLUMNS: dict[str, Any] = {
    "json_serializer": jsontext.dumps,
    "json_deserializer": jsontext.loads_lenient,
}


def create_engine(url: str, *, background_checkpoints: bool = False) -> AsyncEngine:
    """A `search_path` query parameter on a PostgreSQL URL selects a schema, so several
    deployments (or test runs) can share one database. On SQLite, `background_checkpoints`
    turns SQLite's own WAL checkpoints off: the caller runs `checkpoints.checkpoint_forever`
    (the serving core does)."""
    parsed = make_url(url)
    connect_args: dict[str, object] = {}
    if parsed.get_backend_name() == "postgresql":
        schema = parsed.query.get("search_path")
        if schema:
            parsed = parsed.difference_update_query(["search_path"])
            connect_args["server_settings"] = {"search_path": str(schema)}
        return create_async_engine(parsed, connect_args=connect_args, pool_size=10, **_JSON_COLUMNS)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        private_sqlite_database(parsed.database)
    engine = create_async_engine(
        parsed, async_creator=sqlite_inline.creator(parsed.database or ":memory:"), **_JSON_COLUMNS
    )
    pragmas = _sqlite_pragmas_without_checkpoints if background_checkpoints else _sqlite_pragmas
    event.listen(engine.sync_engine, "connect", pragmas)
    return engine


def _sqlite_pragmas_without_checkpoints(dbapi_connection: object, record: object) -> None:
    _sqlite_pragmas(dbapi_connection, record)
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA wal_autocheckpoint=0")
    cursor.close()


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    # WAL lets readers run beside the writer; foreign keys make ON DELETE CASCADE real.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # SQLite's recommended setting for WAL: a commit is durable once written to the WAL,
    # across a crash of the process; only a power loss before the OS flushed it can undo
    # the newest commits (the database itself stays consistent). It keeps fsync out of
    # every commit, which is what lets commits run on the event loop (sqlite_inline.py).
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Under a burst of turns writers queue for the one SQLite write lock; waiting is
    # better than failing the turn.
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def sessionmaker(
    engine: AsyncEngine, session_class: type[Session] = Session
) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=session_class)


class DatabaseInUse(OSError):
    """Another core already serves this SQLite file."""


class ServerLock:
    """One serving core per SQLite file. SQLite deployments are single-process by design,
    and that is what lets the core cache reads: no other server can change a row behind
    its back. Admin commands do not take the lock: `keys create` only adds rows, and
    `vault rotate` re-seals values whose plaintext does not change (a serving core keeps
    using what it opened; restarting it with the new FLOWYTE_MASTER_KEY ends the rotation
    anyway)."""

    def __init__(self, handle: IO[str] | None):
        self._handle = handle

    @classmethod
    def acquire(cls, engine: AsyncEngine) -> ServerLock | None:
        """The lock for a file-backed SQLite database; None where there is nothing to lock."""
        database = engine.url.database
        if engine.dialect.name != "sqlite" or not database or database == ":memory:":
            return None
        handle = open(f"{database}.server-lock", "a")  # noqa: SIM115 - held until release()
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            raise DatabaseInUse(
                f"another Flowyte core is already serving {database}; "
                "SQLite allows one (use PostgreSQL for several)"
            ) from None
        return cls(handle)

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()  # closing the file releases the flock
            self._handle = None


async def migrate(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.execute(text(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})"))
        await conn.run_sync(_upgrade)


def _upgrade(connection: Connection) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
