"""`python -m frontends.gateway`: the REST and OpenAI-compatible gateway, a process of its own.

    python -m frontends.gateway --core ADDRESS [--core ADDRESS …] [--host H] [--port P]

It keeps no state: any number of gateways may front the same cores, and with several
--core it balances over them with gRPC's round_robin, skipping a core that is down or says
it is not serving. Once it answers it writes `READY {"role": "gateway", "url": URL}` to
stdout; it stops on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from flowyte.argtypes import port, port_setting
from flowyte.client import channel_target
from flowyte.deadlines import Deadlines
from frontends.common.process import run_frontend, serve_until_stopped
from frontends.gateway.server import start_gateway

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m frontends.gateway",
        description="Flowyte's REST and OpenAI-compatible gateway in front of a core.",
    )
    parser.add_argument(
        "--core",
        required=True,
        action="append",
        metavar="ADDRESS",
        help="a core's gRPC address, host:port; give several (IP addresses) to balance "
        "over them, or one DNS name that resolves to them all",
    )
    parser.add_argument(
        "--host", default=None, help=f"bind address (env FLOWYTE_HTTP_HOST; {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port",
        type=port,
        default=None,
        help=f"port, 0 for any free one (env FLOWYTE_HTTP_PORT; {DEFAULT_PORT})",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)

    def settings() -> Callable[[], Coroutine[Any, Any, int]]:
        cores = ",".join(args.core)
        channel_target(cores)  # several addresses must be IPs: say so now, not on a call
        host = args.host or os.environ.get("FLOWYTE_HTTP_HOST") or DEFAULT_HOST
        bind_port = port_setting(args.port, "FLOWYTE_HTTP_PORT", DEFAULT_PORT)
        deadlines = Deadlines.from_env()
        return lambda: serve_until_stopped(
            lambda: start_gateway(cores, host, bind_port, deadlines=deadlines),
            lambda gateway: {"role": "gateway", "url": gateway.url, "core": cores},
        )

    return run_frontend("python -m frontends.gateway", settings)
