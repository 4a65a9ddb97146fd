"""Shared fixtures: a real core (grpc.aio on port 0) on SQLite, and on PostgreSQL too when
FLOWYTE_TEST_DATABASE_URL is set (each test gets its own schema there)."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import grpc
import pytest
from aiohttp import web
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import create_async_engine

from core.admin import _create_org
from core.config import Settings
from core.domain import api_keys
from core.domain.scopes import STANDARD_SCOPES
from core.server import CoreHandle, start_core
from core.services.api_keys import ApiKeys
from core.store.tables import ApiKeyRow
from core.vault import generate_master_key_entry
from demostore import DemoStoreHandle, start_demo_store
from flowyte.clock import OFFSET_VARIABLE, FixedClock, process_clock
from tests.shopify.fixtures import store_example

POSTGRES_URL = os.environ.get("FLOWYTE_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]
ALL_SCOPES = list(STANDARD_SCOPES)  # what `flowyte keys create --scopes all` grants


@dataclass
class CoreFixture:
    handle: CoreHandle
    backend: str

    @property
    def target(self) -> str:
        return self.handle.target

    @property
    def settings(self) -> Settings:
        return self.handle.settings

    async def new_org(self, name: str = "test org") -> str:
        return await _create_org(self.handle.runtime, name)

    async def new_key(
        self, org_id: str, scopes: list[str] | None = None, name: str = "test"
    ) -> str:
        _, secret = await ApiKeys(self.handle.runtime).create(org_id, name, scopes or ALL_SCOPES)
        return secret

    async def new_org_key(self, scopes: list[str] | None = None) -> str:
        return await self.new_key(await self.new_org(), scopes)

    async def org_of(self, secret: str) -> str:
        return (await self.key_row(secret)).org_id

    async def key_row(self, secret: str) -> ApiKeyRow:
        async with self.handle.runtime.sessions() as session:
            row = await session.scalar(
                select(ApiKeyRow).where(ApiKeyRow.key_hash == api_keys.hash_secret(secret))
            )
        assert row is not None
        return row

    def channel(self) -> grpc.aio.Channel:
        return grpc.aio.insecure_channel(self.target)


@pytest.fixture
def master_key() -> str:
    return generate_master_key_entry("k1")


async def _postgres_schema_url(schema: str) -> str:
    engine = create_async_engine(POSTGRES_URL)
    async with engine.begin() as conn:
        await conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    await engine.dispose()
    separator = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{separator}search_path={schema}"


async def _drop_schema(schema: str) -> None:
    engine = create_async_engine(POSTGRES_URL)
    async with engine.begin() as conn:
        await conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    await engine.dispose()


def core_settings(data_dir: Path, database_url: str, master_key: str, **extra: object) -> Settings:
    values: dict[str, object] = {
        "data_dir": data_dir,
        "database_url": database_url,
        "master_keys": master_key,
        "grpc_port": 0,
        "demo": True,  # loopback apiBaseUrls allowed, as for the demo store
    }
    values.update(extra)
    return Settings(**values)  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def serving_core(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    master_key: str,
    settings: dict[str, object] | None = None,
    **options: Any,
) -> AsyncIterator[CoreFixture]:
    """A core on the backend `request.param` names; `settings` go to its Settings,
    `options` to start_core."""
    backend = request.param
    request.node.add_marker(pytest.mark.backend(backend))
    urls = _database_url_for(backend, tmp_path)
    url = await urls.__anext__()
    values = core_settings(tmp_path, url, master_key, **(settings or {}))
    handle = await start_core(values, **options)
    try:
        yield CoreFixture(handle, backend)
    finally:
        await handle.stop(0)
        await urls.aclose()


@pytest.fixture(params=BACKENDS)
async def core(
    request: pytest.FixtureRequest, tmp_path: Path, master_key: str
) -> AsyncIterator[CoreFixture]:
    async with serving_core(request, tmp_path, master_key) as served:
        yield served


@pytest.fixture
def clock() -> FixedClock:
    """Standing still at this process's now until the test moves it."""
    return FixedClock(process_clock().now())


@pytest.fixture(params=BACKENDS)
async def pinned_core(
    request: pytest.FixtureRequest, tmp_path: Path, master_key: str, clock: FixedClock
) -> AsyncIterator[CoreFixture]:
    """`core`, on `clock`."""
    async with serving_core(request, tmp_path, master_key, clock=clock) as served:
        yield served


async def _database_url_for(backend: str, tmp_path: Path) -> AsyncIterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'flowyte.db'}"
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    url = await _postgres_schema_url(schema)
    try:
        yield url
    finally:
        await _drop_schema(schema)


def pytest_report_header(config: pytest.Config) -> str:
    return f"clock: {process_clock()!r} ({OFFSET_VARIABLE} moves every process of the run)"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "backend(name): the database backend a test ran on")


@contextlib.asynccontextmanager
async def local_app(app: web.Application) -> AsyncIterator[str]:
    """`app` served on a free loopback port for the block; yields its base URL."""
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def demo_store() -> AsyncIterator[DemoStoreHandle]:
    """The demo store over real HTTP, holding the example store's orders (tests/shopify
    has its own, started per test with options)."""
    handle = await start_demo_store(store_example())
    try:
        yield handle
    finally:
        await handle.stop()
