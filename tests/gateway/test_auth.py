"""Who may call what: 401 without a good key, 403 without the scope, 404 across orgs.

The gateway decides none of it; these tests check that it forwards the caller's own key
and renders the core's answers faithfully, for every route of the table.
"""

from __future__ import annotations

from typing import Any

import pytest

from frontends.gateway.openapi import required_scope
from frontends.gateway.routes import ROUTES
from tests.gateway.conftest import ALL, Api

PATH_VALUES = {"id": "agt_00000000000000000000000000", "sid": "skl_00000000000000000000000000",
               "kind": "shopify", "versionId": "1",
               "kid": "pkk_00000000000000000000000000"}  # fmt: skip
BODIES: dict[str, Any] = {
    "createApiKey": {"name": "k", "scopes": ["keys:write"]},  # a key grants only its own
    "createAgent": {"name": "Ava"},
    "updateAgent": {"greeting": "hi"},
    "publishAgent": {},
    "rollbackAgent": {"versionId": 1},
    "createSkill": {"name": "end", "skillType": "builtin", "executionConfig": {"action": "repeat"}},
    "updateSkill": {"isEnabled": False},
    "replaceGuardrails": {"guardrails": []},
    "replaceCallerVerification": {"methods": []},
    "connectIntegration": {
        "credentials": {"shop": "a.myshopify.com", "access_token": "shpat_1234567890"}
    },
    "provisionIntegration": {},
    "createChatSession": {"agentId": "agt_00000000000000000000000000"},
    "sendChatMessage": {"content": "hi"},
    "createChatCompletion": {"model": "agt_0", "messages": [{"role": "user", "content": "hi"}]},
    "sendHandoffMessage": {"content": "hi"},
    "simulateConversation": {"transcript": ["hi"]},
    "createPublishableKey": {"name": "k", "allowedOrigins": ["https://shop.example"]},
    "updatePublishableKey": {"name": "k"},
    "replaceWidgetConfig": {},
    "importNumber": {"e164": "+15550100199"},
    "assignNumber": {"agentId": "agt_00000000000000000000000000"},
    "reserveNumber": {"e164": "+15550100199"},
    "purchaseNumber": {"e164": "+15550100199"},
}  # fmt: skip
# Reserved until a carrier is connected: with the scope they are refused as reserved.
RESERVED = {"searchNumbers", "reserveNumber", "purchaseNumber"}


def _path(template: str) -> str:
    for name, value in PATH_VALUES.items():
        template = template.replace("{" + name + "}", value)
    return template


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.operation_id)
async def test_each_scope_is_required_and_sufficient(core: Any, api: Api, route: Any) -> None:
    scope = required_scope(route)
    body = BODIES.get(route.operation_id) if route.body is not None else None
    without = api.as_(await core.new_org_key([s for s in ALL if s != scope] or ["chat:read"]))
    denied = await without.request(route.method, _path(route.path), body)
    if route.openai:  # OpenAI's error shape
        assert denied.status == 403 and denied.body["error"]["code"] == "missing_scope"
    else:
        assert denied.status == 403 and denied.code == "missing_scope", denied.body
        assert denied.headers["Content-Type"].startswith("application/problem+json")

    only = api.as_(await core.new_org_key([scope]))
    allowed = await only.request(route.method, _path(route.path), body)
    if route.operation_id in RESERVED:
        assert allowed.status == 403 and allowed.code == "reserved", allowed.body
    else:
        assert allowed.status not in (401, 403), allowed.body


@pytest.mark.parametrize("key", [None, "flowyte_sk_live_nope", "garbage", "ünicode"])
async def test_missing_or_bad_key_is_401(api: Api, key: str | None) -> None:
    reply = await api.as_(key).get("/agents")
    assert reply.status == 401 and reply.code == "unauthenticated"
    assert reply.body["title"] == "Unauthorized"


