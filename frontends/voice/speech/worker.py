"""One speech engine in a process of its own, and its asyncio client.

The event loop that paces a call's 20 ms audio must never wait on a model: pocketsphinx
holds the GIL while it decodes, and even engines that release it compete for the two cores.
So each engine (Piper, Whisper, pocketsphinx) runs in a child process with one intra-op
thread, loaded once and reused by every call, and the loop talks to it over a pipe:

    worker = EngineWorker("asr", "frontends.voice.speech.whisper_engine:WhisperEngine")
    await worker.start()
    async for item in worker.stream("transcribe", pcm): ...

The child answers one request at a time (the engine has one thread anyway); requests queue
on a lock. If the child dies, the request in flight fails with `WorkerCrashed`, a new child
is started, and later requests wait for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import itertools
import json
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncGenerator, Iterator
from multiprocessing.connection import Connection
from typing import Any, Protocol

from frontends.voice.speech.models import offline_environment

log = logging.getLogger(__name__)


class Engine(Protocol):
    """What a worker process hosts: `describe()` once it is loaded, then requests."""

    def describe(self) -> dict[str, Any]: ...

    def handle(self, method: str, payload: Any) -> Iterator[Any]: ...


class WorkerError(RuntimeError):
    """The engine refused or failed one request; the worker is still running."""


class WorkerCrashed(WorkerError):
    """The worker process died while this request was in flight; it is being restarted."""


class WorkerUnavailable(WorkerError):
    """The engine could not be loaded (a missing package or model), so nothing can run."""


def _load_engine(factory: str, options: dict[str, Any]) -> Engine:
    module_name, _, attribute = factory.partition(":")
    return getattr(importlib.import_module(module_name), attribute)(**options)


def serve(conn: Connection, factory: str, options: dict[str, Any]) -> None:
    """The child process: load the engine, then answer requests until the pipe closes."""
    offline_environment()
    # Ctrl-C goes to the whole process group; the parent decides when its workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        engine = _load_engine(factory, options)
        conn.send(("ready", 0, engine.describe()))
    except Exception as error:
        conn.send(("failed", 0, f"{type(error).__name__}: {error}"))
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        request_id, method, payload = message
        try:
            _answer(conn, engine, request_id, method, payload)
        except _FrontendGone:
            return  # nobody to answer


class _FrontendGone(Exception):
    pass


def _send(conn: Connection, message: tuple[str, int, Any]) -> None:
    try:
        conn.send(message)
    except OSError as error:
        raise _FrontendGone from error


def _answer(conn: Connection, engine: Engine, request_id: int, method: str, payload: Any) -> None:
    try:
        for item in engine.handle(method, payload):
            _send(conn, ("item", request_id, item))
    except _FrontendGone:
        raise
    except Exception as error:  # the engine's failure is this request's, not the worker's
        _send(conn, ("error", request_id, f"{type(error).__name__}: {error}"))
        return
    _send(conn, ("done", request_id, None))


class EngineWorker:
    """A restartable child process hosting one engine, driven from an event loop."""

    def __init__(
        self,
        name: str,
        factory: str,
        options: dict[str, Any] | None = None,
        *,
        timeout_seconds: float = 60.0,
    ) -> None:
        self.name = name
        # A worker silent for this long on a request is stuck: it is killed and replaced.
        self.timeout_seconds = timeout_seconds
        self._factory = factory
        self._options = dict(options or {})
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._lock = asyncio.Lock()
        self._ready: asyncio.Future[dict[str, Any]] | None = None
        self._inbox: asyncio.Queue[tuple[str, int, Any]] | None = None
        self._ids = itertools.count(1)
        self._closed = False
        self.restarts = 0
        self.description: dict[str, Any] = {}

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def start(self) -> dict[str, Any]:
        """Start the child and wait until its engine is loaded; returns its description."""
        if self._closed:
            raise WorkerUnavailable(f"{self.name} worker is closed")
        if self._ready is None:
            self._spawn()
        assert self._ready is not None
        return await asyncio.shield(self._ready)

    def _spawn(self) -> None:
        """A fresh interpreter (not a fork of this one, which runs an event loop and gRPC
        threads), joined to us by a socket pair that carries pickled messages both ways."""
        loop = asyncio.get_running_loop()
        ours, theirs = socket.socketpair()
        environment = dict(os.environ, HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1")
        arguments = [str(theirs.fileno()), self._factory, json.dumps(self._options)]
        process = subprocess.Popen(
            [sys.executable, "-m", "frontends.voice.speech.worker_process", *arguments],
            pass_fds=(theirs.fileno(),),
            env=environment,
            stdin=subprocess.DEVNULL,
            # A frontend's stdout carries its READY line; whatever an engine prints goes to
            # stderr with the logs.
            stdout=2,
        )
        theirs.close()
        self._process, self._conn = process, Connection(ours.detach())
        self._ready = loop.create_future()
        self._inbox = asyncio.Queue()
        loop.add_reader(self._conn.fileno(), self._on_readable)

    def _on_readable(self) -> None:
        conn = self._conn
        if conn is None:
            return
        try:
            while conn.poll():
                self._deliver(conn.recv())
        except (EOFError, OSError):
            self._on_exit()

    def _deliver(self, message: tuple[str, int, Any]) -> None:
        kind, _, payload = message
        assert self._ready is not None and self._inbox is not None
        if kind == "ready":
            self.description = payload
            self._ready.set_result(payload)
        elif kind == "failed":
            self._ready.set_exception(WorkerUnavailable(f"{self.name} engine: {payload}"))
            self._detach()
        else:
            self._inbox.put_nowait(message)

    def _on_exit(self) -> None:
        """The child is gone (its end of the socket closed): fail what was in flight and
        start a new one, unless we are closing."""
        if self._conn is None:
            return
        ready, inbox, process = self._ready, self._inbox, self._process
        self._detach()
        if process is not None:
            asyncio.get_running_loop().run_in_executor(None, _reap, process)
        if ready is not None and not ready.done():
            ready.set_exception(WorkerUnavailable(f"{self.name} worker exited while loading"))
            return  # a child that cannot even load would only die again
        if inbox is not None:
            inbox.put_nowait(("crashed", 0, None))
        if not self._closed:
            log.warning("speech worker %s (pid %s) died; restarting", self.name, self.pid)
            self.restarts += 1
            self._spawn()

    def _detach(self) -> None:
        if self._conn is not None:
            asyncio.get_running_loop().remove_reader(self._conn.fileno())
            self._conn.close()
            self._conn = None

    async def stream(self, method: str, payload: Any) -> AsyncGenerator[Any, None]:
        """Send one request; yield each item the engine answers with."""
        async with self._lock:
            await self.start()
            conn, inbox = self._conn, self._inbox
            if conn is None or inbox is None:
                raise WorkerCrashed(f"{self.name} worker is not running")
            request_id = next(self._ids)
            try:
                conn.send((request_id, method, payload))
            except OSError as error:
                raise WorkerCrashed(f"{self.name} worker died: {error}") from error
            finished = False
            try:
                while True:
                    kind, answered, item = await self._next(inbox, method)
                    if kind == "closed":
                        finished = True
                        raise WorkerUnavailable(f"{self.name} worker closed during {method}")
                    if kind == "crashed":
                        finished = True
                        raise WorkerCrashed(f"{self.name} worker died during {method}")
                    if answered != request_id:
                        continue  # the tail of a request whose caller stopped listening
                    if kind == "item":
                        yield item
                    elif kind == "done":
                        finished = True
                        return
                    else:
                        finished = True
                        raise WorkerError(f"{self.name} {method}: {item}")
            finally:
                if not finished:
                    # The caller stopped early (a barge-in): let the child finish this request
                    # before the next one, so answers never cross.
                    await self._drain(inbox, request_id)

    async def _next(
        self, inbox: asyncio.Queue[tuple[str, int, Any]], method: str
    ) -> tuple[str, int, Any]:
        try:
            return await asyncio.wait_for(inbox.get(), self.timeout_seconds)
        except TimeoutError:
            log.warning("speech worker %s stuck on %s; replacing it", self.name, method)
            if self._process is not None:
                self._process.kill()
            self._on_exit()  # now, so the next request goes to the new worker
            return ("crashed", 0, None)

    async def _drain(self, inbox: asyncio.Queue[tuple[str, int, Any]], request_id: int) -> None:
        while True:
            kind, answered, _ = await self._next(inbox, "the rest of a request")
            if kind in ("crashed", "closed") or (
                answered == request_id and kind in ("done", "error")
            ):
                return

    async def call(self, method: str, payload: Any) -> Any:
        """A request answered by exactly one item."""
        items = [item async for item in self.stream(method, payload)]
        if len(items) != 1:
            raise WorkerError(f"{self.name} {method}: expected one answer, got {len(items)}")
        return items[0]

    async def close(self) -> None:
        self._closed = True
        if self._inbox is not None:
            self._inbox.put_nowait(("closed", 0, None))  # a request in flight fails now
        process, conn = self._process, self._conn
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.send(None)
        self._detach()
        if process is not None:
            await asyncio.to_thread(_reap, process)


def _reap(process: subprocess.Popen[bytes]) -> None:
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)
