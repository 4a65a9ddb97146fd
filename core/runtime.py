"""What every part of a running core shares: settings, the database, the vault, the cache."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field

import aiohttp
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from core.config import Settings
from core.store import checkpoints, db, expiry
from core.store.change_tracking import tracked_session_class
from core.store.live import LiveEvents
from core.store.read_cache import ReadCache
from core.store.transcripts import DirectAppends
from core.vault import Keyring, Sealer
from core.webhook_http import webhook_session
from flowyte.clock import Clock, now_ms, process_clock


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    sealer: Sealer
    cache: ReadCache
    # The one clock of this core: every date, expiry and lock window reads it.
    clock: Clock
    server_lock: db.ServerLock | None = None
    # "Session X has new events", to the streams open on it here (and, on PostgreSQL, via
    # LISTEN/NOTIFY, on every replica; the listener runs on serving cores only).
    live: LiveEvents = field(default_factory=LiveEvents)
    # One outbound HTTP connection pool per process (Shopify, webhooks), made on first use so
    # admin commands that never call out never open one. No cookie jar: the session serves
    # every merchant, and one store's cookies must never reach another.
    _http: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)
    # Merchants' webhooks go through a session of their own, which checks every address it
    # connects to (core/webhook_http.py).
    _webhooks: aiohttp.ClientSession | None = field(default=None, init=False, repr=False)
    # Transcript appends that are their own transaction (a chat turn's write).
    direct_appends: DirectAppends = field(init=False, repr=False)
    _sweeper: asyncio.Task[None] | None = field(default=None, init=False, repr=False)
    # SQLite's WAL checkpoints, off the event loop (store/checkpoints.py).
    _checkpointer: asyncio.Task[None] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.direct_appends = DirectAppends(self.engine, self.cache, self.live)

    def now_ms(self) -> int:
        return now_ms(self.clock)

    def http_session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=200, limit_per_host=50),
                cookie_jar=aiohttp.DummyCookieJar(),
            )
        return self._http

    def webhook_session(self) -> aiohttp.ClientSession:
        if self._webhooks is None or self._webhooks.closed:
            self._webhooks = webhook_session(
                self.settings.allowed_api_hosts, allow_loopback=self.settings.demo
            )
        return self._webhooks

    @classmethod
    async def open(
        cls, settings: Settings, *, serving: bool = False, clock: Clock | None = None
    ) -> Runtime:
        """`serving` is the core server itself: on SQLite it takes the server lock, and
        holding it is what switches the read cache on. Admin commands open without it.
        `clock` defaults to the process's (tests pin one where a result depends on it)."""
        sealer = Sealer(Keyring.parse(settings.master_keys))
        engine = db.create_engine(settings.effective_database_url, background_checkpoints=serving)
        lock = db.ServerLock.acquire(engine) if serving else None
        try:
            await db.migrate(engine)
        except BaseException:
            if lock:
                lock.release()
            await engine.dispose()
            raise
        cache = ReadCache(enabled=lock is not None)
        session_class = tracked_session_class(cache)
        live = LiveEvents()
        live.attach(session_class)
        if serving:
            live.start(settings.effective_database_url)
        sessions = db.sessionmaker(engine, session_class)
        runtime = cls(
            settings, engine, sessions, sealer, cache, clock or process_clock(), lock, live
        )
        if serving:
            runtime._sweeper = asyncio.get_running_loop().create_task(
                expiry.sweep_forever(sessions, runtime.now_ms)
            )
        if lock is not None and engine.url.database:  # a file-backed SQLite database
            runtime._checkpointer = asyncio.get_running_loop().create_task(
                checkpoints.checkpoint_forever(engine.url.database)
            )
        return runtime

    async def close(self) -> None:
        for task in (self._sweeper, self._checkpointer):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self.live.close()
        await self.direct_appends.close()
        for http in (self._http, self._webhooks):
            if http is not None:
                await http.close()
        self._http = self._webhooks = None
        await self.engine.dispose()
        if self.server_lock:
            self.server_lock.release()
