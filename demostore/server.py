"""The demo store's HTTP server: Shopify's Admin GraphQL endpoint and OAuth token endpoint,
plus the loopback-only control API of control.py.

    POST /admin/api/{version}/graphql.json   X-Shopify-Access-Token; {"query", "variables",
                                             "operationName"} (or application/graphql);
                                             answered in a supported version, named in
                                             the X-Shopify-API-Version header
    POST /admin/oauth/access_token           client credentials grant (form or JSON)
    /_demo/...                               live changes, faults, state (control.py)
"""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from demostore import errors
from demostore.auth import DEFAULT_TOKEN_TTL, GrantError
from demostore.control import add_control_routes
from demostore.cost import (
    DEFAULT_BUCKET_CAPACITY,
    DEFAULT_RESTORE_RATE,
    SINGLE_QUERY_MAX_COST,
)
from demostore.executor import run_graphql
from demostore.faults import Faults
from demostore.state import DemoStore
from demostore.store_file import Json, bundled_data_path, load_store_file
from flowyte.clock import Clock

DEFAULT_API_VERSION = "2026-10"
# The stable Admin API versions the demo answers in, oldest first: those Shopify supports at
# the end of 2026 (each for 12 months). It serves one schema for all of them, 2026-10's.
SUPPORTED_API_VERSIONS = ("2026-01", "2026-04", "2026-07", "2026-10")
VERSION_PATTERN = r"\d{4}-\d{2}|unstable"

STORE_KEY = web.AppKey("demo_store", DemoStore)

JSON_TYPE = "application/json"


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False),
        status=status,
        content_type=JSON_TYPE,
        charset="utf-8",
        headers=headers,
    )


# ---------------------------------------------------------------------------------------------
# faults that hit every Shopify route, before any handler


@web.middleware
async def _shopify_front(request: web.Request, handler: Any) -> web.StreamResponse:
    if request.path.startswith("/_demo"):
        return await handler(request)
    store = request.app[STORE_KEY]
    request_id = str(uuid.uuid4())
    if store.faults.latencyMs:
        await asyncio.sleep(store.faults.latencyMs / 1000)
    if store.dice.drop():
        if request.transport is not None:
            request.transport.abort()
        return web.Response(status=499)  # never sent: the connection is gone
    if store.faults.notFound:
        response: web.StreamResponse = _json(errors.NOT_FOUND, 404)
    elif (status := store.dice.fail_status()) is not None:
        response = _failure(status)
    else:
        try:
            response = await handler(request)
        except web.HTTPNotFound:
            response = _json(errors.NOT_FOUND, 404)
        except web.HTTPMethodNotAllowed:
            response = _json({"errors": "Method Not Allowed"}, 405)
    response.headers.setdefault("X-Request-Id", request_id)
    return response


def _failure(status: int) -> web.Response:
    if status == 502:
        return web.Response(
            text=errors.BAD_GATEWAY_HTML, status=502, content_type="text/html", charset="utf-8"
        )
    if status == 503:
        return _json(errors.SERVICE_UNAVAILABLE, 503)
    return _json(errors.INTERNAL_ERROR, status)


# ---------------------------------------------------------------------------------------------
# the GraphQL endpoint


async def _read_graphql_body(request: web.Request) -> tuple[str, Any, Any] | None:
    raw = await request.read()
    if request.content_type == "application/graphql":
        text = raw.decode("utf-8", errors="replace")
        return (text, None, None) if text.strip() else None
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(body, dict):
        return None
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        return None
    variables = body.get("variables")
    if isinstance(variables, str):  # some clients send the variables JSON-encoded again
        try:
            variables = json.loads(variables) if variables.strip() else None
        except ValueError:
            return None
    if variables is not None and not isinstance(variables, dict):
        return None
    operation = body.get("operationName")
    return query, variables, operation if isinstance(operation, str) and operation else None


def answering_version(asked: str) -> str | None:
    """The version Shopify answers a request for `asked` in: itself when supported (or
    unstable), the oldest supported one for an older quarterly release it no longer supports,
    None (404) for one it never released or has not yet."""
    if asked in SUPPORTED_API_VERSIONS or asked == "unstable":
        return asked
    month = asked.split("-")[1]
    if month in ("01", "04", "07", "10") and asked < SUPPORTED_API_VERSIONS[0]:
        return SUPPORTED_API_VERSIONS[0]
    return None


