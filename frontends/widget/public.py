"""The widget's public HTTP routes: bootstrap and new sessions, called from the store's page.

Both carry the publishable key and the page's `Origin` to the core, which decides; this
process only answers CORS for the Origin the browser sent (the core has already refused a
foreign one with 403, so echoing it grants nothing).
"""

from __future__ import annotations

import json
from typing import Any

import grpc.aio
from aiohttp import web
from google.protobuf.json_format import MessageToDict

from flowyte import FlowyteClient
from flowyte.v1 import widget_service_pb2 as widget_pb
from frontends.common import Problem, problem_from_rpc_error
from frontends.widget.wire import request_metadata

CLIENT = web.AppKey("client", FlowyteClient)
PUBLIC_DEADLINE = 10.0
_MAX_BODY = 4096


def cors_headers(request: web.Request) -> dict[str, str]:
    origin = request.headers.get("Origin")
    if not origin:
        return {}
    return {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type",
        "Access-Control-Max-Age": "600",
        "Vary": "Origin",
    }


def problem(request: web.Request, found: Problem) -> web.Response:
    headers = {**found.headers(), **cors_headers(request)}
    content_type = headers.pop("Content-Type")
    return web.Response(
        text=json.dumps(found.body(request.path)),
        status=found.status,
        content_type=content_type,
        headers=headers,
    )


def _ok(request: web.Request, data: dict[str, Any]) -> web.Response:
    return web.json_response({"success": True, "data": data}, headers=cors_headers(request))


def _key(request: web.Request, body: dict[str, Any] | None = None) -> str:
    key = request.query.get("key") or (body or {}).get("key") or ""
    return key if isinstance(key, str) else ""


async def preflight(request: web.Request) -> web.Response:
    return web.Response(status=204, headers=cors_headers(request))


async def bootstrap(request: web.Request) -> web.Response:
    md = request_metadata(_key(request), request)
    try:
        got = await request.app[CLIENT].widget.GetWidgetBootstrap(
            widget_pb.GetWidgetBootstrapRequest(), metadata=md, timeout=PUBLIC_DEADLINE
        )
    except grpc.aio.AioRpcError as err:
        return problem(request, problem_from_rpc_error(err))
    config = MessageToDict(got.config)
    return _ok(
        request,
        {
            "agentMeta": MessageToDict(got.agent_meta),
            "theme": config.get("theme", {}),
            "copy": config.get("copy", {}),
            "behavior": config.get("behavior", {}),
        },
    )


async def create_session(request: web.Request) -> web.Response:
    body = await _small_json(request)
    if body is None:
        return problem(request, Problem(400, "invalid_body", "the body must be a JSON object"))
    token = body.get("visitorToken") or ""
    if not isinstance(token, str):
        return problem(request, Problem(400, "invalid_body", "visitorToken must be a string"))
    key = _key(request, body)
    md = request_metadata(key, request)
    try:
        got = await request.app[CLIENT].widget.CreateWidgetSession(
            widget_pb.CreateWidgetSessionRequest(visitor_token=token),
            metadata=md,
            timeout=PUBLIC_DEADLINE,
        )
    except grpc.aio.AioRpcError as err:
        return problem(request, problem_from_rpc_error(err))
    ws_url = request.url.with_path("/widget/ws").with_query({"key": key})
    ws_url = ws_url.with_scheme("wss" if request.url.scheme == "https" else "ws")
    return _ok(
        request,
        {
            "conversationId": got.conversation_id,
            "visitorToken": got.visitor_token,
            # The token goes in the socket's first frame, not its URL (URLs end up in logs).
            "transport": {"kind": "websocket", "url": str(ws_url), "token": got.visitor_token},
        },
    )


async def _small_json(request: web.Request) -> dict[str, Any] | None:
    raw = await request.content.read(_MAX_BODY + 1)
    if len(raw) > _MAX_BODY:
        return None
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        return None
    return body if isinstance(body, dict) else None
