"""The brain's ports onto the outside world, bound to one organization and agent."""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from core.domain.order_status import OrderStatus
from core.engine.turn import AttemptsPort, SkillCall, SkillFailed
from core.runtime import Runtime
from core.shopify.lookup import OrderLookup
from core.store import attempts, skill_headers
from core.store.tables import SkillRow
from core.webhook_http import HostNotAllowed, may_call_literal

log = logging.getLogger(__name__)


class StoreOrders:
    """OrderPort: the organization's own live store, through the process's one OrderLookup."""

    def __init__(self, lookup: OrderLookup, org_id: str):
        self._lookup = lookup
        self._org_id = org_id

    async def by_name(self, order_number: str) -> list[OrderStatus]:
        return await self._lookup.by_name(self._org_id, order_number)


class RecordedAttempts:
    """AttemptsPort on the verification_attempts table, shared by every replica."""

    def __init__(self, runtime: Runtime, org_id: str, agent_id: str):
        self._runtime = runtime
        self._org_id = org_id
        self._agent_id = agent_id

    async def failures(self, order_key: str) -> int:
        async def load() -> attempts.Record:
            async with self._runtime.sessions() as session:
                return await attempts.read(session, self._org_id, self._agent_id, order_key)

        key = attempts.cache_key(self._org_id, self._agent_id, order_key)
        record = await self._runtime.cache.get_or_load("attempts", key, load)
        assert record is not None
        return attempts.live_count(record, self._runtime.now_ms())

    async def record_failure(self, order_key: str) -> int:
        async with self._runtime.sessions() as session:
            count = await attempts.record_failure(
                session, self._org_id, self._agent_id, order_key, self._runtime.now_ms()
            )
            await session.commit()
        return count


class ReplayedAttempts:
    """AttemptsPort for a stateless completion, which replays the whole conversation on every
    request: failures of replayed (earlier) messages count only within this request, or a
    customer who once mistyped would lock their order by simply chatting on. The newest
    message's failures are recorded for real (`live`), so guessing across requests still
    locks, and guesses packed into one request lock within it."""

    def __init__(self, durable: AttemptsPort):
        self._durable = durable
        self._replayed: Counter[str] = Counter()
        self.live = False

    async def failures(self, order_key: str) -> int:
        return await self._durable.failures(order_key) + self._replayed[order_key]

    async def record_failure(self, order_key: str) -> int:
        if self.live:
            return await self._durable.record_failure(order_key) + self._replayed[order_key]
        self._replayed[order_key] += 1
        return await self.failures(order_key)


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
