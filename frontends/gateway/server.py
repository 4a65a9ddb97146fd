"""Running the gateway: a real aiohttp server, and a handle to stop it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web

from flowyte.deadlines import Deadlines
from frontends.common.access_log import AccessLogger
from frontends.gateway.app import create_app

__all__ = ["GatewayHandle", "create_app", "start_gateway"]


@dataclass
class GatewayHandle:
    runner: web.AppRunner
    host: str
    port: int

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_gateway(
    core_target: str,
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    deadlines: Deadlines | None = None,
) -> GatewayHandle:
    """`deadlines`: those of the core behind it (default: as the environment says)."""
    runner = web.AppRunner(
        create_app(core_target, deadlines=deadlines),
        access_log_class=AccessLogger,
        access_log=logging.getLogger("flowyte.gateway.access"),
    )
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    # With port=0 the OS picks the port; the runner knows which.
    bound = runner.addresses[0][1] if runner.addresses else port
    return GatewayHandle(runner, host, bound)
