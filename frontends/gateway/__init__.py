"""The REST gateway: `/api/v1` over HTTP, reaching the core only through the SDK."""

from frontends.gateway.app import create_app
from frontends.gateway.server import GatewayHandle, start_gateway

__all__ = ["GatewayHandle", "create_app", "start_gateway"]
