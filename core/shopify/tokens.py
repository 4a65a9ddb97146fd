"""Access tokens obtained with the client-credentials grant, held in memory per integration.

Decision: exchanged tokens are never written back to the database. The client id and secret
(sealed in the integration row) are the durable credential; a token is a cheap, short-lived
derivative, so a restarted process, or another replica, simply exchanges again. That keeps
the connect call the only writer of sealed credentials, and keeps credential writes off the
lookup path. A token lives here until it expires (with a margin), is rejected, or the
integration's credentials change (a new `generation`).

Concurrent lookups that need a token share one exchange.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from .connection import StoreConnection
from .singleflight import SingleFlight
from .transport import IssuedToken

# Refresh this long before the store says a token expires.
EXPIRY_MARGIN = 60.0

Exchange = Callable[[StoreConnection], Coroutine[Any, Any, IssuedToken]]


@dataclass
class _Held:
    token: str = field(repr=False)
    expires_at: float | None
    generation: str


class TokenCache:
    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._held: dict[str, _Held] = {}
        self._exchanges: SingleFlight[str] = SingleFlight()
        self.exchanges = 0

    def __repr__(self) -> str:
        return f"TokenCache({len(self._held)} held, <redacted>)"

    async def current(self, conn: StoreConnection, exchange: Exchange) -> str:
        """The token to call the store with now."""
        creds = conn.credentials
        if not creds.uses_client_credentials:
            return creds.access_token
        held = self._usable(conn)
        if held is not None:
            return held.token
        return await self._exchange(conn, exchange)

    async def refresh(self, conn: StoreConnection, rejected: str, exchange: Exchange) -> str | None:
        """A replacement for a token the store just rejected, or None when this integration
        has no way to get one (a plain access token)."""
        if not conn.credentials.uses_client_credentials:
            return None
        held = self._usable(conn)
        if held is not None and held.token != rejected:
            return held.token  # a concurrent lookup refreshed it already
        self._held.pop(conn.key, None)
        return await self._exchange(conn, exchange)

    def _usable(self, conn: StoreConnection) -> _Held | None:
        held = self._held.get(conn.key)
        if held is None or held.generation != conn.generation:
            return None
        if held.expires_at is not None and self._clock() >= held.expires_at:
            return None
        return held

    async def _exchange(self, conn: StoreConnection, exchange: Exchange) -> str:
        async def run() -> str:
            issued = await exchange(conn)
            self.exchanges += 1
            expires_at = None
            if issued.expires_in is not None:
                expires_at = self._clock() + max(0.0, issued.expires_in - EXPIRY_MARGIN)
            self._held[conn.key] = _Held(issued.token, expires_at, conn.generation)
            return issued.token

        return await self._exchanges.run(("exchange", conn.key, conn.generation), run)
