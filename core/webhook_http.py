"""The HTTP session merchants' webhooks are called through.

Which addresses may be called is decided per connection, on the very addresses it connects
to (core/domain/outbound.py says which): the resolver refuses a host any of whose addresses
is off limits. Checking a name once before the request and connecting after a second
lookup would let a name that answers a public address first and a private one next (DNS
rebinding) reach into Flowyte's own network. An IP-literal URL never meets a resolver, so
the caller checks that one itself (`may_call_literal`).
"""

from __future__ import annotations

import socket

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from core.domain import outbound


class HostNotAllowed(OSError):
    """A host with an address Flowyte may not call on a merchant's behalf."""


class CheckedResolver(AbstractResolver):
    def __init__(
        self,
        allowed_hosts: tuple[str, ...],
        allow_loopback: bool,
        inner: AbstractResolver | None = None,
    ):
        self._allowed = allowed_hosts
        self._loopback = allow_loopback
        self._inner = inner or aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        name = host.rstrip(".")
        if not answers or not all(
            outbound.may_call(name, answer["host"], self._allowed, self._loopback)
            for answer in answers
        ):
            raise HostNotAllowed(f"{name} is not a host Flowyte may call")
        return answers

    async def close(self) -> None:
        await self._inner.close()


def may_call_literal(host: str, allowed_hosts: tuple[str, ...], allow_loopback: bool) -> bool:
    """For a URL whose host is an IP address (which no resolver sees): whether it may be
    called. Any other host is the resolver's to judge, so True."""
    if outbound.ip_address(host) is None:
        return True
    return outbound.may_call(host, host, allowed_hosts, allow_loopback)


def webhook_session(allowed_hosts: tuple[str, ...], allow_loopback: bool) -> aiohttp.ClientSession:
    # No cookie jar (one merchant's cookies must never reach another), no proxy from the
    # environment, and redirects are refused per request.
    resolver = CheckedResolver(allowed_hosts, allow_loopback)
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=200, limit_per_host=20, resolver=resolver),
        cookie_jar=aiohttp.DummyCookieJar(),
    )
