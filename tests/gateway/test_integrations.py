"""Integrations over REST: connect (credentials in, never out), list, actions, provision."""

from __future__ import annotations

import logging

import pytest

from tests.gateway.conftest import Api

CANARY = "shpat_CANARY_9f8e7d6c5b4a39281706"
SHOP = {"shop": "ava-store.myshopify.com", "access_token": CANARY}
INTEGRATION_KEYS = {
    "id", "kind", "shop", "status", "tokenLast4", "authMethod", "apiBaseUrl", "createdAt",
    "updatedAt", "apiVersion", "answeredApiVersion", "statusReason", "statusMessage",
}  # fmt: skip


async def test_connect_list_get_actions_disconnect(api: Api) -> None:
    connected = await api.post("/integrations/shopify/connect", {"credentials": SHOP})
    assert connected.status == 200, connected.body
    data = connected.data
    assert set(data) == INTEGRATION_KEYS
    assert data["status"] == "connected" and data["kind"] == "shopify"
    assert data["shop"] == "ava-store.myshopify.com" and data["tokenLast4"] == CANARY[-4:]
    assert data["authMethod"] == "access_token"
    # Flowyte's own Admin API version; which one the store answers in is not known yet.
    assert data["apiVersion"] == "2026-10" and data["answeredApiVersion"] is None

    listed = await api.get("/integrations")
    assert [i["kind"] for i in listed.data] == ["shopify"]
    got = await api.get("/integrations/shopify")
    assert got.data["id"] == data["id"]

    actions = await api.get("/integrations/shopify/actions")
    assert {"name": "lookup_order", "isWrite": False}.items() <= actions.data[0].items()

    gone = await api.delete("/integrations/shopify")
    assert gone.data == {"kind": "shopify", "deleted": True}
    assert (await api.get("/integrations/shopify")).status == 404


async def test_client_credentials_and_demo_base_url(api: Api) -> None:
    body = {
        "credentials": {
            "shop": "ava-store.myshopify.com",
            "client_id": "app-id",
            "client_secret": "shpss_0123456789abcdef",
        },
        "apiBaseUrl": "http://127.0.0.1:8123",
    }
    connected = await api.post("/integrations/shopify/connect", body)
    assert connected.data["authMethod"] == "client_credentials"
    assert connected.data["apiBaseUrl"].startswith("http://127.0.0.1:8123")


async def test_the_admin_api_version_is_a_setting(api: Api) -> None:
    pinned = await api.post(
        "/integrations/shopify/connect", {"credentials": SHOP, "apiVersion": "2026-07"}
    )
    assert pinned.status == 200, pinned.body
    assert pinned.data["apiVersion"] == "2026-07"
    # Connecting again without one goes back to Flowyte's own.
    again = await api.post("/integrations/shopify/connect", {"credentials": SHOP})
    assert again.data["apiVersion"] == "2026-10"


async def test_provision_is_idempotent_and_unprovision_removes(api: Api) -> None:
    await api.post("/integrations/shopify/connect", {"credentials": SHOP})
    agent = (await api.post("/agents", {"name": "Ava"})).data
    path = f"/agents/{agent['id']}/integrations/shopify/provision"
    first = await api.post(path, {"actions": ["lookup_order"]})
    assert first.status == 200, first.body
    assert [(p["skill"]["name"], p["created"]) for p in first.data] == [("lookup_order", True)]
    assert first.data[0]["skill"]["requiresVerifiedIdentity"] is True
    second = await api.post(path)
    assert [(p["skill"]["name"], p["created"]) for p in second.data] == [("lookup_order", False)]
    skills = await api.get(f"/agents/{agent['id']}/skills")
    assert [s["name"] for s in skills.data] == ["lookup_order"]

    removed = await api.delete(path)
    assert removed.data == {"removedSkillIds": [first.data[0]["skill"]["id"]]}
    assert (await api.get(f"/agents/{agent['id']}/skills")).data == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/integrations/zapier/connect", {"credentials": SHOP}, "kind"),
        ("/integrations/shopify/connect", {"credentials": {**SHOP, "shop": "evil.com"}},
         "credentials.shop"),
        ("/integrations/shopify/connect", {"credentials": {**SHOP, "access_token": ""}},
         "credentials.access_token"),
        ("/integrations/shopify/connect", {"credentials": {**SHOP, "access_token": "   "}},
         "credentials.access_token"),
        ("/integrations/shopify/connect", {"credentials": {"shop": SHOP["shop"]}}, "credentials"),
        ("/integrations/shopify/connect", {"credentials": {**SHOP, "token": "x"}},
         "credentials.token"),
        ("/integrations/shopify/connect", {"credentials": SHOP, "apiBaseUrl": "http://evil.com"},
         "apiBaseUrl"),
        ("/integrations/shopify/connect", {}, "credentials"),
        ("/integrations/shopify/connect", {"credentials": SHOP, "apiVersion": "2026-02"},
         "apiVersion"),
        ("/integrations/shopify/connect", {"credentials": SHOP, "apiVersion": "latest"},
         "apiVersion"),
        ("/integrations/openai/connect",
         {"credentials": {"access_token": CANARY}, "apiVersion": "2026-10"}, "apiVersion"),
    ],
)  # fmt: skip
async def test_bad_connect_names_the_field(api: Api, path: str, body: dict, field: str) -> None:
    reply = await api.post(path, body)
    assert reply.status == 400, reply.body
    assert reply.fields == [field]
    assert (await api.get("/integrations")).data == []


