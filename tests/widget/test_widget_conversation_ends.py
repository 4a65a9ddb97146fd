"""A conversation that has ended goes on in a new one: the team ends the shopper's session
through the REST API while the widget is open; the widget says so, and when the shopper
writes again the answer comes in a new session, the old one staying ended."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from playwright.sync_api import expect

from tests.widget.conftest import Demo
from tests.widget.test_widget_in_a_browser import ASK, open_widget, say

ENDED = "This conversation has ended."
RESTARTED = "A new conversation started."


def rest(demo: Demo, method: str, path: str) -> dict[str, Any]:
    request = urllib.request.Request(
        f"{demo.api}{path}",
        method=method,
        headers={"Authorization": f"Bearer {demo.api_key}"},
        data=b"" if method == "POST" else None,
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return dict(json.loads(answer.read())["data"])


def created_session(page: Any) -> Any:
    return page.expect_response(
        lambda r: "/chat/widget/sessions" in r.url and r.request.method == "POST"
    )


def test_the_shopper_writes_on_after_the_team_ended_the_conversation(
    demo: Demo, browser: Any
) -> None:
    context = browser.new_context()
    page = context.new_page()
    with created_session(page) as first:  # opening the panel starts the session
        widget = open_widget(page, demo.storefront)
    log = widget.get_by_role("log")
    say(widget, ASK)
    old = first.value.json()["data"]["conversationId"]
    expect(log.locator(".msg.agent", has_text="out for delivery")).to_have_count(1, timeout=15_000)

    rest(demo, "POST", f"/chat/sessions/{old}/end")
    expect(log.get_by_text(ENDED)).to_be_visible(timeout=10_000)
    expect(widget.get_by_role("status").filter(has_text="Typing")).to_be_hidden()

    with created_session(page) as second:
        say(widget, "And where is order #2002 now? My zip is 98121")
    new = second.value.json()["data"]["conversationId"]
    assert new != old
    expect(log.get_by_text(RESTARTED)).to_be_visible()
    expect(log.locator(".msg.agent", has_text="out for delivery")).to_have_count(2, timeout=15_000)
    assert rest(demo, "GET", f"/chat/sessions/{old}")["status"] == "ended"
    assert rest(demo, "GET", f"/chat/sessions/{new}")["status"] == "active"
    # The order on the page: the old talk, that it ended, the new one's start, the new talk.
    texts = log.locator(".msg").all_inner_texts()
    order = [
        next(i for i, t in enumerate(texts) if marker in t)
        for marker in ("Where is order", ENDED, RESTARTED, "And where is order")
    ]
    assert order == sorted(order), texts

    # A reload keeps it all, each line once, and goes on in the new session.
    page.reload()
    log = page.locator("#flowyte-widget").get_by_role("log")
    expect(log.get_by_text(ENDED)).to_have_count(1)
    expect(log.get_by_text(RESTARTED)).to_have_count(1)
    expect(log.locator(".msg.agent", has_text="out for delivery")).to_have_count(2)
    context.close()


def test_a_message_written_as_the_agent_ends_goes_into_a_new_conversation(
    demo: Demo, browser: Any
) -> None:
    """The agent ends the conversation on goodbye, and the shopper writes before the page
    learns it (the server's 4410 is held back in a websocket route until then): the
    message is not lost, it is answered in a new conversation."""
    context = browser.new_context()
    page = context.new_page()
    held: list[tuple[Any, int | None, str | None]] = []

    def route(ws: Any) -> None:
        server = ws.connect_to_server()
        server.on_message(ws.send)

        def closed(code: int | None, reason: str | None) -> None:
            if code == 4410 and not held:
                held.append((ws, code, reason))
            else:
                ws.close(code=code, reason=reason)

        server.on_close(closed)

    page.route_web_socket("**/widget/ws**", route)
    widget = open_widget(page, demo.storefront)
    log = widget.get_by_role("log")
    say(widget, "Goodbye")
    expect(log.locator(".msg.agent").nth(1)).to_be_visible(timeout=15_000)  # after the greeting
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)
    assert held and held[0][1:] == (4410, "this conversation has ended"), held
    expect(log.get_by_text(ENDED)).to_have_count(0)

    with created_session(page) as second:
        say(widget, ASK)
        socket, code, reason = held[0]
        socket.close(code=code, reason=reason)  # now the page hears it
    assert second.value.ok
    expect(log.get_by_text(ENDED)).to_be_visible()
    expect(log.get_by_text(RESTARTED)).to_be_visible()
    expect(log.locator(".msg.agent", has_text="out for delivery")).to_have_count(1, timeout=15_000)
    expect(log.locator(".msg.customer", has_text="Where is order")).to_have_count(1)
    context.close()
