"""The demo storefront: a small shop's page with the widget's one-tag snippet on it.

It runs on an origin of its own (another port), as a merchant's store would, under a strict
Content-Security-Policy that allows only itself and the widget frontend's origin: the widget
must work there without inline scripts or styles.
"""

from __future__ import annotations

import html
from pathlib import Path

from aiohttp import web

STATIC = Path(__file__).with_name("static")


def storefront_csp(widget_origin: str) -> str:
    ws_origin = widget_origin.replace("http://", "ws://").replace("https://", "wss://")
    return (
        f"default-src 'self'; script-src 'self' {widget_origin}; "
        f"style-src 'self' {widget_origin}; connect-src 'self' {widget_origin} {ws_origin}; "
        "img-src 'self' data:; base-uri 'none'; form-action 'none'"
    )


def create_storefront(widget_url: str, publishable_key: str) -> web.Application:
    origin = widget_url.rstrip("/")
    page = (
        (STATIC / "storefront.html")
        .read_text(encoding="utf-8")
        .replace("{{WIDGET}}", html.escape(origin, quote=True))
        .replace("{{KEY}}", html.escape(publishable_key, quote=True))
    )
    css = (STATIC / "storefront.css").read_bytes()
    headers = {"Content-Security-Policy": storefront_csp(origin), "Cache-Control": "no-cache"}

    async def index(_: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html", headers=headers)

    async def style(_: web.Request) -> web.Response:
        return web.Response(body=css, content_type="text/css")

    app = web.Application()
    app.router.add_get("/", index)
    app.router.add_get("/storefront.css", style)
    return app
