"""Each fault mode, flipped live through the control API, then off again."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import aiohttp
import pytest

from demostore.faults import Faults, FaultsError
from tests.demostore.conftest import Store
from tests.example_store import AS_OF

SHOP = "{ shop { name } }"


async def set_faults(store: Store, **faults: Any) -> dict[str, Any]:
    result: dict[str, Any] = await store.control("PATCH", "/_demo/faults", faults)
    return result


async def assert_healthy(store: Store) -> None:
    await store.control("DELETE", "/_demo/faults")
    assert (await store.gql(SHOP)).data == {"shop": {"name": "Juniper & Pine Outfitters"}}


@pytest.mark.parametrize(
    ("fault", "status", "body"),
    [
        ("locked", 423, {"errors": "This store is unavailable"}),
        ("paymentRequired", 402, {"errors": "Unavailable Shop"}),
        (
            "forbidden",
            403,
            {"errors": "[API] This action requires merchant approval for read_orders scope."},
        ),
        ("notFound", 404, {"errors": "Not Found"}),
    ],
)
async def test_store_states(demo: Store, fault: str, status: int, body: dict[str, Any]) -> None:
    await set_faults(demo, **{fault: True})
    reply = await demo.gql(SHOP)
    assert (reply.status, reply.body) == (status, body)
    await assert_healthy(demo)


async def test_5xx_with_shopify_like_bodies(demo: Store) -> None:
    await set_faults(demo, failNext=1, failStatus=503)
    reply = await demo.gql(SHOP)
    assert (reply.status, reply.body) == (503, {"errors": "Service Unavailable"})
    assert (await demo.gql(SHOP)).status == 200  # only the next one failed

    await set_faults(demo, failNext=1, failStatus=502)
    reply = await demo.gql(SHOP)
    assert reply.status == 502
    assert reply.headers["Content-Type"].startswith("text/html")
    assert "502 Bad Gateway" in reply.body

    await set_faults(demo, failRate=1.0, failStatus=None)
    for _ in range(5):
        assert (await demo.gql(SHOP)).status in (502, 503)
    await assert_healthy(demo)


async def test_dropped_connections(demo: Store) -> None:
    await set_faults(demo, dropNext=2)
    for _ in range(2):
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await demo.gql(SHOP)
    assert (await demo.gql(SHOP)).status == 200
    await set_faults(demo, dropRate=1.0)
    with pytest.raises(aiohttp.ClientConnectionError):
        await demo.gql(SHOP)
    await assert_healthy(demo)


async def test_added_latency(demo: Store) -> None:
    await set_faults(demo, latencyMs=150)
    started = time.monotonic()
    assert (await demo.gql(SHOP)).status == 200
    assert time.monotonic() - started >= 0.15
    await assert_healthy(demo)


async def test_forced_throttling_charges_nothing(demo: Store) -> None:
    await set_faults(demo, throttleNext=1)
    reply = await demo.gql(SHOP)
    assert reply.status == 200
    assert reply.body["errors"][0]["extensions"]["code"] == "THROTTLED"
    assert reply.cost["actualQueryCost"] is None
    assert reply.available == 2000
    await set_faults(demo, throttled=True)
    assert (await demo.gql(SHOP)).body["errors"][0]["message"] == "Throttled"
    await assert_healthy(demo)


async def test_http_429_with_retry_after(demo: Store) -> None:
    await set_faults(demo, http429=True, retryAfter=1.5)
    reply = await demo.gql(SHOP)
    assert reply.status == 429
    assert reply.headers["Retry-After"] == "1.5"
    assert "errors" in reply.body
    await set_faults(demo, http429=False, http429Next=1, retryAfter=2)
    assert (await demo.gql(SHOP)).headers["Retry-After"] == "2"
    await assert_healthy(demo)


async def test_start_time_flags(start: Any) -> None:
    store: Store = await start(None, locked=True, latency_ms=10)
    assert (await store.gql(SHOP)).status == 423
    faults = await store.control("GET", "/_demo/faults")
    assert faults["locked"] is True and faults["latencyMs"] == 10


async def test_fault_settings_are_checked(demo: Store) -> None:
    async with demo.http.patch(demo.handle.url + "/_demo/faults", json={"failRate": 2}) as r:
        assert r.status == 400
        assert "failRate" in (await r.json())["error"]
    async with demo.http.patch(demo.handle.url + "/_demo/faults", json={"explode": True}) as r:
        assert r.status == 400
    with pytest.raises(FaultsError):
        Faults().update({"locked": "yes"})
    with pytest.raises(FaultsError, match="scopes"):
        Faults().update({"scopes": "read_orders"})
    with pytest.raises(FaultsError, match="scopes"):
        Faults().update({"scopes": ["read orders; drop"]})


ORDER = (
    '{ orders(first: 1, query: "name:#2001") '
    "{ nodes { name email phone shippingAddress { zip } } } }"
)


async def test_a_missing_scope_is_access_denied_with_http_200(demo: Store) -> None:
    await set_faults(demo, scopes=["read_fulfillments"])
    reply = await demo.gql(ORDER)
    assert reply.status == 200
    assert reply.body["data"] is None  # orders is non-null: the whole answer is null
    [error] = reply.body["errors"]
    assert error["message"] == (
        "Access denied for orders field. Required access: `read_orders` access scope."
    )
    assert error["path"] == ["orders"]
    assert error["extensions"]["code"] == "ACCESS_DENIED"
    assert error["extensions"]["requiredAccess"] == "`read_orders` access scope."
    assert (await demo.gql(SHOP)).data  # the shop needs no scope
    await set_faults(demo, scopes=["write_orders"])  # a write scope reads too
    assert (await demo.gql(ORDER)).data["orders"]["nodes"][0]["name"] == "#2001"
    await assert_healthy(demo)


async def test_protected_customer_data_is_withheld_field_by_field(demo: Store) -> None:
    await set_faults(demo, customerDataDenied=True)
    reply = await demo.gql(ORDER)
    assert reply.status == 200
    [order] = reply.body["data"]["orders"]["nodes"]
    assert order == {"name": "#2001", "email": None, "phone": None, "shippingAddress": None}
    paths = sorted(e["path"][-1] for e in reply.body["errors"])
    assert paths == ["email", "phone", "shippingAddress"]
    assert {e["extensions"]["code"] for e in reply.body["errors"]} == {"ACCESS_DENIED"}
    assert "not approved" in reply.body["errors"][0]["message"]
    await assert_healthy(demo)


async def test_an_inactive_shop_is_shop_inactive_with_http_200(demo: Store) -> None:
    await set_faults(demo, shopInactive=True)
    reply = await demo.gql(SHOP)
    assert reply.status == 200
    assert reply.body == {
        "errors": [{"message": "This shop is not active.", "extensions": {"code": "SHOP_INACTIVE"}}]
    }
    await assert_healthy(demo)


async def test_without_read_all_orders_only_the_last_60_days_are_seen(demo: Store) -> None:
    # The fixture's clock stands at the data's asOf; two copies of #2001, ordered 59 and 61
    # days before it.
    state = await demo.control("GET", "/_demo/state")
    original = next(o for o in state["orders"] if o["name"] == "#2001")
    for days, number in ((59, 9101), (61, 9102)):
        created = (AS_OF - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%SZ")
        copy = {**original, "id": f"gid://shopify/Order/{number}", "name": f"#{number}"}
        copy.update(createdAt=created, processedAt=created, fulfillments=[])
        await demo.control("POST", "/_demo/orders", copy)
    search = '{ orders(first: 5, query: "name:#9101 OR name:#9102") { nodes { name } } }'
    by_id = '{ order(id: "gid://shopify/Order/9102") { name } }'

    async def seen() -> tuple[list[str], Any]:
        nodes = (await demo.gql(search)).data["orders"]["nodes"]
        return sorted(n["name"] for n in nodes), (await demo.gql(by_id)).data["order"]

    assert await seen() == (["#9101", "#9102"], {"name": "#9102"})
    await set_faults(demo, scopes=["read_orders", "read_fulfillments"])
    assert await seen() == (["#9101"], None)  # older orders are simply not there
    await assert_healthy(demo)
