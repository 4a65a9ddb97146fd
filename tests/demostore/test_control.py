"""Live changes through the control API show in the very next GraphQL query."""

from __future__ import annotations

from typing import Any

import pytest

from demostore.control import _is_loopback
from tests.demostore.conftest import Store

ORDER = """
  query One($q: String!) { orders(first: 1, query: $q) { nodes {
    cancelledAt cancelReason displayFinancialStatus displayFulfillmentStatus
    fulfillments(first: 5) {
      name displayStatus inTransitAt deliveredAt estimatedDeliveryAt
      trackingInfo(first: 5) { company number url }
      events(first: 1, sortKey: HAPPENED_AT, reverse: true) { nodes { status message city } }
    }
  } } }
"""


async def order(store: Store, name: str) -> dict[str, Any]:
    nodes = (await store.gql(ORDER, {"q": f"name:{name}"})).data["orders"]["nodes"]
    assert len(nodes) == 1
    found: dict[str, Any] = nodes[0]
    return found


async def test_a_carrier_event_moves_the_fulfillment_along(demo: Store) -> None:
    before = await order(demo, "2014")
    assert before["fulfillments"][0]["displayStatus"] == "LABEL_PRINTED"
    assert before["fulfillments"][0]["inTransitAt"] is None
    await demo.control(
        "POST",
        "/_demo/orders/2014/events",
        {
            "status": "IN_TRANSIT",
            "happenedAt": "2026-11-27T08:00:00Z",
            "message": "Departed facility",
            "city": "Portland",
            "estimatedDeliveryAt": "2026-12-01T20:00:00Z",
        },
    )
    after = (await order(demo, "2014"))["fulfillments"][0]
    assert after["displayStatus"] == "IN_TRANSIT"
    assert after["inTransitAt"] == "2026-11-27T08:00:00Z"
    assert after["estimatedDeliveryAt"] == "2026-12-01T20:00:00Z"
    assert after["events"]["nodes"] == [
        {"status": "IN_TRANSIT", "message": "Departed facility", "city": "Portland"}
    ]


async def test_out_for_delivery_then_delivered(demo: Store) -> None:
    await demo.control(
        "POST",
        "/_demo/orders/2001/fulfillments/F1/events",
        {"status": "OUT_FOR_DELIVERY", "happenedAt": "2026-11-27T15:00:00Z"},
    )
    assert (await order(demo, "2001"))["fulfillments"][0]["displayStatus"] == "OUT_FOR_DELIVERY"
    await demo.control(
        "POST", "/_demo/orders/%232001/deliver", {"happenedAt": "2026-11-27T19:00:00Z"}
    )
    fulfillment = (await order(demo, "#2001"))["fulfillments"][0]
    assert fulfillment["displayStatus"] == "DELIVERED"
    assert fulfillment["deliveredAt"] == "2026-11-27T19:00:00Z"
    assert fulfillment["events"]["nodes"][0]["status"] == "DELIVERED"


async def test_deliver_picks_a_fulfillment_of_a_split_order(demo: Store) -> None:
    await demo.control("POST", "/_demo/orders/2010/deliver", {"fulfillment": "#2010-F2"})
    shipments = (await order(demo, "2010"))["fulfillments"]
    assert [f["displayStatus"] for f in shipments] == ["DELIVERED", "DELIVERED"]
    assert shipments[1]["deliveredAt"] is not None


async def test_cancel_with_refund(demo: Store) -> None:
    await demo.control("POST", "/_demo/orders/2009/cancel", {"reason": "INVENTORY", "refund": True})
    cancelled = await order(demo, "2009")
    assert cancelled["cancelReason"] == "INVENTORY"
    assert cancelled["cancelledAt"] is not None
    assert cancelled["displayFinancialStatus"] == "REFUNDED"
    names = await demo.gql('{ orders(first: 5, query: "status:cancelled") { nodes { name } } }')
    assert sorted(n["name"] for n in names.data["orders"]["nodes"]) == ["#2008", "#2009"]


async def test_a_new_shipment_with_tracking(demo: Store) -> None:
    tracking = {
        "company": "UPS",
        "number": "1Z999",
        "url": "https://www.ups.com/track?tracknum=1Z999",
    }
    await demo.control(
        "POST",
        "/_demo/orders/2009/fulfillments",
        {"trackingInfo": [tracking], "estimatedDeliveryAt": "2026-12-03T20:00:00Z"},
    )
    shipped = await order(demo, "2009")
    assert shipped["displayFulfillmentStatus"] == "FULFILLED"
    assert len(shipped["fulfillments"]) == 1
    fulfillment = shipped["fulfillments"][0]
    assert fulfillment["name"] == "#2009-F1"
    assert fulfillment["displayStatus"] == "CONFIRMED"
    assert fulfillment["trackingInfo"] == [tracking]


async def test_a_new_enum_value_arriving_live_is_served(demo: Store) -> None:
    await demo.control("POST", "/_demo/orders/2004/events", {"status": "RETURNED_TO_SENDER"})
    assert (await order(demo, "2004"))["fulfillments"][0]["displayStatus"] == "RETURNED_TO_SENDER"


async def test_add_an_order_and_reset(demo: Store) -> None:
    new = {
        "id": "gid://shopify/Order/7000000001",
        "name": "#3001",
        "email": "new.customer@example.com",
        "phone": None,
        "createdAt": "2026-11-27T10:00:00Z",
        "displayFinancialStatus": "PENDING",
        "displayFulfillmentStatus": "UNFULFILLED",
        "statusPageUrl": "https://juniper-pine-outfitters.myshopify.com/orders/status/3001",
        "lineItems": {"nodes": [{"title": "Gift Card", "quantity": 1, "sku": None}]},
    }
    stored = await demo.control("POST", "/_demo/orders", new)
    assert stored["fulfillments"] == [] and stored["processedAt"] == new["createdAt"]
    assert (await order(demo, "3001"))["displayFinancialStatus"] == "PENDING"
    state = await demo.control("GET", "/_demo/state")
    assert len(state["orders"]) == 16
    assert "shpat_" not in str(state["credentials"])  # never a secret
    await demo.control("POST", "/_demo/reset")
    reply = await demo.gql('{ orders(first: 5, query: "name:3001") { nodes { name } } }')
    assert reply.data["orders"]["nodes"] == []


async def test_mistakes_get_clear_answers(demo: Store) -> None:
    url = demo.handle.url
    async with demo.http.post(url + "/_demo/orders/9999/deliver") as r:
        assert r.status == 404
        assert "9999" in (await r.json())["error"]
    async with demo.http.post(url + "/_demo/orders/2009/deliver") as r:
        assert r.status == 404  # no fulfillment to deliver
    async with demo.http.post(url + "/_demo/orders/2001/events", json={"message": "x"}) as r:
        assert r.status == 400
    async with demo.http.post(url + "/_demo/orders/2001/cancel", json={"reason": "not valid"}) as r:
        assert r.status == 400
    async with demo.http.post(url + "/_demo/orders", data=b"{") as r:
        assert r.status == 400


@pytest.mark.parametrize(
    ("remote", "allowed"),
    [
        ("127.0.0.1", True),
        ("127.5.5.5", True),
        ("::1", True),
        ("::ffff:127.0.0.1", True),
        ("10.0.0.7", False),
        ("192.168.1.2", False),
        ("2001:db8::1", False),
        (None, False),
        ("garbage", False),
    ],
)
def test_the_control_api_is_for_loopback_only(remote: str | None, allowed: bool) -> None:
    assert _is_loopback(remote) is allowed
