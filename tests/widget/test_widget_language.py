"""A Spanish agent's widget speaks Spanish, and the widget works with the keyboard alone."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from playwright.sync_api import expect

from flowyte.client import FlowyteClient
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import widget_service_pb2 as widget_pb
from tests.widget.conftest import Demo
from tests.widget.test_widget_resume_and_refusals import foreign_shop


async def spanish_agent_key(demo: Demo, grpc_target: str, origin: str) -> str:
    async with FlowyteClient(grpc_target, demo.api_key) as client:
        agent = (
            await client.agents.CreateAgent(
                agent_pb.CreateAgentRequest(
                    agent=agent_pb.Agent(display_name="Asistente de pedidos", language="es-ES")
                )
            )
        ).agent
        await client.agents.PublishAgent(agent_pb.PublishAgentRequest(name=agent.name))
        created = await client.widget.CreatePublishableKey(
            widget_pb.CreatePublishableKeyRequest(
                parent=agent.name,
                publishable_key=widget_pb.PublishableKey(
                    display_name="tienda", allowed_origins=[origin]
                ),
            )
        )
    return created.publishable_key.key_public


def test_a_spanish_agents_widget_is_in_spanish_and_works_by_keyboard(
    demo: Demo, browser: Any
) -> None:
    page_body = {"body": ""}
    with foreign_shop(page_body) as origin:
        # In a thread of its own: sync Playwright's event loop is running in this one.
        with ThreadPoolExecutor(1) as pool:
            key = pool.submit(asyncio.run, spanish_agent_key(demo, demo.grpc, origin)).result()
        page_body["body"] = (
            '<!doctype html><html lang="es"><title>Tienda</title><body><h1>Tienda</h1>'
            f'<script src="{demo.widget}/widget/loader.js" data-flowyte-key="{key}" async>'
            "</script></body></html>"
        )
        context = browser.new_context()
        page = context.new_page()
        page.goto(origin + "/")
        widget = page.locator("#flowyte-widget")
        launcher = widget.get_by_role("button", name="Abrir chat")
        expect(launcher).to_be_visible()
        expect(widget).to_have_attribute("lang", "es")
        # Keyboard only: Tab reaches the launcher, Enter opens, focus lands in the box,
        # Escape closes and gives focus back to the launcher.
        page.keyboard.press("Tab")
        expect(launcher).to_be_focused()
        page.keyboard.press("Enter")
        expect(widget.get_by_role("dialog", name="Chatea con nosotros")).to_be_visible()
        box = widget.get_by_role("textbox", name="Tu mensaje")
        expect(box).to_be_focused()
        expect(box).to_have_attribute("placeholder", "Escribe tu mensaje")
        expect(widget.get_by_role("button", name="Enviar")).to_be_visible()
        page.keyboard.press("Escape")
        expect(widget.get_by_role("dialog")).to_be_hidden()
        expect(launcher).to_be_focused()
        context.close()
