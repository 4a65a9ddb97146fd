"""Skills over REST, in API.md's exact shape."""

from __future__ import annotations

from core.store.skill_headers import opened as sealed_headers
from core.store.tables import SkillRow
from tests.gateway.conftest import Api

SKILL_KEYS = {
    "id", "agentId", "name", "description", "skillType", "parametersSchema", "requiredParams",
    "executionConfig", "allowedFields", "isWrite", "requiresVerifiedIdentity",
    "requiresConfirmation", "channels", "isEnabled", "expectedLatencyMs", "createdAt",
    "updatedAt",
}  # fmt: skip

WEBHOOK = {
    "name": "check_stock",
    "description": "Whether an item is in stock",
    "skillType": "http_webhook",
    "parametersSchema": {"type": "object", "properties": {"sku": {"type": "string"}}},
    "requiredParams": ["sku"],
    "executionConfig": {"url": "https://example.com/hook", "method": "POST", "timeout_ms": 2000},
    "channels": ["chat", "voice"],
    "expectedLatencyMs": 300,
}


async def test_create_list_get_patch_delete(api: Api) -> None:
    agent = (await api.post("/agents", {"name": "Ava"})).data
    base = f"/agents/{agent['id']}/skills"
    created = await api.post(base, WEBHOOK)
    assert created.status == 201, created.body
    skill = created.data
    assert set(skill) == SKILL_KEYS
    assert skill["agentId"] == agent["id"] and skill["name"] == "check_stock"
    assert skill["channels"] == ["chat", "voice"]
    assert skill["isEnabled"] is True  # REST default for a new skill
    assert skill["executionConfig"]["timeout_ms"] == 2000
    assert skill["parametersSchema"] == WEBHOOK["parametersSchema"]

    assert (await api.get(f"{base}/{skill['id']}")).data == skill
    listed = await api.get(base)
    assert [s["id"] for s in listed.data] == [skill["id"]] and listed.body["nextCursor"] is None

    patched = await api.patch(f"{base}/{skill['id']}", {"isEnabled": False, "channels": ["widget"]})
    assert patched.data["isEnabled"] is False and patched.data["channels"] == ["widget"]
    assert patched.data["description"] == WEBHOOK["description"]

    deleted = await api.delete(f"{base}/{skill['id']}")
    assert deleted.data == {"id": skill["id"], "deleted": True}
    assert (await api.get(f"{base}/{skill['id']}")).status == 404


async def test_bad_skills(api: Api) -> None:
    agent = (await api.post("/agents", {"name": "Ava"})).data
    base = f"/agents/{agent['id']}/skills"
    unavailable = await api.post(base, {"name": "pay", "skillType": "payment_link"})
    assert unavailable.status == 422 and unavailable.code == "not_available"
    assert unavailable.fields == ["skillType"]
    channel = await api.post(base, {**WEBHOOK, "channels": ["fax"]})
    assert channel.status == 400 and channel.fields == ["channels[0]"]
    config = await api.post(base, {**WEBHOOK, "executionConfig": {"method": "POST"}})
    assert config.status == 400 and config.fields == ["executionConfig.url"]
    missing = await api.post(base, {"description": "x"})
    assert missing.status == 400 and missing.fields == ["name", "skillType"]
    no_agent = await api.post("/agents/agt_nope/skills", WEBHOOK)
    assert no_agent.status == 404


async def test_webhook_header_values_are_sealed_and_never_shown(core, api: Api) -> None:
    canary = "Bearer whk_CANARY_7f3e9a1c"
    agent = (await api.post("/agents", {"name": "Ava"})).data
    base = f"/agents/{agent['id']}/skills"
    config = {**WEBHOOK["executionConfig"], "headers": {"Authorization": canary, "X-Shop": "a"}}
    created = await api.post(base, {**WEBHOOK, "executionConfig": config})
    assert created.status == 201, created.body
    skill = created.data
    masked = {"Authorization": "********", "X-Shop": "********"}
    assert skill["executionConfig"]["headers"] == masked
    path = f"{base}/{skill['id']}"
    assert (await api.get(path)).data["executionConfig"]["headers"] == masked
    version = (await api.post(f"/agents/{agent['id']}/publish", {})).data
    assert canary not in str(version) and canary not in str(await api.get(base))

    runtime = core.handle.runtime
    async with runtime.sessions() as session:
        row = await session.get(SkillRow, skill["id"])
    assert canary not in str(row.definition) and canary not in (row.sealed_headers or "")
    assert sealed_headers(runtime.sealer, row) == {"Authorization": canary, "X-Shop": "a"}

    # Sent back as shown, a header keeps its value; a new value replaces it; one left out
    # is gone. "********" for a header that has no value yet is refused.
    headers = {"Authorization": "********", "X-Shop": "b", "X-New": "c"}
    patched = await api.patch(path, {"executionConfig": {**config, "headers": headers}})
    assert patched.status == 200, patched.body
    async with runtime.sessions() as session:
        row = await session.get(SkillRow, skill["id"])
    assert sealed_headers(runtime.sealer, row) == {
        "Authorization": canary,
        "X-Shop": "b",
        "X-New": "c",
    }
    bad = await api.patch(path, {"executionConfig": {**config, "headers": {"X-Other": "********"}}})
    assert bad.status == 400 and bad.fields == ["executionConfig.headers.X-Other"]
