"""What the gateway refuses itself, before the core is asked: bodies and parameters."""

from __future__ import annotations

import json

import pytest
from aiohttp import web

from tests.gateway.conftest import Api


async def test_oversized_body_is_413(api: Api) -> None:
    big = json.dumps({"name": "x", "persona": "a" * (1024 * 1024)})
    reply = await api.post("/agents", data=big, headers={"Content-Type": "application/json"})
    assert reply.status == 413 and reply.code == "body_too_large"
    assert reply.headers["Content-Type"].startswith("application/problem+json")
    assert (await api.get("/agents")).data == []


async def test_oversized_chunked_body_is_413(api: Api) -> None:
    async def chunks():  # no Content-Length: the limit holds while reading
        yield b'{"name": "x", "persona": "'
        for _ in range(17):
            yield b"a" * 65536
        yield b'"}'

    async with api.session.post(
        api.base + "/agents",
        data=chunks(),
        headers={"Authorization": f"Bearer {api.key}", "Content-Type": "application/json"},
    ) as response:
        assert response.status == 413
        assert (await response.json(content_type=None))["code"] == "body_too_large"


async def test_non_json_and_wrong_content(api: Api) -> None:
    broken = await api.post("/agents", data="{name:", headers={"Content-Type": "application/json"})
    assert broken.status == 400 and broken.code == "invalid_json"
    form = await api.post(
        "/agents", data="name=x", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert form.status == 400 and form.code == "unsupported_content_type"
    not_object = await api.post("/agents", ["name"])
    assert not_object.status == 400 and not_object.fields == ["body"]
    async with api.session.post(
        api.base + "/agents",
        data=b'{"name": "x"}',
        headers={"Authorization": f"Bearer {api.key}"},
        skip_auto_headers=["Content-Type"],
    ) as no_type:  # JSON without a Content-Type is still read as JSON
        assert no_type.status == 201
    binary = await api.post(
        "/agents", data=b"\xff\xfe", headers={"Content-Type": "application/json"}
    )
    assert binary.status == 400 and binary.code == "invalid_json"
    for text in ['{"name": "x", "voice": {"speakingRate": NaN}}', "[" * 100_000]:
        odd = await api.post("/agents", data=text, headers={"Content-Type": "application/json"})
        assert odd.status == 400 and odd.code == "invalid_json"


async def test_wrong_types_name_each_field_without_echoing_values(api: Api) -> None:
    reply = await api.post(
        "/agents",
        {
            "name": ["secret-value-1"],
            "language": 42,
            "voice": {"speakingRate": "secret-value-2"},
            "brain": {"kind": "quantum"},
            "callControl": {"maxDurationSeconds": 2**40},
            "handoffConfig": "secret-value-3",
        },
    )
    assert reply.status == 400
    assert reply.fields == [
        "brain.kind", "callControl.maxDurationSeconds", "handoffConfig", "language", "name",
        "voice.speakingRate",
    ]  # fmt: skip
    assert "secret-value" not in json.dumps(reply.body)
    assert all(e["message"] for e in reply.body["errors"])


async def test_unknown_routes_and_methods_are_problems(api: Api) -> None:
    missing = await api.get("/nothing-here")
    assert missing.status == 404 and missing.code == "not_found"
    wrong = await api.request("PUT", "/agents")
    assert wrong.status == 405 and wrong.code == "method_not_allowed"
    assert "GET" in wrong.headers["Allow"]


async def test_bad_idempotency_key_header(api: Api) -> None:
    reply = await api.post("/agents", {"name": "x"}, headers={"Idempotency-Key": "x" * 300})
    assert reply.status == 400 and reply.fields == ["Idempotency-Key"]


async def test_unreachable_core_is_503(api: Api) -> None:
    from frontends.gateway import start_gateway

    handle = await start_gateway("127.0.0.1:1", port=0)
    try:
        reply = await api.session.get(
            handle.url + "/api/v1/agents", headers={"Authorization": f"Bearer {api.key}"}
        )
        body = await reply.json(content_type=None)
        assert reply.status == 503 and body["code"] == "unavailable"
    finally:
        await handle.stop()


async def test_unexpected_errors_are_500_and_log_no_message(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    from frontends.gateway.app import create_app
    from frontends.gateway.operation import Call, Route

    async def broken(call: Call) -> None:
        raise ValueError("secret-" + "in-message")  # split: the logged frame shows source

    route = Route("GET", "/broken", "broken", "Always fails", broken, "AgentService.GetAgent")
    runner = web.AppRunner(create_app("127.0.0.1:1", [route]))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        async with api.session.get(
            f"http://127.0.0.1:{port}/api/v1/broken", headers={"Authorization": "Bearer k"}
        ) as response:
            body = await response.json(content_type=None)
        assert response.status == 500 and body["code"] == "internal"
        assert "secret-in-message" not in str(body)
        assert "ValueError" in caplog.text and "secret-in-message" not in caplog.text
    finally:
        await runner.cleanup()


LONE = "\\ud800"  # a JSON escape of half a UTF-16 pair: no Unicode text can hold it


async def test_a_lone_surrogate_anywhere_is_400_naming_the_field(api: Api) -> None:
    agent = (await api.post("/agents", {"name": "Ava"})).data["id"]
    sent = [
        ("POST", "/agents", f'{{"name": "{LONE}"}}', "name"),
        ("PATCH", f"/agents/{agent}", f'{{"persona": "x{LONE}y"}}', "persona"),
        ("POST", "/api-keys", f'{{"name": "{LONE}", "scopes": ["agents:read"]}}', "name"),
        (
            "POST",
            f"/agents/{agent}/skills",
            '{"name": "m", "description": "d", "skillType": "builtin",'
            f' "executionConfig": {{"action": "take_message", "note": ["{LONE}"]}}}}',
            "executionConfig.note[0]",
        ),
        (
            "POST",
            f"/agents/{agent}/skills",
            '{"name": "m", "description": "d", "skillType": "builtin",'
            f' "executionConfig": {{"action": "take_message", "{LONE}": 1}}}}',
            "executionConfig",
        ),
    ]
    for method, path, text, field in sent:
        reply = await api.request(
            method, path, data=text, headers={"Content-Type": "application/json"}
        )
        assert reply.status == 400, (path, reply.status, reply.body)
        assert reply.headers["Content-Type"].startswith("application/problem+json")
        assert reply.code == "invalid_json" and reply.fields == [field], reply.body
    assert [a["name"] for a in (await api.get("/agents")).data] == ["Ava"]
    assert (await api.get(f"/agents/{agent}/skills")).data == []
    # a whole pair is text like any other
    fine = await api.post(
        "/agents",
        data='{"name": "\\ud83d\\ude00"}',
        headers={"Content-Type": "application/json"},
    )
    assert fine.status == 201 and fine.data["name"] == "\U0001f600"


def _nested(depth: int) -> str:
    return '{"action": "take_message", "n": ' * depth + "1" + "}" * depth


async def test_deep_nesting_is_400_and_what_fits_is_kept(api: Api) -> None:
    agent = (await api.post("/agents", {"name": "Ava"})).data["id"]
    skill = '{"name": "m%d", "description": "d", "skillType": "builtin", "executionConfig": %s}'
    headers = {"Content-Type": "application/json"}
    for depth in (49, 30):
        reply = await api.post(
            f"/agents/{agent}/skills", data=skill % (depth, _nested(depth)), headers=headers
        )
        assert reply.status == 400 and reply.code == "invalid_argument", reply.body
        assert reply.fields and reply.fields[0].startswith("executionConfig.n.n")
    assert (await api.get(f"/agents/{agent}/skills")).data == []
    kept = await api.post(
        f"/agents/{agent}/skills", data=skill % (15, _nested(15)), headers=headers
    )
    assert kept.status == 201, kept.body
    config = kept.data["executionConfig"]
    for _ in range(14):
        config = config["n"]
    assert config == {"action": "take_message", "n": 1}


async def test_numbers_are_numbers_whatever_their_spelling(api: Api) -> None:
    """JSON has one kind of number: 2.0 and 2e0 are the integer 2 (JSON Schema agrees), and
    a number too large for a double is not a number at all."""
    agent = (await api.post("/agents", {"name": "Ava"})).data["id"]
    assert (await api.post(f"/agents/{agent}/publish", {})).status == 201
    headers = {"Content-Type": "application/json"}
    for spelled in ("1.0", "1e0", "10E-1"):
        back = await api.post(
            f"/agents/{agent}/rollback", data=f'{{"versionId": {spelled}}}', headers=headers
        )
        assert back.status == 201 and back.data["rolledBackFrom"] == 1, (spelled, back.body)
    wide = await api.post(f"/agents/{agent}/rollback", data='{"versionId": 1e30}', headers=headers)
    assert wide.status == 400 and wide.fields == ["versionId"], wide.body
    for huge in ("1e400", "-1e400"):
        reply = await api.post(
            f"/agents/{agent}/skills",
            data='{"name": "m", "description": "d", "skillType": "builtin",'
            f' "executionConfig": {{"action": "take_message", "n": {huge}}}}}',
            headers=headers,
        )
        assert reply.status == 400 and reply.code == "invalid_json", reply.body
