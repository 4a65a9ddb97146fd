"""The OpenAPI 3.1 document, generated from the route table it describes."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from google.protobuf import descriptor_pool

from flowyte import contract
from frontends.gateway.operation import ALWAYS, Route
from frontends.gateway.schemas import Schema, list_of
from frontends.gateway.validation import MAX_LIMIT

BASE_PATH = "/api/v1"
_PARAM = re.compile(r"{(\w+)}")

PROBLEM: Schema = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {"type": "string"},
        "errors": list_of(
            {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            }
        ),
    },
}


# One server-sent event as a client parses it: `event` names its type (OpenAI's stream sends
# bare `data:` frames), `data` is its JSON text (OpenAI's stream ends with `[DONE]`).
SSE_EVENT: Schema = {
    "type": "object",
    "properties": {
        "event": {"type": "string"},
        "data": {"type": "string"},
        "id": {"type": "string"},
        "retry": {"type": "integer"},
    },
    "required": ["data"],
}


def required_scope(route: Route) -> str:
    """The scope the core requires, read from the contract's method options."""
    return contract.required_scope(
        descriptor_pool.Default().FindMethodByName(f"flowyte.v1.{route.rpc}")
    )


OPENAI_ERROR: Schema = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
        }
    },
}


def document(routes: Iterable[Route]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault(BASE_PATH + route.path, {})[route.method.lower()] = _operation(route)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Flowyte API", "version": "v1"},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": {"Problem": PROBLEM, "OpenAIError": OPENAI_ERROR},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def _operation(route: Route) -> dict[str, Any]:
    scope = required_scope(route)
    op: dict[str, Any] = {
        "operationId": route.operation_id,
        "summary": route.summary,
        "description": f"Requires the `{scope}` scope.",
        "security": [{"bearer": [scope]}],
        "x-required-scope": scope,
        "parameters": _parameters(route),
        "responses": _responses(route),
    }
    if route.body is not None:
        body = route.body
        if route.list_key:
            body = {"oneOf": [body, body["properties"][route.list_key]]}
        op["requestBody"] = {
            "required": bool(route.body.get("required")),
            "content": {"application/json": {"schema": body}},
        }
    return op


def _parameters(route: Route) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": route.params.get(name, {"type": "string"}),
        }
        for name in _PARAM.findall(route.path)
    ]
    params += [
        {"name": name, "in": "query", "required": False, "schema": schema}
        for name, schema in route.query.items()
    ]
    if route.paged:
        params += [
            {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            },
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
        ]
    if route.method in ("POST", "PATCH", "PUT", "DELETE"):
        params.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "description": "A retry with the same key and body replays the first response.",
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 255,
                    "pattern": "^[\\x20-\\x7e]+$",  # printable ASCII, as the gateway checks
                },
            }
        )
    return params


def _responses(route: Route) -> dict[str, Any]:
    data = route.response or {}
    envelope: Schema = {
        "type": "object",
        "properties": {"success": {"const": True}, "data": list_of(data) if route.paged else data},
        "required": ["success", "data"],
    }
    if route.paged:
        envelope["properties"]["nextCursor"] = {"type": ["string", "null"]}
    problem = {
        "content": {
            "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
        }
    }
    if route.openai:  # OpenAI's own shapes: no envelope, OpenAI's error object
        envelope = data
        problem = {
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/OpenAIError"}}
            }
        }
    content: dict[str, Any] = {}
    if route.streams != ALWAYS:
        content["application/json"] = {"schema": envelope}
    if route.streams:
        # Before OpenAPI 3.2 (`itemSchema`), an event stream's schema describes each event.
        content["text/event-stream"] = {"schema": SSE_EVENT}
    responses: dict[str, Any] = {str(route.status): {"description": "OK", "content": content}}
    for status, text in _ERRORS.items():
        responses[status] = {"description": text, **problem}
    return responses


_ERRORS = {
    "400": "Invalid request; errors[] names each field",
    "401": "No or bad key",
    "403": "The key lacks the scope",
    "404": "Not found in your organization",
    "409": "Conflict, or an idempotency key reused with another body",
    "413": "Body larger than 1 MiB",
    "429": "Rate limited; see Retry-After",
}
