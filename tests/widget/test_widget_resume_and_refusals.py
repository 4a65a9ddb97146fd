"""The widget's socket in the browser when things go wrong: a socket killed mid-reply
resumes without gaps or repeats, and a page on a foreign origin gets no widget."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from playwright.sync_api import expect

from tests.widget.conftest import Demo
from tests.widget.test_widget_in_a_browser import ASK, open_widget, say


def test_a_socket_killed_mid_reply_resumes_without_gaps_or_repeats(
    demo: Demo, browser: Any
) -> None:
    context = browser.new_context()
    page = context.new_page()
    kills: list[str] = []
    sockets: list[Any] = []

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        sockets.append(ws)

        def from_server(message: str | bytes) -> None:
            if not kills and isinstance(message, str) and '"user_utterance"' in message:
                # The customer's message is in, the reply not yet on the page: drop the
                # socket as a flaky network would, before the reply arrives.
                kills.append(message)
                ws.close(code=4000, reason="test drops the socket")
                return
            ws.send(message)

        server.on_message(from_server)

    page.route_web_socket("**/widget/ws**", route)
    widget = open_widget(page, demo.storefront)
    say(widget, ASK)
    log = widget.get_by_role("log")
    expect(log.locator(".msg.agent", has_text="out for delivery")).to_have_count(1, timeout=15_000)
    assert kills and len(sockets) >= 2  # it was dropped, and a new socket took over
    expect(log.locator(".msg.customer")).to_have_count(1)
    stored = page.evaluate(
        "() => Object.keys(sessionStorage).filter(k => k.startsWith('flowyte:'))"
        ".map(k => sessionStorage.getItem(k))"
    )
    state = json.loads(stored[0])
    seqs = [item["seq"] for item in state["items"] if item["seq"] > 0]
    assert seqs == sorted(set(seqs)), seqs  # no event drawn twice
    assert state["pending"] is None
    assert state["lastSeq"] >= max(seqs)
    # Nothing after the drop is missing: the reply the dropped socket never delivered is
    # drawn whole, once.
    expect(log.locator(".msg.agent", has_text="TrackConfirmAction")).to_have_count(1)
    context.close()


@contextmanager
def foreign_shop(page: dict[str, str]) -> Iterator[str]:
    """A page (`page["body"]`, read per request) on another origin of this machine: a real
    server (Chrome keeps pages whose address it does not know off loopback altogether, so
    a routed fake would prove nothing)."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page["body"].encode())

        def log_message(self, *_: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_on_a_foreign_origin_gets_no_widget(demo: Demo, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    body = (
        '<!doctype html><html lang="en"><title>Other shop</title><body><p>Hi</p>'
        f'<script src="{demo.widget}/widget/loader.js" '
        f'data-flowyte-key="{demo.key}" async></script></body></html>'
    )
    with foreign_shop({"body": body}) as foreign:
        with page.expect_response(lambda r: "/widget/bootstrap" in r.url) as answer:
            page.goto(f"{foreign}/")
        assert answer.value.status == 403
        assert answer.value.json()["code"] == "origin_not_allowed"
        page.wait_for_timeout(300)
        expect(page.locator("#flowyte-widget")).to_have_count(0)
    context.close()
