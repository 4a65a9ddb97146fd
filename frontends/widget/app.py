"""The widget frontend's aiohttp application: public routes, sockets, the widget's files, the
inbox page. Static files are read once at start: they are small and never change while it runs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

from aiohttp import web

from frontends.common import acquire_client, release_client
from frontends.widget import public
from frontends.widget.inbox import inbox_socket
from frontends.widget.public import CLIENT
from frontends.widget.socket import widget_socket
from frontends.widget.timing import TIMING, SocketTiming

log = logging.getLogger("flowyte.widget")

STATIC = Path(__file__).with_name("static")
CORE_TARGET = web.AppKey("core_target", str)
_TYPES = {".js": "text/javascript", ".css": "text/css", ".html": "text/html"}
# The inbox is our own page: it loads only its own files and talks only to its own socket.
INBOX_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# Files a store's page loads from us: any origin may (the key and Origin decide the rest).
_PUBLIC_FILES = {"/widget/loader.js": "loader.js", "/widget/widget.css": "widget.css"}
_INBOX_FILES = {
    "/inbox": "inbox.html",
    "/inbox/inbox.js": "inbox.js",
    "/inbox/inbox.css": "inbox.css",
}


def create_app(core_target: str, timing: SocketTiming | None = None) -> web.Application:
    app = web.Application(client_max_size=16 * 1024)
    app[CORE_TARGET] = core_target
    app[TIMING] = timing or SocketTiming()
    app.cleanup_ctx.append(_core_client)
    app.router.add_get("/widget/bootstrap", public.bootstrap)
    app.router.add_route("OPTIONS", "/widget/bootstrap", public.preflight)
    app.router.add_post("/chat/widget/sessions", public.create_session)
    app.router.add_route("OPTIONS", "/chat/widget/sessions", public.preflight)
    app.router.add_get("/widget/ws", widget_socket)
    app.router.add_get("/inbox/ws", inbox_socket)
    for path, name in _PUBLIC_FILES.items():
        app.router.add_get(path, _file(name, {"Access-Control-Allow-Origin": "*"}))
    for path, name in _INBOX_FILES.items():
        app.router.add_get(path, _file(name, {"Content-Security-Policy": INBOX_CSP}))
    app.router.add_get("/healthz", _health)
    return app


def _file(name: str, headers: dict[str, str]) -> Callable[[web.Request], Awaitable[web.Response]]:
    body = (STATIC / name).read_bytes()
    content_type = _TYPES[Path(name).suffix]
    all_headers = {
        **headers,
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }

    async def serve(_: web.Request) -> web.Response:
        return web.Response(body=body, content_type=content_type, headers=all_headers)

    return serve


async def _health(_: web.Request) -> web.Response:
    return web.json_response({"status": "serving"})


async def _core_client(app: web.Application) -> AsyncIterator[None]:
    app[CLIENT] = await acquire_client(app[CORE_TARGET])
    yield
    await release_client(app[CLIENT])
