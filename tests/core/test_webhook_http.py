"""Webhook calls are judged on the address each connection really uses, so a name that
answers a public address first and a private one next (DNS rebinding) gets nowhere."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from core.webhook_http import CheckedResolver, HostNotAllowed, may_call_literal
from tests.conftest import local_app


class Rebinding(AbstractResolver):
    """A name server for one name: a public address the first time, then loopback."""

    def __init__(self) -> None:
        self.asked = 0

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked += 1
        address = "93.184.216.34" if self.asked == 1 else "127.0.0.1"
        return [
            {
                "hostname": host,
                "host": address,
                "port": port,
                "family": socket.AF_INET,
                "proto": 0,
                "flags": 0,
            }
        ]

    async def close(self) -> None:
        pass


@pytest.fixture
async def inside() -> AsyncIterator[tuple[int, list[str]]]:
    """A service on loopback, standing for one inside Flowyte's network."""
    hits: list[str] = []

    async def handle(request: web.Request) -> web.Response:
        hits.append(request.path)
        return web.json_response({"secret": "internal"})

    app = web.Application()
    app.router.add_get("/admin", handle)
    async with local_app(app) as base:
        yield int(base.rsplit(":", 1)[1]), hits


async def _get(resolver: AbstractResolver, url: str) -> int:
    connector = aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False)
    async with aiohttp.ClientSession(connector=connector) as http, http.get(url) as answer:
        return answer.status


async def test_a_name_rebound_to_loopback_is_refused_when_connecting(
    inside: tuple[int, list[str]],
) -> None:
    port, hits = inside
    names = Rebinding()
    assert await names.resolve("shop.example")  # a check made now would see a public address
    with pytest.raises(aiohttp.ClientConnectorError) as refused:
        await _get(
            CheckedResolver((), allow_loopback=False, inner=names),
            f"http://shop.example:{port}/admin",
        )
    assert isinstance(refused.value.os_error, HostNotAllowed)
    assert hits == []


async def test_loopback_is_called_where_allowed(inside: tuple[int, list[str]]) -> None:
    port, hits = inside
    names = Rebinding()
    await names.resolve("shop.example")
    by_name = CheckedResolver(("shop.example",), allow_loopback=False, inner=names)
    assert await _get(by_name, f"http://shop.example:{port}/admin") == 200
    in_demo = CheckedResolver((), allow_loopback=True, inner=names)
    assert await _get(in_demo, f"http://shop.example:{port}/admin") == 200
    assert hits == ["/admin", "/admin"]


def test_ip_literals_are_judged_before_any_connection() -> None:
    assert not may_call_literal("10.0.0.7", (), allow_loopback=False)
    assert not may_call_literal("169.254.169.254", (), allow_loopback=True)
    assert not may_call_literal("127.0.0.1", (), allow_loopback=False)
    assert may_call_literal("127.0.0.1", (), allow_loopback=True)
    assert may_call_literal("93.184.216.34", (), allow_loopback=False)
    assert may_call_literal("shop.example", (), allow_loopback=False)  # the resolver's call
