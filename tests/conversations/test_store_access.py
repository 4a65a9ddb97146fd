"""What real stores answer besides orders, end to end: the demo store refuses as Shopify does
(HTTP 200 with ACCESS_DENIED for a missing scope or for protected customer data Shopify has
not approved the app for; SHOP_INACTIVE), the customer hears that the order can't be checked
now (never that there is no such order, and no verification attempt is spent), and the
merchant sees what to fix in the integration's status and in the prepublish report."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from core.domain.store_errors import StoreAccessDenied, StoreUnavailable, merchant_words
from core.engine.wording import wording_for
from demostore import DemoStoreHandle
from frontends.gateway import start_gateway
from tests.conftest import CoreFixture
from tests.gateway.conftest import Api

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


async def _conversation(api: Api, agent_id: str, *lines: str) -> list[dict[str, Any]]:
    session = (await api.post("/chat/sessions", {"agentId": agent_id})).data["id"]
    turns = []
    for line in lines:
        reply = await api.post(f"/chat/sessions/{session}/messages", {"content": line})
        assert reply.status == 200, reply.body
        turns.append(dict(reply.data))
    return turns


async def _integration(api: Api) -> dict[str, Any]:
    [integration] = (await api.get("/integrations")).data
    return dict(integration)


@pytest.mark.parametrize(
    ("faults", "reason", "status", "customer_hears"),
    [
        (
            {"scopes": ["read_fulfillments"]},
            "STORE_ACCESS_DENIED",
            "misconfigured",
            wording_for("en").line(StoreAccessDenied.customer_line),
        ),
        (
            {"customerDataDenied": True},
            "STORE_CUSTOMER_DATA_DENIED",
            "misconfigured",
            wording_for("en").line(StoreAccessDenied.customer_line),
        ),
        (
            {"shopInactive": True},
            "STORE_SHOP_INACTIVE",
            "unavailable",
            wording_for("en").line(StoreUnavailable.customer_line),
        ),
    ],
    ids=["no read_orders", "no customer data", "shop inactive"],
)
async def test_the_merchant_is_told_what_to_fix_and_the_customer_never_hears_no_such_order(
    merchant, demo_store, faults, reason, status, customer_hears
):
    api, agent_id = merchant
    demo_store.store.faults.update(faults)

    turns = await _conversation(
        api, agent_id, "Where is my order #1001?", "my email is ava.chen@example.com"
    )
    said = [turn["reply"]["content"] for turn in turns]
    assert customer_hears in said, said
    assert not any("couldn't find" in line or "check the order number" in line for line in said)
    events = [event for turn in turns for event in turn["events"]]
    # Nothing was held against the customer: no failed verification, no lock.
    assert not [e for e in events if e["eventType"] == "verification"], events

    integration = await _integration(api)
    assert integration["status"] == status
    assert integration["statusReason"] == reason
    assert integration["statusMessage"] == merchant_words(reason)
    report = (await api.get(f"/agents/{agent_id}/prepublish-report")).data
    assert any(merchant_words(reason) in w for w in report["warnings"]), report["warnings"]
    assert not any("answered just now" in w for w in report["will"])

    # The merchant fixes it: the report and the integration say so, the customer is answered.
    demo_store.store.faults.reset()
    report = (await api.get(f"/agents/{agent_id}/prepublish-report")).data
    assert any("answered just now" in w for w in report["will"])
    integration = await _integration(api)
    assert integration["status"] == "connected"
    assert integration["statusReason"] is None and integration["statusMessage"] is None
    turns = await _conversation(
        api, agent_id, "Where is my order #1001?", "my email is ava.chen@example.com"
    )
    assert "on its way" in turns[-1]["reply"]["content"]


async def test_the_messages_say_what_to_do():
    assert "read_orders" in merchant_words("STORE_ACCESS_DENIED")
    assert "protected customer data" in merchant_words("STORE_CUSTOMER_DATA_DENIED")
    assert "inactive" in merchant_words("STORE_SHOP_INACTIVE")
