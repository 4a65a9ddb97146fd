"""Guardrails and caller verification: GET, and PUT replacing the list."""

from __future__ import annotations

from tests.gateway.conftest import Api


async def test_guardrails_replace_and_read(api: Api) -> None:
    agent = (await api.post("/agents", {"name": "Ava"})).data
    path = f"/agents/{agent['id']}/guardrails"
    # A new agent starts with a rate limit (core/domain/guardrails.py DEFAULT_RATE_LIMIT).
    assert [(g["policyType"], g["config"]) for g in (await api.get(path)).data] == [
        ("rate_limit", {"toolCallsPerMinute": 20, "toolCallsPerConversation": 30})
    ]
    policies = [
        {"policyType": "rate_limit", "config": {"toolCallsPerMinute": 10}},
        {"policyType": "content_policy", "config": {"bannedTopics": ["politics"]},
         "isEnabled": False},
    ]  # fmt: skip
    put = await api.put(path, {"guardrails": policies})
    assert put.status == 200, put.body
    assert [g["policyType"] for g in put.data] == ["rate_limit", "content_policy"]
    assert [g["isEnabled"] for g in put.data] == [True, False]
    assert put.data[0]["config"] == {"toolCallsPerMinute": 10}
    # API.md's shape: the typed settings gRPC clients get are not a second REST copy.
    assert set(put.data[0]) == {"policyType", "appliesToSkillType", "config", "isEnabled"}
    assert (await api.get(path)).data == put.data

    bare = await api.put(path, [{"policyType": "write_gate"}])  # a bare array replaces too
    assert [g["policyType"] for g in bare.data] == ["write_gate"]

    wrong = await api.put(path, {"guardrails": [{"policyType": "magic"}]})
    assert wrong.status == 400 and wrong.fields == ["guardrails[0].policyType"]
    core_rule = await api.put(
        path, {"guardrails": [{"policyType": "rate_limit", "config": {"toolCallsPerMinute": -1}}]}
    )
    assert core_rule.status == 400
    assert core_rule.fields == ["guardrails[0].config.toolCallsPerMinute"]


async def test_caller_verification_replace_and_read(api: Api) -> None:
    agent = (await api.post("/agents", {"name": "Ava"})).data
    path = f"/agents/{agent['id']}/caller-verification"
    methods = [{"method": "order_match", "requiredFields": ["order_number"], "maxAttempts": 3}]
    put = await api.put(path, {"methods": methods})
    assert put.status == 200, put.body
    assert put.data[0]["method"] == "order_match" and put.data[0]["maxAttempts"] == 3
    assert set(put.data[0]) == {
        "method", "verifierSkillId", "requiredFields", "tokenTtlSeconds", "maxAttempts",
        "stepUpFor",
    }  # fmt: skip
    assert (await api.get(path)).data == put.data

    bad = await api.put(path, {"methods": [{"method": "order_match", "maxAttempts": 99}]})
    assert bad.status == 400 and bad.fields == ["methods[0].maxAttempts"]
    missing = await api.put(path, {"methods": [{"maxAttempts": 3}]})
    assert missing.status == 400 and missing.fields == ["methods[0].method"]
