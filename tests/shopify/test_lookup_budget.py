"""The per-shop budget against a real leaky bucket: wait instead of being throttled, and when
the store throttles anyway, back off and retry without the caller noticing."""

from __future__ import annotations

import asyncio
import dataclasses

import aiohttp
import pytest

from core.domain.store_errors import StoreTemporarilyUnavailable
from core.shopify.queries import DEFAULT_API_VERSION, ORDERS_QUERY

from .conftest import FAST, connect, control, set_faults

# A 100-point bucket restoring 200 points a second: every name search asks for most of the
# bucket (see ClientOptions.name_page_size), so only the restore rate, not luck, lets the
# next one in.
SMALL_BUCKET = {"bucket_capacity": 100, "restore_rate": 200}
PATIENT = dataclasses.replace(FAST, deadline=20.0)

NAMES = [f"#{n}" for n in range(1001, 1009)] + [f"#{n}" for n in range(2001, 2017)]


async def burst_without_a_limiter(store) -> int:
    """The same searches fired at once by a naive client: how many come back THROTTLED."""
    async with aiohttp.ClientSession() as session:

        async def one(name: str) -> bool:
            async with session.post(
                store.graphql_url(DEFAULT_API_VERSION),
                json={"query": ORDERS_QUERY, "variables": {"query": f'name:"{name}"', "first": 3}},
                headers={"X-Shopify-Access-Token": store.access_token},
            ) as response:
                body = await response.json()
            return any(e["extensions"]["code"] == "THROTTLED" for e in body.get("errors", []))

        return sum(await asyncio.gather(*(one(n) for n in NAMES)))


async def test_a_small_bucket_is_waited_out_not_hit(core, demo_store):
    store = await demo_store(**SMALL_BUCKET)
    # The scenario is a real squeeze: without pacing, most of the burst is throttled. Shown
    # with the restore paused, so a busy machine's slower burst cannot refill the bucket
    # between requests and hide it; then the bucket as the lookups meet it.
    await control(store, "POST", "bucket/reset", {"restoreRate": 0})
    assert await burst_without_a_limiter(store) >= len(NAMES) - 2
    await control(store, "POST", "bucket/reset", {"restoreRate": SMALL_BUCKET["restore_rate"]})
    shop = await connect(core, store, options=PATIENT)
    names = NAMES
    results = await asyncio.gather(*(shop.lookup.by_name(shop.org_id, n) for n in names))
    assert [r[0].name for r in results[:8]] == names[:8]
    assert all(r == [] for r in results[8:])
    assert shop.client.throttled_answers == 0
    assert shop.client.requests_sent == len(names)
    limiter = shop.client.shop_state(await shop.integration_id()).limiter
    assert limiter.status is not None and limiter.status.maximum_available == 100
    assert 50 < limiter.expected_cost("orders/name/3") <= 100


async def test_forced_throttling_is_retried_invisibly(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store)
    await set_faults(store, throttleNext=2)
    [order] = await shop.lookup.by_name(shop.org_id, "1001")
    assert order.name == "#1001"
    assert shop.client.throttled_answers == 2 and shop.client.requests_sent == 3
    assert await shop.status() == "connected"


async def test_http_429_waits_for_retry_after(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store)
    await set_faults(store, http429Next=1, retryAfter=0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    [order] = await shop.lookup.by_name(shop.org_id, "1002")
    assert order.name == "#1002" and loop.time() - started >= 0.2
    assert shop.client.throttled_answers == 1


async def test_throttling_that_never_ends_gives_up_after_three_retries(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store)
    await set_faults(store, throttled=True)
    with pytest.raises(StoreTemporarilyUnavailable) as raised:
        await shop.lookup.by_name(shop.org_id, "1001")
    assert raised.value.reason == "STORE_THROTTLED"
    assert shop.client.requests_sent == 4  # the first try and three retries
    assert await shop.status() == "unavailable"
    await set_faults(store, throttled=False)
    assert await shop.lookup.by_name(shop.org_id, "1001")
    assert await shop.status() == "connected"
