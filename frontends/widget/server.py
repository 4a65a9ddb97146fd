"""Running the widget frontend: a real aiohttp server (and the demo storefront, when asked)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from aiohttp import web

from frontends.common.access_log import AccessLogger
from frontends.widget.app import create_app
from frontends.widget.storefront import create_storefront
from frontends.widget.timing import SocketTiming


@dataclass
class WidgetHandle:
    url: str
    runners: list[web.AppRunner] = field(default_factory=list)
    storefront_url: str | None = None

    async def stop(self) -> None:
        for runner in reversed(self.runners):
            await runner.cleanup()


async def _serve(app: web.Application, host: str, port: int) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(
        app, access_log_class=AccessLogger, access_log=logging.getLogger("flowyte.widget.access")
    )
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    bound = runner.addresses[0][1] if runner.addresses else port
    return runner, f"http://{host}:{bound}"


async def start_widget(
    core_target: str,
    host: str = "127.0.0.1",
    port: int = 8082,
    *,
    storefront_port: int | None = None,
    storefront_key: str | None = None,
    timing: SocketTiming | None = None,
) -> WidgetHandle:
    runner, url = await _serve(create_app(core_target, timing), host, port)
    handle = WidgetHandle(url, [runner])
    if storefront_key is not None:
        store = create_storefront(url, storefront_key)
        store_runner, handle.storefront_url = await _serve(store, host, storefront_port or 0)
        handle.runners.append(store_runner)
    return handle
