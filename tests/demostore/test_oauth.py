"""The client credentials grant: tokens issued, used, expired (by time or on demand)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.demostore.conftest import Store

TOKEN_PATH = "/admin/oauth/access_token"
GOOD = {
    "client_id": "demo-client-id",
    "client_secret": "demo-client-secret",
    "grant_type": "client_credentials",
}


async def grant(store: Store, params: dict[str, str], *, as_json: bool = False) -> Any:
    if as_json:
        return await store.post(TOKEN_PATH, json=params)
    return await store.post(TOKEN_PATH, data=params)


@pytest.mark.parametrize("as_json", [False, True])
async def test_a_token_is_issued_and_works(demo: Store, as_json: bool) -> None:
    reply = await grant(demo, GOOD, as_json=as_json)
    assert reply.status == 200
    assert set(reply.body) == {"access_token", "scope", "expires_in"}
    assert reply.body["access_token"].startswith("shpat_")
    assert reply.body["scope"] == "read_orders,read_fulfillments"
    assert reply.body["expires_in"] == 86399
    shop = await demo.gql("{ shop { name } }", token=reply.body["access_token"])
    assert shop.data == {"shop": {"name": "Juniper & Pine Outfitters"}}


async def test_refused_grants(demo: Store) -> None:
    wrong = await grant(demo, {**GOOD, "client_secret": "nope"})
    assert wrong.status == 401
    assert wrong.body["error"] == "invalid_client"
    unknown = await grant(demo, {**GOOD, "client_id": "someone-else"})
    assert unknown.status == 401
    bad_type = await grant(demo, {**GOOD, "grant_type": "authorization_code"})
    assert (bad_type.status, bad_type.body["error"]) == (400, "unsupported_grant_type")
    missing = await grant(demo, {"client_id": "demo-client-id"})
    assert (missing.status, missing.body["error"]) == (400, "invalid_request")


async def test_expire_now_then_refresh_once(demo: Store) -> None:
    token = (await grant(demo, GOOD)).body["access_token"]
    assert (await demo.gql("{ shop { name } }", token=token)).status == 200
    expired = await demo.control("POST", "/_demo/tokens/expire")
    assert expired == {"expired": 1}
    assert (await demo.gql("{ shop { name } }", token=token)).status == 401
    fresh = (await grant(demo, GOOD)).body["access_token"]
    assert fresh != token
    assert (await demo.gql("{ shop { name } }", token=fresh)).status == 200
    # The file's fixed tokens do not expire.
    assert (await demo.gql("{ shop { name } }")).status == 200


async def test_tokens_expire_with_time(start: Any) -> None:
    store: Store = await start(None, token_ttl=0.2)
    body = (await grant(store, GOOD)).body
    assert body["expires_in"] == 0
    assert (await store.gql("{ shop { name } }", token=body["access_token"])).status == 200
    await asyncio.sleep(0.25)
    assert (await store.gql("{ shop { name } }", token=body["access_token"])).status == 401


async def test_tokens_of_one_client_share_its_bucket(start: Any) -> None:
    store: Store = await start(None, bucket_capacity=30, restore_rate=0)
    one = (await grant(store, GOOD)).body["access_token"]
    two = (await grant(store, GOOD)).body["access_token"]
    query = "{ orders(first: 20) { nodes { name } } }"
    assert (await store.gql(query, token=one)).available == 13
    assert (await store.gql(query, token=two)).body["errors"][0]["message"] == "Throttled"


SCOPES = "{ currentAppInstallation { accessScopes { handle description } } }"


async def _scopes(store: Store, token: str | None = None) -> list[str]:
    reply = await store.gql(SCOPES, token=token)
    return [s["handle"] for s in reply.data["currentAppInstallation"]["accessScopes"]]


async def test_each_app_sees_the_scopes_it_was_granted(demo: Store) -> None:
    # The file's fixed token: an order-status app with the whole order history.
    assert await _scopes(demo) == ["read_orders", "read_all_orders", "read_fulfillments"]
    # A client of the file, granted only what its entry says: the last 60 days.
    issued = (await grant(demo, GOOD)).body["access_token"]
    assert await _scopes(demo, issued) == ["read_orders", "read_fulfillments"]
    # As if the merchant had granted less: every app has only that.
    await demo.control("PATCH", "/_demo/faults", {"scopes": ["read_orders"]})
    assert await _scopes(demo) == await _scopes(demo, issued) == ["read_orders"]
    await demo.control("DELETE", "/_demo/faults")
