"""Idempotency-Key: a retry replays the first response; another body with the key is 409."""

from __future__ import annotations

from typing import Any

from tests.gateway.conftest import Api


async def test_replay_creates_nothing_new(api: Api) -> None:
    headers = {"Idempotency-Key": "create-ava-1"}
    first = await api.post("/agents", {"name": "Ava"}, headers=headers)
    again = await api.post("/agents", {"name": "Ava"}, headers=headers)
    assert first.status == again.status == 201
    assert again.body == first.body
    assert [a["id"] for a in (await api.get("/agents")).data] == [first.data["id"]]

    other = await api.post("/agents", {"name": "Bob"}, headers=headers)
    assert other.status == 409 and other.code == "idempotency_key_reused"
    assert len((await api.get("/agents")).data) == 1


async def test_replay_on_each_kind_of_change(api: Api) -> None:
    agent = (await api.post("/agents", {"name": "Ava"})).data
    path = f"/agents/{agent['id']}"
    for method, sub, body in [
        ("PATCH", "", {"greeting": "hello"}),
        ("POST", "/publish", {"note": "v1"}),
        ("PUT", "/guardrails", {"guardrails": [{"policyType": "write_gate"}]}),
    ]:
        headers = {"Idempotency-Key": f"k-{method}-{sub}"}
        first = await api.request(method, path + sub, body, headers=headers)
        again = await api.request(method, path + sub, body, headers=headers)
        assert first.status < 300 and again.body == first.body, (method, sub)
    versions = await api.get(f"{path}/versions")
    assert [v["version"] for v in versions.data] == [1]

    key = {"Idempotency-Key": "connect-1"}
    creds = {"credentials": {"shop": "a.myshopify.com", "access_token": "shpat_1234567890"}}
    first = await api.post("/integrations/shopify/connect", creds, headers=key)
    again = await api.post("/integrations/shopify/connect", creds, headers=key)
    assert again.body == first.body
    changed = {"credentials": {"shop": "a.myshopify.com", "access_token": "shpat_0987654321"}}
    reused = await api.post("/integrations/shopify/connect", changed, headers=key)
    assert reused.status == 409


async def test_keys_are_per_organization(core: Any, api: Api) -> None:
    other = api.as_(await core.new_org_key(["agents:read", "agents:write"]))
    headers = {"Idempotency-Key": "shared-key"}
    mine = await api.post("/agents", {"name": "Ava"}, headers=headers)
    theirs = await other.post("/agents", {"name": "Ava"}, headers=headers)
    assert theirs.status == 201 and theirs.data["id"] != mine.data["id"]
