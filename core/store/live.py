"""Live events: "session X has events up to seq N", to every stream open for X on any replica.

Whoever appends audit events (core/store/transcripts.write) marks the session in the
transaction's `info`; on PostgreSQL it also runs `pg_notify` inside that same transaction,
so the notification is delivered exactly when (and only if) the events commit. After the
commit, the session class's hook fans the news out to this process's watchers; every core
on PostgreSQL also holds one dedicated asyncpg connection LISTENing on the channel, which
brings other replicas' commits in. On SQLite one core serves the file, so the in-process
fan-out is the whole story.

A notification only says "look": watchers re-read the transcript from the database after
the last seq they have seen, so a duplicate (our own commit arrives both ways) or a lost one
(the listener was reconnecting; watchers are woken on every reconnect) costs nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from core.waiting import wait_event

log = logging.getLogger(__name__)

_CHANGED = "flowyte_changed_sessions"
# Watched by streams that follow every session (the team inbox): woken by any change.
ANY_SESSION = "*"
_RECONNECT_DELAYS = (0.1, 0.5, 1.0, 2.0, 5.0)


def channel_for(schema: str) -> str:
    """The NOTIFY channel of one deployment (one schema): replicas of other deployments
    sharing the database never hear each other. At most 63 bytes, as PostgreSQL wants."""
    return "flowyte_events_" + hashlib.sha256(schema.encode()).hexdigest()[:16]


async def mark_changed(session: AsyncSession, session_id: str, last_seq: int) -> None:
    """Called inside the transaction that changed `session_id` (appended events up to
    `last_seq`, or ended it): NOTIFY on PostgreSQL (sent at COMMIT), local fan-out after the
    commit. Watchers then read what changed."""
    session.info.setdefault(_CHANGED, {})[session_id] = last_seq
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(_NOTIFY, {"payload": f"{session_id} {last_seq}"})


# channel_for(current_schema()), computed by the server: one statement per append.
_NOTIFY = text(
    "SELECT pg_notify('flowyte_events_' || left(encode(sha256("
    "convert_to(coalesce(current_schema(), 'public'), 'UTF8')), 'hex'), 16), :payload)"
)


class Watcher:
    """One open stream's interest in one session. `wait()` returns after a notification
    that arrived since the previous `wait()` (or at once if one is pending)."""

    def __init__(self, session_id: str):
        self.session_id = session_id
        self.last_seq = 0  # the highest seq notified so far
        self._event = asyncio.Event()

    def _notify(self, last_seq: int) -> None:
        self.last_seq = max(self.last_seq, last_seq)
        self._event.set()

    async def wait(self, seconds: float | None = None) -> bool:
        """True when notified, False after `seconds` without."""
        if not await wait_event(self._event, seconds):
            return False
        self._event.clear()
        return True


class LiveEvents:
    """The per-process bus. `attach` it to the runtime's session class; `start` it on a
    serving core (the PostgreSQL listener); `watch` a session from a stream."""

    def __init__(self) -> None:
        self._watchers: dict[str, set[Watcher]] = {}
        self._listener: asyncio.Task[None] | None = None
        self.listening = asyncio.Event()  # set while the PostgreSQL listener is connected
        self.listener_pid: int | None = None  # its server process, while connected

    # --- in-process fan-out --------------------------------------------------------------

    @contextlib.contextmanager
    def watch(self, session_id: str) -> Iterator[Watcher]:
        watcher = Watcher(session_id)
        self._watchers.setdefault(session_id, set()).add(watcher)
        try:
            yield watcher
        finally:
            watchers = self._watchers.get(session_id)
            if watchers is not None:
                watchers.discard(watcher)
                if not watchers:
                    del self._watchers[session_id]

    def publish(self, session_id: str, last_seq: int) -> None:
        for watcher in list(self._watchers.get(session_id, ())):
            watcher._notify(last_seq)
        if session_id != ANY_SESSION:
            for watcher in list(self._watchers.get(ANY_SESSION, ())):
                watcher._notify(0)

    def _wake_all(self) -> None:
        for session_id in list(self._watchers):
            self.publish(session_id, 0)

    def attach(self, session_class: type[Session]) -> None:
        """Fans out after every commit of `session_class` that changed a session."""

        @event.listens_for(session_class, "after_commit")
        def _committed(session: Session) -> None:
            for session_id, last_seq in session.info.pop(_CHANGED, {}).items():
                self.publish(session_id, last_seq)

        @event.listens_for(session_class, "after_rollback")
        def _rolled_back(session: Session) -> None:
            session.info.pop(_CHANGED, None)

    # --- PostgreSQL LISTEN -----------------------------------------------------------------

    def start(self, database_url: str) -> None:
        """On PostgreSQL, keeps one dedicated connection LISTENing (reconnecting on loss)."""
        url = make_url(database_url)
        if url.get_backend_name() != "postgresql" or self._listener is not None:
            return
        self._listener = asyncio.get_running_loop().create_task(
            self._listen_forever(url.render_as_string(hide_password=False))
        )

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None

    async def _listen_forever(self, database_url: str) -> None:
        attempt = 0
        while True:
            try:
                await self._listen_once(database_url)
                attempt = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # any loss means: reconnect
                log.warning("live events listener lost its connection: %s", exc)
            self.listening.clear()
            self.listener_pid = None
            await asyncio.sleep(_RECONNECT_DELAYS[min(attempt, len(_RECONNECT_DELAYS) - 1)])
            attempt += 1

    async def _listen_once(self, database_url: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(**_asyncpg_arguments(database_url))
        lost = asyncio.Event()
        try:
            conn.add_termination_listener(lambda _conn: lost.set())
            schema = await conn.fetchval("SELECT current_schema()")
            channel = channel_for(str(schema or "public"))

            def received(_conn: Any, _pid: int, _channel: str, payload: str) -> None:
                session_id, _, seq = payload.partition(" ")
                self.publish(session_id, int(seq) if seq.isdigit() else 0)

            await conn.add_listener(channel, received)
            self.listener_pid = conn.get_server_pid()
            self.listening.set()
            # Anything committed while we were not listening: let every watcher re-read.
            self._wake_all()
            while not lost.is_set():
                if not await wait_event(lost, 15):
                    await conn.fetchval("SELECT 1")  # notice a silently dead connection
        finally:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await conn.close()


def _asyncpg_arguments(database_url: str) -> dict[str, Any]:
    """asyncpg.connect arguments for a SQLAlchemy PostgreSQL URL (its `search_path` query
    parameter selects the schema, as core/store/db.py reads it)."""
    url = make_url(database_url)
    arguments: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "user": url.username,
        "password": url.password,
        "database": url.database,
    }
    schema = url.query.get("search_path")
    if schema:
        arguments["server_settings"] = {"search_path": str(schema)}
    return {k: v for k, v in arguments.items() if v is not None}
