"""axe-core (npm), run in the page: no serious or critical violation in the widget (open,
with a conversation in it) or in the inbox (signed in)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.widget.conftest import AXE, Demo
from tests.widget.test_widget_in_a_browser import ASK, open_widget, say

BAD = {"serious", "critical"}


def axe(page: Any, include: str | None = None) -> list[dict[str, Any]]:
    assert AXE.exists(), "axe-core is missing: `npm ci` (make test runs it) installs it"
    page.add_script_tag(path=str(AXE))
    context = f"{{include: [['{include}']]}}" if include else "document"
    found = page.evaluate(f"async () => (await axe.run({context})).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in found
        if v["impact"] in BAD
    ]


def test_the_widget_and_the_inbox_have_no_serious_accessibility_violation(
    demo: Demo, browser: Any
) -> None:
    # axe is injected as a script of its own; the storefront's CSP rightly refuses that,
    # so this context (and only this one) bypasses it.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    widget = open_widget(page, demo.storefront)
    say(widget, ASK)
    expect(widget.locator(".msg.agent", has_text="out for delivery")).to_be_visible(timeout=15_000)
    assert axe(page, "#flowyte-widget") == []

    inbox = context.new_page()
    inbox.goto(demo.inbox)
    assert axe(inbox) == []
    inbox.get_by_label("Secret API key").fill(demo.api_key)
    inbox.get_by_role("button", name="Sign in").click()
    expect(inbox.get_by_role("heading", name="Handoffs")).to_be_visible()
    assert axe(inbox) == []
    context.close()
