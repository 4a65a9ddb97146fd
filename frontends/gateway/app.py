"""The aiohttp application: the route table turned into endpoints, problems for every error.

The gateway decides nothing about auth: it forwards the caller's Authorization header to
the core as metadata and maps what the core says back to HTTP. A caller with no header at
all is put to the core before anything else, so the core's 401 comes first.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import Any

import grpc.aio
from aiohttp import web
from google.protobuf import descriptor_pool, message_factory

from flowyte import FlowyteClient
from flowyte.deadlines import Deadlines
from frontends.common import (
    FieldError,
    Problem,
    acquire_client,
    json_text,
    problem_from_rpc_error,
    release_client,
)
from frontends.gateway.openai_compat import openai_error_response
from frontends.gateway.openapi import BASE_PATH, document
from frontends.gateway.operation import Call, Page, ProblemError, Route, bad_request
from frontends.gateway.routes import ROUTES
from frontends.gateway.validation import MAX_BODY, page_params, read_json, typed_params, validate

log = logging.getLogger("flowyte.gateway")

CORE_TARGET = web.AppKey("core_target", str)
CLIENT = web.AppKey("client", FlowyteClient)
DEADLINES = web.AppKey("deadlines", Deadlines)
WebHandler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_MUTATING = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def create_app(
    core_target: str, routes: Iterable[Route] = ROUTES, deadlines: Deadlines | None = None
) -> web.Application:
    """`deadlines`: what the core's store client waits (by default as the environment says,
    as the core reads it); calls that run turns wait longer."""
    routes = list(routes)
    # One byte over the limit so our own check, not aiohttp's plain-text 413, answers.
    app = web.Application(middlewares=[_problems], client_max_size=MAX_BODY + 1)
    app[CORE_TARGET] = core_target
    app[DEADLINES] = deadlines or Deadlines.from_env()
    app.cleanup_ctx.append(_core_client)
    for route in routes:
        app.router.add_route(route.method, BASE_PATH + route.path, _endpoint(route))
    spec = document(routes)

    async def openapi(_: web.Request) -> web.Response:
        return web.json_response(spec)

    app.router.add_get(BASE_PATH + "/openapi.json", openapi)
    app.router.add_get("/openapi.json", openapi)
    return app


async def _core_client(app: web.Application) -> AsyncIterator[None]:
    # Made on startup: a grpc.aio channel must be created inside the loop that uses it.
    app[CLIENT] = await acquire_client(app[CORE_TARGET])
    yield
    await release_client(app[CLIENT])


def _endpoint(route: Route) -> WebHandler:
    handle = _flowyte_endpoint(route)
    if not route.openai:
        return handle

    async def handle_openai(request: web.Request) -> web.StreamResponse:
        try:
            return await handle(request)
        except ProblemError as err:
            return openai_error_response(err.problem)

    return handle_openai


def _flowyte_endpoint(route: Route) -> WebHandler:
    async def handle(request: web.Request) -> web.StreamResponse:
        if "Authorization" not in request.headers:
            await _ask_without_key(request.app[CLIENT], route)
        params = typed_params(request.match_info, route.params)
        query = typed_params(
            {k: request.query[k] for k in route.query if k in request.query}, route.query
        )
        page_size, page_token = page_params(request.query) if route.paged else (0, "")
        body = await _body(request, route)
        call = Call(
            request.app[CLIENT],
            _metadata(request),
            params,
            query,
            body,
            page_size,
            page_token,
            request,
            request.app[DEADLINES],
        )
        try:
            result = await route.handler(call)
        except grpc.aio.AioRpcError as err:
            raise ProblemError(problem_from_rpc_error(err).redacted(_secrets(body))) from None
        if isinstance(result, web.StreamResponse):
            return result  # streamed (and finished) by the handler
        if route.openai:
            return web.json_response(result, status=route.status, dumps=json_text.dumps)
        if isinstance(result, Page):
            payload = {"success": True, "data": result.items, "nextCursor": result.next_cursor}
        else:
            payload = {"success": True, "data": result}
        return web.json_response(payload, status=route.status, dumps=json_text.dumps)

    return handle


async def _ask_without_key(client: FlowyteClient, route: Route) -> None:
    """Lets the core answer a caller with no key at all, before any validation.

    Authenticating comes first (a keyless caller learns nothing about the request's shape),
    but the core is who decides: it gets the route's RPC with an empty request and no key,
    and refuses it in its auth interceptor, before any servicer runs.
    """
    service, method = route.rpc.split(".")
    descriptor = descriptor_pool.Default().FindMethodByName(f"flowyte.v1.{route.rpc}")
    request = message_factory.GetMessageClass(descriptor.input_type)()
    call = getattr(client.stub(service), method)
    try:
        if descriptor.server_streaming:
            async for _ in call(request, metadata=grpc.aio.Metadata()):
                break
        else:
            await call(request, metadata=grpc.aio.Metadata())
    except grpc.aio.AioRpcError as err:
        raise ProblemError(problem_from_rpc_error(err)) from None


async def _body(request: web.Request, route: Route) -> dict[str, Any]:
    if route.body is None:
        return {}
    raw = await read_json(request)
    if raw is None:
        raw = {}
    if route.list_key and isinstance(raw, list):
        raw = {route.list_key: raw}
    validate(raw, route.body)
    return dict(raw)


def _metadata(request: web.Request) -> grpc.aio.Metadata:
    md = grpc.aio.Metadata()
    auth = request.headers.get("Authorization")
    if auth is not None:
        # gRPC metadata is printable ASCII; anything else cannot be a key of ours anyway,
        # and the core (not the gateway) answers 401 for it.
        md.add("authorization", auth if _transportable(auth) else "Bearer invalid")
    key = request.headers.get("Idempotency-Key")
    if key is not None and request.method in _MUTATING:
        if not key or not _transportable(key) or len(key) > 255:
            raise bad_request(
                "invalid Idempotency-Key",
                FieldError("Idempotency-Key", "must be 1 to 255 printable ASCII characters"),
            )
        md.add("idempotency-key", key)
    return md


def _transportable(value: str) -> bool:
    return value.isascii() and value.isprintable()


def _secrets(body: Mapping[str, Any]) -> list[str]:
    """Every string under a `credentials` object: never to appear in an error."""
    creds = body.get("credentials")
    if not isinstance(creds, Mapping):
        return []
    return [v for v in creds.values() if isinstance(v, str)]


@web.middleware
async def _problems(request: web.Request, handler: WebHandler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ProblemError as err:
        return problem_response(request, err.problem)
    except web.HTTPException as err:
        if err.status < 400:
            raise
        headers = {"Allow": err.headers["Allow"]} if "Allow" in err.headers else {}
        code = (err.reason or "error").lower().replace(" ", "_")
        return problem_response(request, Problem(err.status, code, err.reason), headers)
    except grpc.aio.AioRpcError as err:  # a handler outside the table's error handling
        return problem_response(request, problem_from_rpc_error(err))
    except Exception as exc:
        # The type and the frames, not the message: a message could quote a request's body.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error(
            "unhandled %s in %s %s\n%s", type(exc).__name__, request.method, request.path, frames
        )
        return problem_response(request, Problem(500, "internal", "internal error"))


def problem_response(
    request: web.Request, problem: Problem, headers: Mapping[str, str] | None = None
) -> web.Response:
    all_headers = {**problem.headers(), **(headers or {})}
    content_type = all_headers.pop("Content-Type")
    return web.Response(
        text=json.dumps(problem.body(request.path)),
        status=problem.status,
        reason=problem.title,
        content_type=content_type,
        headers=all_headers,
    )
