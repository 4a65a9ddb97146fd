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


async def test_a_key_cannot_create_or_revoke_past_its_own_scopes(core, api: Api) -> None:
    """A key holding only `keys:write` could mint itself every scope, or revoke the
    organization's admin key: both are 403 problems with a stable code."""
    keys_only = api.as_(
        (await api.post("/api-keys", {"name": "k", "scopes": ["keys:write"]})).data["secret"]
    )
    wider = await keys_only.post(
        "/api-keys", {"name": "all", "scopes": ["agents:write", "keys:write"]}
    )
    assert wider.status == 403 and wider.code == "scope_escalation"
    assert wider.headers["Content-Type"].startswith("application/problem+json")
    assert "agents:write" in wider.body["detail"]
    assert [k["name"] for k in (await api.get("/api-keys")).data] == ["test", "k"]

    admin_id = next(k["id"] for k in (await api.get("/api-keys")).data if k["name"] == "test")
    revoke = await keys_only.delete(f"/api-keys/{admin_id}")
    assert revoke.status == 403 and revoke.code == "scope_escalation"
    assert (await api.get("/agents")).status == 200  # the admin key still works


async def test_an_idempotency_key_replays_only_to_the_key_that_sent_it(core, api: Api) -> None:
    """Two keys of one organization reusing an Idempotency-Key: the second gets a key of
    its own, never the secret the first one was shown."""
    org = await core.org_of(api.key)
    other = api.as_(await core.new_key(org, ["keys:write", "agents:read"], name="other"))
    headers = {"Idempotency-Key": "nightly-ci-key"}
    body = {"name": "ci", "scopes": ["agents:read"]}
    mine = await api.post("/api-keys", body, headers=headers)
    theirs = await other.post("/api-keys", body, headers=headers)
    assert mine.status == theirs.status == 201
    assert theirs.data["secret"] != mine.data["secret"]
    assert theirs.data["id"] != mine.data["id"]
    # Each key's own retry still replays its own answer.
    assert (await api.post("/api-keys", body, headers=headers)).body == mine.body
    assert (await other.post("/api-keys", body, headers=headers)).body == theirs.body
