"""API keys over REST: the secret once, metadata after, revocation at once."""

from __future__ import annotations

from tests.gateway.conftest import Api


async def test_create_list_get_revoke(api: Api) -> None:
    created = await api.post("/api-keys", {"name": "ci", "scopes": ["agents:read"]})
    assert created.status == 201
    key = created.data
    assert key["secret"].startswith("flowyte_sk_live_")
    assert set(key) == {"id", "name", "scopes", "prefix", "createdAt", "revokedAt", "secret"}
    assert key["name"] == "ci" and key["scopes"] == ["agents:read"] and key["revokedAt"] is None
    assert key["secret"].startswith(key["prefix"])

    listed = await api.get("/api-keys")
    assert key["id"] in [k["id"] for k in listed.data]
    assert all("secret" not in k for k in listed.data)
    assert listed.body["nextCursor"] is None

    got = await api.get(f"/api-keys/{key['id']}")
    assert got.data["name"] == "ci" and "secret" not in got.data

    new_key = api.as_(key["secret"])
    assert (await new_key.get("/agents")).status == 200
    revoked = await api.delete(f"/api-keys/{key['id']}")
    assert revoked.data["revokedAt"] is not None
    after = await new_key.get("/agents")
    assert after.status == 401 and after.code == "unauthenticated"


async def test_bad_keys_name_the_field(api: Api) -> None:
    unknown = await api.post("/api-keys", {"name": "x", "scopes": ["agents:read", "nope:nope"]})
    assert unknown.status == 400 and unknown.fields == ["scopes[1]"]
    public = await api.post("/api-keys", {"name": "x", "scopes": ["chat:public"]})
    assert public.status == 400 and public.fields == ["scopes[0]"]
    empty = await api.post("/api-keys", {"name": "x", "scopes": []})
    assert empty.status == 400 and empty.fields == ["scopes"]
    missing = await api.post("/api-keys", {"scopes": ["agents:read"]})
    assert missing.status == 400 and missing.fields == ["name"]
