"""A real demo store on port 0, and a small HTTP client that speaks to it as any Shopify
client would (aiohttp, X-Shopify-Access-Token, JSON bodies)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from demostore import DemoStoreHandle, bundled_data_path, start_demo_store
from flowyte.clock import FixedClock
from tests.example_store import AS_OF, STORE_EXAMPLE

REPO = Path(__file__).resolve().parents[2]
QUERIES_FILE = REPO / "core" / "shopify" / "queries.py"
API_VERSION = "2026-10"


def load_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def data_file(name: str) -> Path:
    if name == "bundled":
        return bundled_data_path()
    return STORE_EXAMPLE


@dataclass
class Reply:
    status: int
    headers: Any
    body: Any

    @property
    def data(self) -> Any:
        assert self.status == 200, (self.status, self.body)
        assert "errors" not in self.body, self.body
        return self.body["data"]

    @property
    def cost(self) -> dict[str, Any]:
        cost: dict[str, Any] = self.body["extensions"]["cost"]
        return cost

    @property
    def available(self) -> int:
        value: int = self.cost["throttleStatus"]["currentlyAvailable"]
        return value


@dataclass
class Store:
    handle: DemoStoreHandle
    http: aiohttp.ClientSession
    file: Path | None = None

    @property
    def token(self) -> str:
        return self.handle.access_token

    async def gql(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        version: str = API_VERSION,
        operation_name: str | None = None,
    ) -> Reply:
        body: dict[str, Any] = {"query": query, "variables": variables}
        if operation_name:
            body["operationName"] = operation_name
        return await self.post(
            f"/admin/api/{version}/graphql.json",
            json=body,
            headers={"X-Shopify-Access-Token": self.token if token is None else token},
        )

    async def post(self, path: str, **kwargs: Any) -> Reply:
        async with self.http.post(self.handle.url + path, **kwargs) as response:
            return await _reply(response)

    async def get(self, path: str) -> Reply:
        async with self.http.get(self.handle.url + path) as response:
            return await _reply(response)

    async def control(self, method: str, path: str, body: Any = None) -> Any:
        async with self.http.request(method, self.handle.url + path, json=body) as response:
            reply = await _reply(response)
        assert reply.status in (200, 201), (reply.status, reply.body)
        return reply.body


async def _reply(response: aiohttp.ClientResponse) -> Reply:
    text = await response.text()
    try:
        body: Any = json.loads(text)
    except ValueError:
        body = text
    return Reply(response.status, response.headers, body)


def written_day() -> FixedClock:
    """A clock pinned to when the data files were written: these tests read the dates in
    them as written, and live changes are stamped with that moment too."""
    return FixedClock(AS_OF)


@pytest.fixture
async def demo(http: aiohttp.ClientSession) -> AsyncIterator[Store]:
    """The bundled demo data set, Shopify's default limits, on the day it was written."""
    handle = await start_demo_store(bundled_data_path(), clock=written_day())
    try:
        yield Store(handle, http, bundled_data_path())
    finally:
        await handle.stop()


@pytest.fixture
async def start(http: aiohttp.ClientSession) -> AsyncIterator[Any]:
    """Start stores with custom settings; all are stopped at the end of the test."""
    handles: list[DemoStoreHandle] = []

    async def _start(data: Any = None, **kwargs: Any) -> Store:
        kwargs.setdefault("clock", written_day())
        handle = await start_demo_store(data, **kwargs)
        handles.append(handle)
        return Store(handle, http, data if isinstance(data, Path) else None)

    try:
        yield _start
    finally:
        for handle in handles:
            await handle.stop()