async def _graphql(request: web.Request) -> web.Response:
    store = request.app[STORE_KEY]
    version = answering_version(request.match_info["version"])
    if version is None:
        return _json(errors.NOT_FOUND, 404)
    headers = {"X-Shopify-API-Version": version}
    app = store.credentials.app_for(request.headers.get("X-Shopify-Access-Token"))
    if app is None:
        return _json(errors.UNAUTHORIZED, 401, headers)
    if store.faults.locked:
        return _json(errors.LOCKED, 423, headers)
    if store.faults.paymentRequired:
        return _json(errors.PAYMENT_REQUIRED, 402, headers)
    if store.faults.forbidden:
        return _json(errors.FORBIDDEN, 403, headers)
    if store.faults.shopInactive:
        return _json({"errors": [errors.SHOP_INACTIVE]}, 200, headers)
    if store.dice.http_429():
        retry_after = store.faults.retryAfter
        headers["Retry-After"] = f"{retry_after:g}"
        return _json(errors.TOO_MANY_REQUESTS, 429, headers)
    parsed = await _read_graphql_body(request)
    if parsed is None:
        return _json(errors.MISSING_QUERY, 400, headers)
    query, variables, operation_name = parsed
    body = run_graphql(
        store,
        app,
        query,
        variables,
        operation_name,
        force_throttle=store.dice.throttled(),
    )
    return _json(body, 200, headers)


# ---------------------------------------------------------------------------------------------
# the client credentials grant


async def _access_token(request: web.Request) -> web.Response:
    store = request.app[STORE_KEY]
    raw = await request.read()
    params: dict[str, Any] = dict(request.query)
    if request.content_type == JSON_TYPE:
        try:
            body = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            body = None
        if not isinstance(body, dict):
            return _json({"error": "invalid_request", "error_description": "Malformed JSON"}, 400)
        params.update(body)
    else:
        params.update(parse_qsl(raw.decode("utf-8", errors="replace")))
    try:
        grant = store.credentials.grant(params)
    except GrantError as exc:
        return _json(exc.body, exc.status)
    return _json(grant)


# ---------------------------------------------------------------------------------------------
# starting and stopping


def build_app(store: DemoStore) -> web.Application:
    app = web.Application(middlewares=[_shopify_front])
    app[STORE_KEY] = store
    app.router.add_post(f"/admin/api/{{version:{VERSION_PATTERN}}}/graphql.json", _graphql)
    app.router.add_post("/admin/oauth/access_token", _access_token)
    add_control_routes(app, STORE_KEY)
    return app


@dataclass
class DemoStoreHandle:
    """A running demo store."""

    store: DemoStore
    host: str
    port: int
    _runner: web.AppRunner

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def graphql_url(self, version: str = DEFAULT_API_VERSION) -> str:
        return f"{self.url}/admin/api/{version}/graphql.json"

    @property
    def token_url(self) -> str:
        return f"{self.url}/admin/oauth/access_token"

    @property
    def access_token(self) -> str:
        """The first fixed access token of the data (for demos and tests)."""
        return self.store.access_tokens[0]

    async def stop(self) -> None:
        await self._runner.cleanup()


async def start_demo_store(
    data: Path | str | Json | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    bucket_capacity: float = DEFAULT_BUCKET_CAPACITY,
    restore_rate: float = DEFAULT_RESTORE_RATE,
    max_query_cost: int = SINGLE_QUERY_MAX_COST,
    token_ttl: float = DEFAULT_TOKEN_TTL,
    latency_ms: int = 0,
    fail_rate: float = 0.0,
    drop_rate: float = 0.0,
    locked: bool = False,
    faults: Faults | dict[str, Any] | None = None,
    seed: int | None = None,
    clock: Clock | None = None,
    fixed_dates: bool = False,
) -> DemoStoreHandle:
    """Start a demo store on `host:port` (0: any free port) serving `data` (a store file, an
    already-loaded dict, or None for the bundled demo data set), moved to `clock`'s present
    (the process's clock by default) unless `fixed_dates`.

    Raises DemoStoreDataError for a bad store file and OSError when the address is taken.
    """
    doc = load_store_file(bundled_data_path() if data is None else data)
    chosen = faults if isinstance(faults, Faults) else Faults()
    flags = {
        "latencyMs": latency_ms,
        "failRate": fail_rate,
        "dropRate": drop_rate,
        "locked": locked,
    }
    chosen.update({k: v for k, v in flags.items() if v})  # a Faults given keeps its own values
    if isinstance(faults, dict):
        chosen.update(faults)
    store = DemoStore(
        doc,
        bucket_capacity=bucket_capacity,
        restore_rate=restore_rate,
        max_query_cost=max_query_cost,
        token_ttl=token_ttl,
        faults=chosen,
        seed=seed,
        clock=clock,
        fixed_dates=fixed_dates,
    )
    runner = web.AppRunner(build_app(store), access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port)
        await site.start()
    except BaseException:
        await runner.cleanup()
        raise
    bound_port = runner.addresses[0][1]
    return DemoStoreHandle(store, host, bound_port, runner)
