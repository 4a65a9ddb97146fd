"""The typing indicator shows from the shopper's message until the reply is on the page,
then hides. The reply is held back on its way to the browser (the server's frames wait in
a Playwright websocket route until the test lets them through), so "while the turn runs"
lasts as long as the test needs, not as long as a fast machine allows."""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import expect

from tests.widget.conftest import Demo
from tests.widget.test_widget_in_a_browser import ASK, open_widget, say

TURN = {"event", "delta", "turnEnd"}  # the frames of a turn; ready and heartbeats pass


def test_the_typing_indicator_shows_while_the_turn_runs(demo: Demo, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    held: list[str] = []
    routes: list[Any] = []
    holding = [True]

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        routes.append(ws)

        def from_server(message: str | bytes) -> None:
            if holding[0] and isinstance(message, str) and json.loads(message)["type"] in TURN:
                held.append(message)
            else:
                ws.send(message)

        server.on_message(from_server)

    page.route_web_socket("**/widget/ws**", route)
    widget = open_widget(page, demo.storefront)
    typing = widget.get_by_role("status").filter(has_text="Typing…")
    log = widget.get_by_role("log")
    expect(typing).to_be_hidden()

    say(widget, ASK)
    expect(typing).to_be_visible()
    # The core has finished the turn (its end is in hand), the page has none of it yet:
    # the indicator stays up.
    for _ in range(150):
        if any(json.loads(m)["type"] == "turnEnd" for m in held):
            break
        page.wait_for_timeout(100)
    assert any(json.loads(m)["type"] == "turnEnd" for m in held), held
    expect(typing).to_be_visible()
    expect(log.locator(".msg.agent", has_text="out for delivery")).to_have_count(0)

    holding[0] = False
    for message in held:
        routes[-1].send(message)
    expect(log.locator(".msg.agent", has_text="out for delivery")).to_have_count(1)
    expect(typing).to_be_hidden()
    context.close()
