"""`python -m demostore` (or `flowyte demo-store`): the demo store until Ctrl-C or SIGTERM.

python -m demostore [--data FILE] [--host 127.0.0.1] [--port 0] [--bucket-capacity 2000]
                    [--restore-rate 100] [--max-query-cost 1000] [--token-ttl 86399]
                    [--latency-ms 0] [--fail-rate 0] [--drop-rate 0] [--locked]
                    [--fixed-dates]

Once it answers it writes `READY {"role": "demostore", "url", "shop", "accessToken"}` to
stdout (after the banner), for `flowyte serve --demo`.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path

from flowyte.argtypes import non_negative, port, rate
from flowyte.roles import announce_ready, clock_problem, configure_logging, install_stop_signals

DEFAULT_PORT = 8081


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="the store file (shape of store-example.json); default: the bundled demo data",
    )
    parser.add_argument("--host", default="127.0.0.1", help="bind address (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=port, default=DEFAULT_PORT, help=f"port, 0 for any (default {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--bucket-capacity",
        type=non_negative,
        default=2000.0,
        help="rate-limit bucket size in points (default 2000, Shopify's standard plan)",
    )
    parser.add_argument(
        "--restore-rate",
        type=non_negative,
        default=100.0,
        help="points restored per second (default 100)",
    )
    parser.add_argument(
        "--max-query-cost",
        type=int,
        default=1000,
        help="the most a single query may cost (default 1000)",
    )
    parser.add_argument(
        "--token-ttl",
        type=non_negative,
        default=86399.0,
        help="lifetime of tokens from the client credentials grant, seconds (default 86399)",
    )
    parser.add_argument("--latency-ms", type=int, default=0, help="added delay per request")
    parser.add_argument(
        "--fail-rate", type=rate, default=0.0, help="share of requests answered 502/503 (0-1)"
    )
    parser.add_argument(
        "--drop-rate", type=rate, default=0.0, help="share of connections dropped unanswered"
    )
    parser.add_argument("--locked", action="store_true", help="answer 423 Locked to every query")
    parser.add_argument(
        "--fixed-dates",
        action="store_true",
        help="serve the file's own dates; by default a file with asOf is moved to the present",
    )


def banner(handle: object) -> str:
    from demostore.server import DEFAULT_API_VERSION, DemoStoreHandle

    assert isinstance(handle, DemoStoreHandle)
    shop = handle.store.data.shop
    lines = [
        "",
        f"Demo store '{shop['name']}' ({shop['myshopifyDomain']}) is running.",
        "",
        f"  base URL     {handle.url}",
        f"  GraphQL      {handle.graphql_url(DEFAULT_API_VERSION)}",
        f"  OAuth token  {handle.token_url}",
        f"  control      {handle.url}/_demo/state  (loopback only)",
        f"  orders       {len(handle.store.data.orders)}",
    ]
    if handle.store.data.as_of is not None:
        dated = "as written" if handle.store.fixed_dates else "moved to the present"
        lines.append(f"  dates        {dated} (asOf {handle.store.data.as_of})")
    if handle.store.access_tokens:
        lines.append(f"  access token {handle.access_token}")
    lines += ["", "Stop with Ctrl-C.", ""]
    return "\n".join(lines)


async def serve(args: argparse.Namespace, stop: asyncio.Event | None = None) -> int:
    from demostore.server import start_demo_store

    stop = stop or asyncio.Event()
    remove_signals = install_stop_signals(stop)
    try:
        handle = await start_demo_store(
            args.data,
            args.host,
            args.port,
            bucket_capacity=args.bucket_capacity,
            restore_rate=args.restore_rate,
            max_query_cost=args.max_query_cost,
            token_ttl=args.token_ttl,
            latency_ms=args.latency_ms,
            fail_rate=args.fail_rate,
            drop_rate=args.drop_rate,
            locked=args.locked,
            fixed_dates=args.fixed_dates,
        )
        try:
            print(banner(handle), flush=True)
            announce_ready(
                {
                    "role": "demostore",
                    "url": handle.url,
                    "shop": handle.store.data.shop["myshopifyDomain"],
                    "accessToken": handle.access_token,
                }
            )
            await stop.wait()
        finally:
            await handle.stop()
    finally:
        remove_signals()
    return 0


def run_with_args(args: argparse.Namespace) -> int:
    """Run from parsed arguments; errors the user can fix print a line and return 2."""
    from demostore.store_file import DemoStoreDataError

    try:
        return asyncio.run(serve(args))
    except DemoStoreDataError as exc:
        print(f"python -m demostore: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"python -m demostore: error: cannot start: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m demostore",
        description="Run a local stand-in for a Shopify store's Admin GraphQL API.",
    )
    add_arguments(parser)
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """The CLI entry: `run(["--data", "store.json", "--port", "0"])`."""
    args = build_parser().parse_args(argv)
    configure_logging()
    if problem := clock_problem():
        print(f"python -m demostore: error: {problem}", file=sys.stderr)
        return 2
    return run_with_args(args)
