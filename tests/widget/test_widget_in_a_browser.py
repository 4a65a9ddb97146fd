"""The whole path in Chromium: a shopper on the demo storefront asks where an order is,
reads its status with a working tracking link, reports a damaged parcel; a team member in
the inbox (a second browser context) claims the handoff and answers; the answer appears in
the shopper's widget."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from tests.widget.conftest import Demo

ASK = "Where is order #2002? My zip is 98121"
TRACKING = "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400111899562837415526"
ANSWER = "So sorry about that! A replacement ships today, tracking follows by email."


def open_widget(page: Any, storefront: str) -> Any:
    page.goto(storefront)
    widget = page.locator("#flowyte-widget")
    launcher = widget.get_by_role("button", name="Open chat")
    expect(launcher).to_be_visible()
    launcher.click()
    expect(widget.get_by_role("dialog", name="Chat with us")).to_be_visible()
    return widget


def sign_in(page: Any, demo: Demo, who: str) -> Any:
    page.goto(demo.inbox)
    page.get_by_label("Secret API key").fill(demo.api_key)
    page.get_by_label("Your name").fill(who)
    page.get_by_role("button", name="Sign in").click()
    return page


def say(widget: Any, text: str) -> None:
    box = widget.get_by_role("textbox", name="Your message")
    expect(box).to_be_focused()
    box.fill(text)
    box.press("Enter")


def test_shopper_and_team_member_walk_the_whole_path(
    demo: Demo, browser: Any, artifacts: Path
) -> None:
    shopper = browser.new_context(viewport={"width": 1280, "height": 800})
    page = shopper.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    widget = open_widget(page, demo.storefront)

    say(widget, ASK)
    log = widget.get_by_role("log")
    reply = log.locator(".msg.agent", has_text="out for delivery")
    expect(reply).to_be_visible(timeout=15_000)
    link = reply.get_by_role("link", name=TRACKING)
    expect(link).to_have_attribute("href", TRACKING)
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile("noopener"))
    page.screenshot(path=str(artifacts / "widget-desktop.png"))

    say(widget, "The parcel arrived damaged, the box was crushed.")
    expect(widget.get_by_text("A person will reply here.")).to_be_visible(timeout=15_000)

    team = browser.new_context(viewport={"width": 1280, "height": 800})
    inbox = sign_in(team.new_page(), demo, "Ana")
    assert demo.api_key not in inbox.url
    handoff = inbox.locator("#handoffs button", has_text="damaged").first
    expect(handoff).to_be_visible(timeout=15_000)
    handoff.click()
    expect(inbox.locator("#context")).to_contain_text("#2002")
    expect(inbox.locator("#transcript")).to_contain_text("arrived damaged")

    # A colleague has the same handoff open; Ana claims it, and Bo sees that live and can
    # no longer claim it (the core refuses a second claim: test_widget_socket_refusals).
    colleague = browser.new_context()
    other = sign_in(colleague.new_page(), demo, "Bo")
    other.locator("#handoffs button", has_text="damaged").first.click()
    expect(other.get_by_role("button", name="Claim", exact=True)).to_be_enabled()
    inbox.get_by_role("button", name="Claim", exact=True).click()
    expect(inbox.locator("#context")).to_contain_text("claimed (Ana)")
    expect(other.locator("#context")).to_contain_text("claimed (Ana)")
    expect(other.get_by_role("button", name="Claim", exact=True)).to_be_disabled()
    expect(other.locator("#transcript")).to_contain_text("arrived damaged")
    colleague.close()
    inbox.get_by_label("Reply to the customer").fill(ANSWER)
    inbox.get_by_role("button", name="Send reply").click()
    expect(inbox.locator("#transcript")).to_contain_text(ANSWER)
    inbox.screenshot(path=str(artifacts / "inbox.png"), full_page=True)

    expect(log.locator(".msg.person", has_text=ANSWER)).to_be_visible(timeout=15_000)

    # A reload in the same tab keeps the conversation, drawn once.
    page.reload()
    widget = page.locator("#flowyte-widget")
    expect(widget.get_by_role("log").locator(".msg.person", has_text=ANSWER)).to_have_count(1)
    expect(
        widget.get_by_role("log").locator(".msg.customer", has_text="Where is order")
    ).to_have_count(1)

    page.set_viewport_size({"width": 375, "height": 740})
    page.screenshot(path=str(artifacts / "widget-375.png"))
    box = widget.locator(".panel").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    assert not [e for e in errors if "Content Security Policy" in e], errors
    team.close()
    shopper.close()
