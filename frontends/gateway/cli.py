"""`python -m frontends.gateway`: the REST and OpenAI-compatible gateway, a process of its own.

    python -m frontends.gateway --core ADDRESS [--core ADDRESS …] [--host H] [--port P]

It keeps no state: any number of gateways may front the same cores, and with several
--core it balances over them with gRPC's round_robin, skipping a core that is down or says
it is not serving. Once it answers it writes `READY {"role": "gateway", "url": URL}` to
stdout; it stops on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from flowyte.argtypes import port, port_setting
from flowyte.client import channel_target
from flowyte.deadlines import Deadlines
from flowyte.roles import announce_ready, clock_problem, configure_logging, install_stop_signals
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


async def serve(core: str, host: str, bind_port: int, deadlines: Deadlines) -> int:
    stop = asyncio.Event()
    remove_signals = install_stop_signals(stop)
    try:
        gateway = await start_gateway(core, host, bind_port, deadlines=deadlines)
        try:
            announce_ready({"role": "gateway", "url": gateway.url, "core": core})
            await stop.wait()
        finally:
            await gateway.stop()
    finally:
        remove_signals()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging()
    if problem := clock_problem():
        print(f"python -m frontends.gateway: error: {problem}", file=sys.stderr)
        return 2
    try:
        cores = ",".join(args.core)
        channel_target(cores)  # several addresses must be IPs: say so now, not on a call
        host = args.host or os.environ.get("FLOWYTE_HTTP_HOST") or DEFAULT_HOST
        bind_port = port_setting(args.port, "FLOWYTE_HTTP_PORT", DEFAULT_PORT)
        deadlines = Deadlines.from_env()
    except ValueError as exc:
        print(f"python -m frontends.gateway: error: {exc}", file=sys.stderr)
        return 2
    try:
        return asyncio.run(serve(cores, host, bind_port, deadlines))
    except OSError as exc:  # the port is taken, the address is not this machine's
        print(f"python -m frontends.gateway: error: cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