async def test_unknown_kind_on_every_kind_route(api: Api) -> None:
    for method, path in [
        ("GET", "/integrations/zapier"),
        ("DELETE", "/integrations/zapier"),
        ("GET", "/integrations/zapier/actions"),
        ("POST", "/agents/agt_x/integrations/zapier/provision"),
    ]:
        reply = await api.request(method, path)
        assert reply.status == 400 and reply.fields == ["kind"], (method, path)


async def test_canary_token_never_leaves(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bodies: list[str] = []

    async def record(method: str, path: str, body: object = None) -> None:
        reply = await api.request(method, path, body)
        bodies.append(repr(reply.body) + repr(dict(reply.headers)))

    await record("POST", "/integrations/shopify/connect", {"credentials": SHOP})
    await record("POST", "/integrations/shopify/connect", {"credentials": {**SHOP, "shop": CANARY}})
    await record("POST", "/integrations/shopify/connect", {"credentials": {**SHOP, "x": CANARY}})
    await record("POST", "/integrations/openai/connect", {"credentials": SHOP})
    await record(
        "POST",
        "/integrations/shopify/connect",
        {"credentials": {"shop": SHOP["shop"], "client_id": CANARY, "client_secret": 7}},
    )
    await record("GET", "/integrations")
    await record("GET", "/integrations/shopify")
    await record("GET", f"/integrations/shopify?token={CANARY}")
    outsider = api.as_(CANARY)
    reply = await outsider.post("/integrations/shopify/connect", {"credentials": SHOP})
    assert reply.status == 401
    bodies.append(repr(reply.body))

    assert all(CANARY not in b for b in bodies)
    assert CANARY not in caplog.text
    assert api.key is not None and api.key not in caplog.text and "Bearer" not in caplog.text
    assert "/api/v1/integrations/shopify/connect" in caplog.text  # the access log did run


@pytest.mark.parametrize(
    "url",
    [
        "http://evil.example\\@127.0.0.1:8123",  # WHATWG parsers (httpx) go to evil.example
        "http://127.0.0.1:8123\\@evil.example",
        "http://127.0.0.1:8123/\r\nX-Injected: 1",
        "http://127.0.0.1:8123/\n",
        " http://127.0.0.1:8123",
        "http://127.0.0.1:8123 ",
        "http://127.0.0.1:8123/a b",
        "http://127.0.0.1:8123/\t",
        "http://127.0.0.1:8123/\x00",
        "http://127.0.0.1:8123/\u2028",
        "http://user:secret@127.0.0.1:8123",
        "http://127.0.0.1:8123/?shop=x",
        "http://127.0.0.1:8123/#x",
        "http://127.0.0.1:99999",
    ],
)
async def test_an_api_base_url_the_http_client_would_read_otherwise_is_refused(
    api: Api, url: str
) -> None:
    reply = await api.post(
        "/integrations/shopify/connect", {"credentials": SHOP, "apiBaseUrl": url}
    )
    assert reply.status == 400, reply.body
    assert reply.fields == ["apiBaseUrl"] and reply.code == "invalid_argument"
    assert "secret" not in str(reply.body)
    assert (await api.get("/integrations")).data == []
    # nothing stored, so the merchant's report still works
    agent = (await api.post("/agents", {"name": "Ava"})).data["id"]
    assert (await api.get(f"/agents/{agent}/prepublish-report")).status == 200
