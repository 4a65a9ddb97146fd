"""The OpenAPI document is generated from the route table the router serves."""

from __future__ import annotations

import re
from typing import Any

import aiohttp
from jsonschema import Draft202012Validator

from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as conversation_pb2
from flowyte.v1 import handoff_service_pb2 as handoff_pb2
from frontends.gateway import GatewayHandle
from frontends.gateway.openapi import required_scope
from frontends.gateway.routes import ROUTES
from frontends.gateway.schemas import message_schema


async def _doc(http: aiohttp.ClientSession, url: str) -> Any:
    async with http.get(url) as response:  # no key needed to read the API description
        assert response.status == 200
        return await response.json()


async def test_every_route_is_documented_at_both_paths(
    gateway: GatewayHandle, http: aiohttp.ClientSession
) -> None:
    doc = await _doc(http, gateway.url + "/api/v1/openapi.json")
    assert doc == await _doc(http, gateway.url + "/openapi.json")
    assert doc["openapi"].startswith("3.1")
    documented = {
        (method.upper(), path, op["operationId"])
        for path, ops in doc["paths"].items()
        for method, op in ops.items()
    }
    assert documented == {(r.method, "/api/v1" + r.path, r.operation_id) for r in ROUTES}
    assert len({r.operation_id for r in ROUTES}) == len(ROUTES)
    for route in ROUTES:
        op = doc["paths"]["/api/v1" + route.path][route.method.lower()]
        assert op["x-required-scope"] == required_scope(route)
        assert ("requestBody" in op) == (route.body is not None)
        for schema in [op.get("requestBody", {}).get("content", {}).get("application/json", {})]:
            if schema:
                Draft202012Validator.check_schema(schema["schema"])


async def test_every_documented_route_is_served(
    gateway: GatewayHandle, http: aiohttp.ClientSession
) -> None:
    doc = await _doc(http, gateway.url + "/openapi.json")
    for path, ops in doc["paths"].items():
        for method in ops:
            filled = path.replace("{kind}", "shopify").replace("{versionId}", "1")
            url = gateway.url + re.sub(r"{\w+}", "x1", filled)
            async with http.request(method, url) as response:
                # Served: the core (not the router) refuses a request without a key.
                assert response.status == 401, (method, path, response.status)


async def test_document_is_valid_openapi_31(
    gateway: GatewayHandle, http: aiohttp.ClientSession
) -> None:
    from openapi_spec_validator import validate

    validate(await _doc(http, gateway.url + "/openapi.json"))


def test_fields_shown_as_null_when_unset_are_documented_as_nullable():
    event = message_schema(audit_pb2.AuditEvent, for_input=False)["properties"]
    assert event["conversationId"]["type"] == ["string", "null"]
    assert event["traceId"]["type"] == "string"  # the others keep their type
    session = message_schema(conversation_pb2.Session, for_input=False)["properties"]
    assert session["handoffId"]["type"] == ["string", "null"]
    # Null is only ever an answer: such a field is output only, so no request carries it.
    assert "claimedBy" not in message_schema(handoff_pb2.Handoff, for_input=True)["properties"]
    # A real answer with a null there passes its own schema.
    Draft202012Validator(message_schema(handoff_pb2.Handoff, for_input=False)).validate(
        {"claimedBy": None}
    )


async def test_event_streams_are_documented_event_by_event(
    gateway: GatewayHandle, http: aiohttp.ClientSession
) -> None:
    """Before OpenAPI 3.2's itemSchema, a text/event-stream schema describes each event as a
    client parses it; an operation that always streams documents no JSON answer."""
    doc = await _doc(http, gateway.url + "/openapi.json")
    ops = doc["paths"]
    for path, method, json_too in [
        ("/api/v1/agents/{id}/simulate", "post", False),
        ("/api/v1/chat/sessions/{id}/events", "get", False),
        ("/api/v1/chat/sessions/{id}/messages", "post", True),
        ("/api/v1/chat/completions", "post", True),
    ]:
        content = next(iter(ops[path][method]["responses"].values()))["content"]
        assert ("application/json" in content) is json_too, path
        events = Draft202012Validator(content["text/event-stream"]["schema"])
        assert events.is_valid({"event": "done", "data": "{}"})
        assert events.is_valid({"data": "[DONE]"})  # OpenAI's stream has no event names
        assert not events.is_valid("event: done\ndata: {}\n\n")


def _readonly_and_writeonly(schema: Any, path: str = "") -> dict[str, set[str]]:
    """Every property path marked readOnly or writeOnly anywhere under `schema`."""
    found: dict[str, set[str]] = {"readOnly": set(), "writeOnly": set()}
    if isinstance(schema, dict):
        for keyword in found:
            if schema.get(keyword) is True:
                found[keyword].add(path)
        for key, value in schema.items():
            below = f"{path}.{key}" if key not in ("properties", "items") else path
            for keyword, paths in _readonly_and_writeonly(value, below).items():
                found[keyword] |= paths
    elif isinstance(schema, list):
        for item in schema:
            for keyword, paths in _readonly_and_writeonly(item, path).items():
                found[keyword] |= paths
    return found


async def test_field_behaviours_are_documented_as_read_only_and_write_only(
    gateway: GatewayHandle, http: aiohttp.ClientSession
) -> None:
    """The contract's OUTPUT_ONLY fields are readOnly in what the API answers, its
    INPUT_ONLY ones writeOnly in what it accepts; neither is ever accepted or answered."""
    doc = await _doc(http, gateway.url + "/openapi.json")
    agent = doc["paths"]["/api/v1/agents/{id}"]
    answered = agent["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    marked = _readonly_and_writeonly(answered["properties"]["data"])
    assert marked["readOnly"] == {".id", ".publishedVersion", ".createdAt", ".updatedAt"}
    assert not marked["writeOnly"]
    patch = agent["patch"]["requestBody"]["content"]["application/json"]["schema"]
    assert _readonly_and_writeonly(patch) == {"readOnly": set(), "writeOnly": set()}

    connect = doc["paths"]["/api/v1/integrations/{kind}/connect"]["post"]
    body = connect["requestBody"]["content"]["application/json"]["schema"]
    assert _readonly_and_writeonly(body)["writeOnly"] == {".credentials"}
    created = doc["paths"]["/api/v1/api-keys"]["post"]["responses"]["201"]["content"]
    key = created["application/json"]["schema"]["properties"]["data"]["properties"]
    assert key["secret"].get("readOnly") is True and key["name"].get("readOnly") is None

    # Derived from the contract, for every message REST shows.
    event = message_schema(audit_pb2.AuditEvent, for_input=False)["properties"]
    assert all(field.get("readOnly") is True for field in event.values())
