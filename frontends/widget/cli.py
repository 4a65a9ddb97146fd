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
import asyncio
import os
import sys
from collections.abc import Sequence

from flowyte.argtypes import port, port_setting
from flowyte.client import channel_target
from flowyte.roles import announce_ready, clock_problem, configure_logging, install_stop_signals
from frontends.widget.server import start_widget

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


async def serve(args: argparse.Namespace, core: str, host: str, bind_port: int) -> int:
    stop = asyncio.Event()
    remove_signals = install_stop_signals(stop)
    try:
        widget = await start_widget(
            core,
            host,
            bind_port,
            storefront_port=args.storefront_port,
            storefront_key=args.storefront_key,
        )
        try:
            ready = {"role": "widget", "url": widget.url, "inbox": widget.url + "/inbox"}
            if widget.storefront_url:
                ready["storefront"] = widget.storefront_url + "/"
            announce_ready(ready)
            await stop.wait()
        finally:
            await widget.stop()
    finally:
        remove_signals()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging()
    if problem := clock_problem():
        print(f"python -m frontends.widget: error: {problem}", file=sys.stderr)
        return 2
    try:
        cores = ",".join(args.core)
        channel_target(cores)
        host = args.host or os.environ.get("FLOWYTE_HTTP_HOST") or DEFAULT_HOST
        bind_port = port_setting(args.port, "FLOWYTE_WIDGET_PORT", DEFAULT_PORT)
    except ValueError as exc:
        print(f"python -m frontends.widget: error: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(serve(args, cores, host, bind_port))
    except OSError as exc:
        print(f"python -m frontends.widget: error: cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
