"""How long the widget frontend's sockets wait on a peer, read once at start.

FLOWYTE_WIDGET_HELLO_TIMEOUT_S: a socket that has not sent its first frame (the widget's
`hello`, the inbox's `auth`) this long after opening is closed with 4408, however many
pings it sends meanwhile: an unused socket costs memory and a file descriptor, and a
thousand of them must not starve everyone else.

FLOWYTE_WIDGET_HEARTBEAT_S: the websocket ping interval of both sockets. A peer that does
not answer a ping within half an interval is gone (a closed laptop, a dropped network) and
its socket is closed; the pings also keep proxies from timing an idle socket out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from aiohttp import web

from flowyte.argtypes import seconds_setting

HELLO_TIMEOUT_VARIABLE = "FLOWYTE_WIDGET_HELLO_TIMEOUT_S"
HEARTBEAT_VARIABLE = "FLOWYTE_WIDGET_HEARTBEAT_S"


@dataclass(frozen=True)
class SocketTiming:
    hello_timeout: float = 10.0
    heartbeat: float = 25.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SocketTiming:
        """A bad value is a ValueError naming its variable (a usage error at start)."""
        return cls(
            seconds_setting(HELLO_TIMEOUT_VARIABLE, cls.hello_timeout, env),
            seconds_setting(HEARTBEAT_VARIABLE, cls.heartbeat, env),
        )


TIMING = web.AppKey("socket_timing", SocketTiming)
