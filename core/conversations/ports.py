"""The brain's ports onto the outside world, bound to one organization and agent."""

from __future__ import annotations

from collections import Counter

from core.domain.order_status import OrderStatus
from core.engine.turn import AttemptsPort
from core.runtime import Runtime
from core.shopify.lookup import OrderLookup
from core.store import attempts


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
        return attempts.live_count(record)

    async def record_failure(self, order_key: str) -> int:
        async with self._runtime.sessions() as session:
            count = await attempts.record_failure(session, self._org_id, self._agent_id, order_key)
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
