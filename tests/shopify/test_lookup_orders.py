"""OrderLookup against the real demo store over HTTP: what the store holds is what comes out,
live, by name or email."""

from __future__ import annotations

import asyncio

from core.domain.order_status import OrderState

from .conftest import connect, control, set_faults, store_data
from .fixtures import EXPECTED_STATES


async def test_every_example_order_comes_out_in_its_state(core, demo_store):
    shop = await connect(core, await demo_store())
    for name, state in EXPECTED_STATES.items():
        [order] = await shop.lookup.by_name(shop.org_id, name)
        assert order.name == name and order.state == OrderState(state), name
        assert order.shop_timezone == "America/New_York"
    assert await shop.status() == "connected"


async def test_details_of_an_in_transit_order(core, demo_store):
    shop = await connect(core, await demo_store())
    [order] = await shop.lookup.by_name(shop.org_id, "1001")
    [shipment] = order.shipments
    assert shipment.carrier == "UPS" and shipment.tracking_numbers == ("1Z999AA10123456784",)
    assert shipment.latest_event is not None
    assert shipment.latest_event.message == "Departed facility"
    assert order.factors.email == "ava.chen@example.com"
    assert order.factors.shipping_zip == "97209"
    assert order.line_items[0].title == "Trail Runner 3"


async def test_order_number_forms_and_a_missing_order(core, demo_store):
    shop = await connect(core, await demo_store())
    for given in ("1002", "#1002", " # 1002 "):
        assert [o.name for o in await shop.lookup.by_name(shop.org_id, given)] == ["#1002"]
    assert await shop.lookup.by_name(shop.org_id, "#9999") == []
    assert await shop.lookup.by_name(shop.org_id, "") == []
    # A caller's text cannot widen the search: it is one quoted value.
    assert await shop.lookup.by_name(shop.org_id, '1002" OR name:"1003') == []
    assert await shop.lookup.by_name(shop.org_id, "*") == []


async def test_suffixed_names_match_exactly(core, demo_store):
    store = await demo_store()
    original = await control(store, "GET", "orders/1001")
    suffixed = {
        **original,
        "id": "gid://shopify/Order/5500000101",
        "name": "#1001-A",
        "email": "second.parcel@example.com",
        "fulfillments": [],
        "displayFulfillmentStatus": "UNFULFILLED",
    }
    await control(store, "POST", "orders", suffixed)
    shop = await connect(core, store)
    [order] = await shop.lookup.by_name(shop.org_id, "#1001-A")
    assert order.name == "#1001-A" and order.state is OrderState.PROCESSING
    assert [o.name for o in await shop.lookup.by_name(shop.org_id, "1001-a")] == ["#1001-A"]
    assert [o.name for o in await shop.lookup.by_name(shop.org_id, "1001")] == ["#1001"]


async def test_unknown_statuses_survive_the_round_trip(core, demo_store):
    data = store_data()
    order = next(o for o in data["orders"] if o["name"] == "#1001")
    order["fulfillments"][0]["displayStatus"] = "RETURNED_TO_SENDER"
    order["fulfillments"][0]["events"]["nodes"][-1]["status"] = "BOUNCED_BACK"
    shop = await connect(core, await demo_store(data))
    [found] = await shop.lookup.by_name(shop.org_id, "1001")
    assert found.state is OrderState.UNKNOWN and found.raw_state == "RETURNED_TO_SENDER"
    assert found.shipments[0].display_status == "RETURNED_TO_SENDER"
    assert found.shipments[0].latest_event.status == "BOUNCED_BACK"


async def test_a_live_change_is_what_the_next_lookup_returns(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store)
    [before] = await shop.lookup.by_name(shop.org_id, "1001")
    assert before.state is OrderState.IN_TRANSIT
    await control(
        store, "POST", "orders/1001/deliver", {"message": "Left at the door", "city": "Portland"}
    )
    [after] = await shop.lookup.by_name(shop.org_id, "1001")
    assert after.state is OrderState.DELIVERED
    assert after.shipments[0].delivered_at is not None
    assert after.shipments[0].latest_event.message == "Left at the door"
    await control(store, "POST", "orders/1003/cancel", {"reason": "CUSTOMER", "refund": True})
    [cancelled] = await shop.lookup.by_name(shop.org_id, "1003")
    assert cancelled.state is OrderState.CANCELLED


async def test_concurrent_identical_lookups_share_one_request(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store)
    await set_faults(store, latencyMs=150)
    results = await asyncio.gather(
        *(shop.lookup.by_name(shop.org_id, form) for form in ["1002", "#1002", " #1002"] * 4)
    )
    assert all([o.name for o in r] == ["#1002"] for r in results)
    assert shop.client.requests_sent == 1
    # Sharing is not caching: the next lookup asks the store again.
    await shop.lookup.by_name(shop.org_id, "1002")
    assert shop.client.requests_sent == 2
