"""A real gateway (aiohttp on port 0) in front of the real core of tests/conftest.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest

from frontends.gateway import GatewayHandle, start_gateway

ALL = [
    "agents:read",
    "agents:write",
    "skills:read",
    "skills:write",
    "guardrails:read",
    "guardrails:write",
    "integrations:read",
    "integrations:write",
    "keys:write",
]


@dataclass
class Reply:
    status: int
    headers: Any
    body: Any

    @property
    def data(self) -> Any:
        assert self.status < 300, (self.status, self.body)
        assert self.body["success"] is True
        return self.body["data"]

    @property
    def code(self) -> str:
        return str(self.body.get("code"))

    @property
    def fields(self) -> list[str]:
        return [e["field"] for e in self.body.get("errors", [])]


@dataclass
class Api:
    """An HTTP caller of the gateway holding one secret key."""

    session: aiohttp.ClientSession
    base: str
    key: str | None

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        key: str | None = "",
        headers: dict[str, str] | None = None,
        data: bytes | str | None = None,
    ) -> Reply:
        all_headers = dict(headers or {})
        secret = self.key if key == "" else key
        if secret is not None:
            all_headers["Authorization"] = f"Bearer {secret}"
        async with self.session.request(
            method, self.base + path, json=body, data=data, headers=all_headers
        ) as response:
            payload = await response.json(content_type=None)
            return Reply(response.status, response.headers, payload)

    async def get(self, path: str, **kw: Any) -> Reply:
        return await self.request("GET", path, **kw)

    async def post(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return await self.request("POST", path, body, **kw)

    async def patch(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return await self.request("PATCH", path, body, **kw)

    async def put(self, path: str, body: Any = None, **kw: Any) -> Reply:
        return await self.request("PUT", path, body, **kw)

    async def delete(self, path: str, **kw: Any) -> Reply:
        return await self.request("DELETE", path, **kw)

    def as_(self, key: str | None) -> Api:
        return Api(self.session, self.base, key)


@pytest.fixture
async def gateway(core: Any) -> AsyncIterator[GatewayHandle]:
    handle = await start_gateway(core.target, port=0)
    try:
        yield handle
    finally:
        await handle.stop()


@pytest.fixture
async def api(core: Any, gateway: GatewayHandle, http: aiohttp.ClientSession) -> Api:
    """A caller with every scope of the endpoints under test, in a fresh organization."""
    return Api(http, gateway.url + "/api/v1", await core.new_org_key(ALL))


@pytest.fixture
def shop_server_allowed(core: Any) -> str:
    """An apiBaseUrl the test core accepts (it runs in demo mode: loopback is allowed)."""
    return "http://127.0.0.1:9"
