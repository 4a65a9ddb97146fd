"""Who may call the store: the file's fixed access tokens, and tokens issued to its OAuth
clients by the client credentials grant (`POST /admin/oauth/access_token`).

Each caller maps to an *app*: the rate-limit bucket is per app and store, so every token a
client is issued shares that client's bucket, and each fixed token is an app of its own.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from demostore.store_file import Json

DEFAULT_TOKEN_TTL = 86399  # seconds; what Shopify's client credentials grant hands out
# What an app the file does not give a scope has: an order-status app installed with the
# whole order history (read_all_orders; without it Shopify shows the last 60 days).
DEFAULT_SCOPE = "read_orders,read_all_orders,read_fulfillments"


@dataclass
class IssuedToken:
    client_id: str
    scope: str
    expires_at: float


class GrantError(Exception):
    """A refused token request: HTTP status and an OAuth error body."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.body = {"error": error, "error_description": description}


class Credentials:
    def __init__(
        self,
        access_tokens: list[str],
        clients: list[Json],
        token_ttl: float = DEFAULT_TOKEN_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fixed = {token: f"app:accessTokens[{i}]" for i, token in enumerate(access_tokens)}
        self._clients = {c["clientId"]: c for c in clients}
        self._issued: dict[str, IssuedToken] = {}
        self.token_ttl = token_ttl
        self._clock = clock

    def app_for(self, token: str | None) -> str | None:
        """The app a token belongs to (its bucket key), or None if it opens nothing."""
        if not token:
            return None
        for known, app in self._fixed.items():
            if hmac.compare_digest(known.encode(), token.encode()):
                return app
        issued = self._issued.get(token)
        if issued is None:
            return None
        if issued.expires_at <= self._clock():
            del self._issued[token]
            return None
        return f"client:{issued.client_id}"

    def scopes_of(self, app: str) -> tuple[str, ...]:
        """The access scopes an app (from app_for) was granted."""
        client = (
            self._clients.get(app.removeprefix("client:")) if app.startswith("client:") else None
        )
        scope = (client.get("scope") if client else None) or DEFAULT_SCOPE
        return tuple(s.strip() for s in scope.split(",") if s.strip())

    def grant(self, params: dict[str, Any]) -> Json:
        """The client credentials grant: check the client, issue a token."""
        grant_type = params.get("grant_type")
        client_id = params.get("client_id")
        client_secret = params.get("client_secret")
        if not grant_type or not client_id or not client_secret:
            raise GrantError(
                400,
                "invalid_request",
                "The request is missing a required parameter (grant_type, client_id or "
                "client_secret).",
            )
        if grant_type != "client_credentials":
            raise GrantError(
                400,
                "unsupported_grant_type",
                "The authorization grant type is not supported by the authorization server.",
            )
        client = self._clients.get(str(client_id))
        if client is None or not hmac.compare_digest(
            str(client["clientSecret"]).encode(), str(client_secret).encode()
        ):
            raise GrantError(
                401,
                "invalid_client",
                "Client authentication failed due to unknown client, no client authentication "
                "included, or unsupported authentication method.",
            )
        token = "shpat_" + secrets.token_hex(16)
        scope = client.get("scope") or DEFAULT_SCOPE
        self._issued[token] = IssuedToken(str(client_id), scope, self._clock() + self.token_ttl)
        return {"access_token": token, "scope": scope, "expires_in": int(self.token_ttl)}

    def expire_issued(self, token: str | None = None) -> int:
        """Expire one issued token, or all of them; returns how many were live."""
        now = self._clock()
        targets = [token] if token else list(self._issued)
        count = 0
        for key in targets:
            issued = self._issued.get(key)
            if issued is not None and issued.expires_at > now:
                issued.expires_at = now
                count += 1
        return count

    def describe(self) -> Json:
        """For the control API: what exists, never the secrets themselves."""
        now = self._clock()
        live = [t for t in self._issued.values() if t.expires_at > now]
        return {
            "accessTokens": len(self._fixed),
            "clients": sorted(self._clients),
            "issuedTokens": [
                {"clientId": t.client_id, "scope": t.scope, "expiresIn": round(t.expires_at - now)}
                for t in live
            ],
            "tokenTtl": self.token_ttl,
        }
