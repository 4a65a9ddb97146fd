"""The brain's ports onto the outside world, bound to one organization and agent."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from core.domain.order_status import OrderStatus
from core.domain.verification_factors import Factor, FactorClaim, fingerprint
from core.engine.turn import SkillCall, SkillFailed
from core.runtime import Runtime
from core.shopify.lookup import KIND as SHOPIFY
from core.shopify.lookup import OrderLookup
from core.store import attempts, skill_headers
from core.store.tables import SkillRow
from core.webhook_http import HostNotAllowed, may_call_literal

from .lookup_watch import store_lookup

log = logging.getLogger(__name__)

# What the attempts ledger's keyed hashes are made with: a key of their own from the vault.
FACTOR_KEY_PURPOSE = "verification-factors"


class StoreOrders:
    """OrderPort: the organization's own live store, through the process's one OrderLookup."""

    def __init__(self, lookup: OrderLookup, org_id: str):
        self._lookup = lookup
        self._org_id = org_id

    async def by_name(self, order_number: str) -> list[OrderStatus]:
        with store_lookup():  # a call waiting on it may say "one moment" (lookup_watch.py)
            return await self._lookup.by_name(self._org_id, order_number)


class RecordedAttempts:
    """AttemptsPort on the attempts ledger (core/store/attempts.py) of the organization's
    store: one count per order for every agent, session, channel and replica. Details are
    kept as keyed hashes under a key derived from the master key (never the detail)."""

    STORE = SHOPIFY  # an organization has one store: its Shopify integration

    def __init__(self, runtime: Runtime, org_id: str):
        self._runtime = runtime
        self._org_id = org_id

    async def failures(self, order_key: str) -> int:
        async def load() -> attempts.Failures:
            async with self._runtime.sessions() as session:
                return await attempts.read(session, self._org_id, self.STORE, order_key)

        key = attempts.cache_key(self._org_id, self.STORE, order_key)
        found = await self._runtime.cache.get_or_load("attempts", key, load)
        assert found is not None
        return attempts.live_count(found, self._runtime.now_ms())

    async def claim(self, order_key: str, factor: Factor, value: str, limit: int) -> FactorClaim:
        digest = self._digest(order_key, factor, value)
        async with self._runtime.sessions() as session:
            claimed = await attempts.claim(
                session, self._org_id, self.STORE, order_key, digest, limit, self._runtime.now_ms()
            )
            await session.commit()
        return claimed

    async def release(self, order_key: str, factor: Factor, value: str) -> None:
        digest = self._digest(order_key, factor, value)
        async with self._runtime.sessions() as session:
            await attempts.release(session, self._org_id, self.STORE, order_key, digest)
            await session.commit()

    def _digest(self, order_key: str, factor: Factor, value: str) -> str:
        key = self._runtime.sealer.keyring.derived_key(FACTOR_KEY_PURPOSE)
        return fingerprint(key, (self._org_id, self.STORE, order_key), factor, value)


class WebhookSkills:
    """SkillPort: the organization's webhook skills, called with their sealed headers.

    Only hosts that are public (or that the operator allowed, or loopback in demo mode) are
    called, judged on the addresses each connection uses (core/webhook_http.py): a
    merchant's webhook must not reach into the network Flowyte runs in. Answers are capped
    at MAX_ANSWER bytes and must be JSON."""

    MAX_ANSWER = 64 * 1024

    def __init__(self, runtime: Runtime, org_id: str):
        self._runtime = runtime
        self._org_id = org_id

    async def call(self, call: SkillCall) -> Any:
        skill_id = call.skill_id
        async with self._runtime.sessions() as session:
            row = await session.get(SkillRow, skill_id)
        if row is None or row.org_id != self._org_id:
            raise SkillFailed("no such skill")  # deleted since the version was published
        settings = self._runtime.settings
        host = urlsplit(call.url).hostname or ""
        if not may_call_literal(host, settings.allowed_api_hosts, settings.demo):
            raise _not_allowed(skill_id)
        headers = skill_headers.opened(self._runtime.sealer, row)
        timeout = aiohttp.ClientTimeout(total=call.timeout_ms / 1000)
        sent: dict[str, Any] = (
            {"params": {k: str(v) for k, v in call.arguments.items()}}
            if call.method == "GET"
            else {"json": dict(call.arguments)}
        )
        try:
            async with self._runtime.webhook_session().request(
                call.method,
                call.url,
                headers=headers,
                timeout=timeout,
                allow_redirects=False,
                **sent,
            ) as response:
                body = await response.content.read(self.MAX_ANSWER + 1)
                if response.status >= 300 or len(body) > self.MAX_ANSWER:
                    raise SkillFailed(f"status {response.status}, {len(body)} bytes")
        except aiohttp.ClientConnectorError as error:
            if isinstance(error.os_error, HostNotAllowed):
                raise _not_allowed(skill_id) from None
            log.warning("webhook skill %s: %s", skill_id, type(error).__name__)
            raise SkillFailed("unreachable") from None
        except (aiohttp.ClientError, TimeoutError) as error:
            log.warning("webhook skill %s: %s", skill_id, type(error).__name__)
            raise SkillFailed("unreachable") from None
        try:
            return json.loads(body) if body else None
        except ValueError:
            raise SkillFailed("not JSON") from None


def _not_allowed(skill_id: str) -> SkillFailed:
    log.warning("webhook skill %s: its host is not one Flowyte may call", skill_id)
    return SkillFailed("host not allowed")
