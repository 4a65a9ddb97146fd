"""`python -m frontends.widget`: the storefront widget's frontend, a process of its own.

    python -m frontends.widget --core ADDRESS [--host H] [--port P]
        [--storefront-key flowyte_pk_live_… [--storefront-port P]]

It serves the widget's public routes and websocket, loader.js, and the team inbox; with
--storefront-key also the demo storefront, on a port (an origin) of its own. It keeps no
state of its own. Once it answers it writes
`READY {"role": "widget", "url": URL, "inbox": URL, "storefront": URL?}` to stdout.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from flowyte.argtypes import port, port_setting
from flowyte.client import channel_target
from frontends.common.process import run_frontend, serve_until_stopped
from frontends.widget.server import WidgetHandle, start_widget
from frontends.widget.timing import SocketTiming

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8082


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m frontends.widget",
        description="Flowyte's storefront widget and team inbox in front of a core.",
    )
    parser.add_argument("--core", required=True, action="append", metavar="ADDRESS")
    parser.add_argument("--host", default=None, help=f"bind address ({DEFAULT_HOST})")
    parser.add_argument(
        "--port",
        type=port,
        default=None,
        help=f"port, 0 for any free one (env FLOWYTE_WIDGET_PORT; {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--storefront-key", default=None, help="serve the demo storefront with this key"
    )
    parser.add_argument("--storefront-port", type=port, default=0, help="its port (0: any)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    def settings() -> Callable[[], Coroutine[Any, Any, int]]:
        cores = ",".join(args.core)
        channel_target(cores)
        host = args.host or os.environ.get("FLOWYTE_HTTP_HOST") or DEFAULT_HOST
        bind_port = port_setting(args.port, "FLOWYTE_WIDGET_PORT", DEFAULT_PORT)
        timing = SocketTiming.from_env()
        return lambda: serve_until_stopped(
            lambda: start_widget(
                cores,
                host,
                bind_port,
                storefront_port=args.storefront_port,
                storefront_key=args.storefront_key,
                timing=timing,
            ),
            _ready,
        )

    return run_frontend("python -m frontends.widget", settings)


def _ready(widget: WidgetHandle) -> dict[str, Any]:
    ready: dict[str, Any] = {"role": "widget", "url": widget.url, "inbox": widget.url + "/inbox"}
    if widget.storefront_url:
        ready["storefront"] = widget.storefront_url + "/"
    return ready