async def test_raw_authorization_header_is_forwarded_as_is(api: Api) -> None:
    assert api.key is not None
    reply = await api.as_(None).get("/agents", headers={"Authorization": "Basic " + api.key})
    assert reply.status == 401
    ok = await api.as_(None).get("/agents", headers={"Authorization": "Bearer " + api.key})
    assert ok.status == 200


async def test_other_organizations_resources_look_missing(core: Any, api: Api) -> None:
    await api.post(
        "/integrations/shopify/connect",
        {"credentials": {"shop": "a.myshopify.com", "access_token": "shpat_1234567890"}},
    )
    agent = (await api.post("/agents", {"name": "Ava"})).data
    skill = (
        await api.post(
            f"/agents/{agent['id']}/skills",
            {"name": "again", "skillType": "builtin", "executionConfig": {"action": "repeat"}},
        )
    ).data
    await api.post(f"/agents/{agent['id']}/publish")
    key = (await api.post("/api-keys", {"name": "k", "scopes": ["agents:read"]})).data
    other = api.as_(await core.new_org_key(ALL))
    missing_agent = "agt_" + "0" * 26
    missing_skill = "skl_" + "0" * 26

    async def same(method: str, theirs: str, nonexistent: str, body: Any = None) -> None:
        a = await other.request(method, theirs, body)
        b = await other.request(method, nonexistent, body)
        assert a.status == 404, (theirs, a.body)
        assert {**a.body, "instance": ""} == {**b.body, "instance": ""}, theirs

    a, m = f"/agents/{agent['id']}", f"/agents/{missing_agent}"
    await same("GET", a, m)
    await same("PATCH", a, m, {"name": "mine"})
    await same("DELETE", a, m)
    await same("POST", f"{a}/publish", f"{m}/publish", {})
    await same("GET", f"{a}/versions", f"{m}/versions")
    await same("POST", f"{a}/rollback", f"{m}/rollback", {"versionId": 1})
    await same("GET", f"{a}/versions/1/diff", f"{m}/versions/1/diff")
    await same("GET", f"{a}/skills", f"{m}/skills")
    await same("POST", f"{a}/skills", f"{m}/skills", BODIES["createSkill"])
    await same("GET", f"{a}/skills/{skill['id']}", f"{m}/skills/{missing_skill}")
    await same(
        "PATCH", f"{a}/skills/{skill['id']}", f"{m}/skills/{missing_skill}", {"isEnabled": False}
    )
    await same("DELETE", f"{a}/skills/{skill['id']}", f"{m}/skills/{missing_skill}")
    await same("GET", f"{a}/guardrails", f"{m}/guardrails")
    await same("PUT", f"{a}/guardrails", f"{m}/guardrails", {"guardrails": []})
    await same("GET", f"{a}/caller-verification", f"{m}/caller-verification")
    await same("PUT", f"{a}/caller-verification", f"{m}/caller-verification", {"methods": []})
    await same("DELETE", f"/api-keys/{key['id']}", "/api-keys/key_" + "0" * 26)
    await same("GET", f"/api-keys/{key['id']}", "/api-keys/key_" + "0" * 26)
    assert (await other.get("/integrations")).data == []
    assert (await other.get("/integrations/shopify")).status == 404
    assert agent["id"] not in [x["id"] for x in (await other.get("/agents")).data]
    # And the owner's resources are untouched.
    assert (await api.get(a)).data["name"] == "Ava"
    assert (await api.get(f"/api-keys/{key['id']}")).data["revokedAt"] is None


async def test_no_key_is_401_before_any_validation(api: Api) -> None:
    keyless = api.as_(None)
    for method, path, body in [
        ("POST", "/agents", {"bogus": True}),
        ("POST", "/integrations/zapier/connect", None),
        ("GET", "/agents?limit=-1", None),
        ("GET", "/agents/agt_x/versions/abc/diff", None),
    ]:
        reply = await keyless.request(method, path, body)
        assert reply.status == 401 and reply.code == "unauthenticated", (path, reply.body)
    bad_key = api.as_("flowyte_sk_live_nope")
    assert (await bad_key.post("/agents", {"name": "Ava"})).status == 401
