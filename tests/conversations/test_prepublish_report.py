"""The prepublish report asks the connected store, as a lookup would, whether order lookups
will work: a merchant hears about a rejected token or a locked store before customers do."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest

from core.api import agents as agents_api
from demostore import DemoStoreHandle
from frontends.gateway import start_gateway
from tests.conftest import CoreFixture
from tests.gateway.conftest import Api
from tests.shopify.conftest import SHOP

from .conftest import connect_and_publish, new_agent


@pytest.fixture
async def merchant(
    core: CoreFixture, demo_store: DemoStoreHandle, http: aiohttp.ClientSession
) -> AsyncIterator[tuple[Api, str]]:
    gateway = await start_gateway(core.target, port=0)
    key = await core.new_org_key()
    agent_id = await new_agent(core, key, publish=False)
    await connect_and_publish(core, key, agent_id, demo_store)
    try:
        yield Api(http, gateway.url + "/api/v1", key), agent_id
    finally:
        await gateway.stop()


async def _report(api: Api, agent_id: str) -> dict:
    reply = await api.get(f"/agents/{agent_id}/prepublish-report")
    assert reply.status == 200, reply.body
    return dict(reply.data)


async def _integration_status(api: Api) -> str:
    [integration] = (await api.get("/integrations")).data
    return str(integration["status"])


async def test_a_store_that_answers_is_named(merchant, demo_store):
    api, agent_id = merchant
    report = await _report(api, agent_id)
    assert (
        "Look orders up live in Example Outfitters (the store answered just now, in Shopify's "
        "Admin API 2026-10)" in report["will"]
    )
    assert not any("store could not be asked" in w for w in report["warnings"])
    assert not any("Admin API version" in w for w in report["warnings"])


async def test_an_unsupported_api_version_is_a_warning(merchant, demo_store):
    api, agent_id = merchant
    old = {"shop": SHOP, "access_token": demo_store.access_token}
    connected = await api.post(
        "/integrations/shopify/connect",
        {"credentials": old, "apiBaseUrl": demo_store.url, "apiVersion": "2025-01"},
    )
    assert connected.status == 200, connected.body
    report = await _report(api, agent_id)
    assert any("answered just now, in Shopify's Admin API 2026-01" in w for w in report["will"])
    [warning] = [w for w in report["warnings"] if "Admin API version" in w]
    assert "answered in Admin API version 2026-01, not the 2025-01" in warning
    [integration] = (await api.get("/integrations")).data
    assert (integration["apiVersion"], integration["answeredApiVersion"]) == ("2025-01", "2026-01")
    assert integration["status"] == "connected"


async def test_a_rejected_token_is_a_warning_and_marks_the_integration(merchant, demo_store):
    api, agent_id = merchant
    wrong = {"shop": SHOP, "access_token": "shpat_" + "0" * 32}
    connected = await api.post(
        "/integrations/shopify/connect", {"credentials": wrong, "apiBaseUrl": demo_store.url}
    )
    assert connected.status == 200 and await _integration_status(api) == "connected"
    report = await _report(api, agent_id)
    assert any("rejected the credentials" in w for w in report["warnings"]), report
    assert not any("answered just now" in w for w in report["will"])
    assert "shpat_" not in str(report)
    assert await _integration_status(api) == "needs_credential"

    right = {"shop": SHOP, "access_token": demo_store.access_token}
    await api.post(
        "/integrations/shopify/connect", {"credentials": right, "apiBaseUrl": demo_store.url}
    )
    assert any("answered just now" in w for w in (await _report(api, agent_id))["will"])
    assert await _integration_status(api) == "connected"


async def test_a_locked_store_is_a_warning(merchant, demo_store):
    api, agent_id = merchant
    demo_store.store.faults.locked = True
    report = await _report(api, agent_id)
    assert any("closed to apps" in w for w in report["warnings"]), report
    assert await _integration_status(api) == "unavailable"


async def test_an_agent_without_the_lookup_does_not_ask_the_store(merchant, demo_store):
    api, agent_id = merchant
    removed = await api.delete(f"/agents/{agent_id}/integrations/shopify/provision")
    assert removed.status in (200, 204), removed.body
    demo_store.store.faults.locked = True  # asked, it would mark the integration unavailable
    report = await _report(api, agent_id)
    assert not any("answered just now" in w for w in report["will"])
    assert not any("store could not be asked" in w for w in report["warnings"])
    assert await _integration_status(api) == "connected"


async def test_a_slow_store_is_a_warning_not_a_wait(merchant, demo_store, monkeypatch):
    api, agent_id = merchant
    monkeypatch.setattr(agents_api, "STORE_CHECK_SECONDS", 0.2)
    demo_store.store.faults.latencyMs = 2000
    report = await _report(api, agent_id)
    assert any("could not be reached" in w for w in report["warnings"]), report


async def test_a_token_without_read_all_orders_is_a_warning(merchant, demo_store):
    api, agent_id = merchant
    assert not any("read_all_orders" in w for w in (await _report(api, agent_id))["warnings"])
    # As a merchant who installed the app without it: lookups still work, for 60 days back.
    demo_store.store.faults.update({"scopes": ["read_orders", "read_fulfillments"]})
    report = await _report(api, agent_id)
    [warning] = [w for w in report["warnings"] if "read_all_orders" in w]
    assert "only the last 60 days of orders" in warning
    assert any("answered just now" in w for w in report["will"])
    assert await _integration_status(api) == "connected"
