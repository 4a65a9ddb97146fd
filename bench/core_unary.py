"""The core's unary-call overhead against a bare grpc.aio echo server, measured in one run.

    python bench/core_unary.py [--requests 5000] [--concurrency 16] [--database-url URL] [--check]

Two servers, each in its own process so the client never competes with them for an event
loop: (a) a bare grpc.aio server whose generic handler returns the request bytes, and (b) the
real core (`core.server.start_core`) on SQLite in a temporary folder, with a key from
`core.admin.create_api_key` and one agent created through the SDK. The same client code
then sends GetAgent to the core and the same request bytes to the echo, first N requests at
the given concurrency (throughput), then requests one at a time (latency without
queueing), and prints req/s, p50/p99, the throughput ratio and the p50 the core adds.
Every answer is checked after its clock stops: the core's must be the agent asked for (its
name and display name), the echo's the request it was sent; any other answer aborts the run
(exit 3) with what came back.

Target (from the issue): at least half the echo's throughput, under 0.5 ms added at p50.
It is a benchmark, not a test: it exits 0 whatever it measures, unless --check is given.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import grpc
import grpc.aio
from measure import Result, Timed, aborting, drive, expect

REPO = Path(__file__).resolve().parent.parent
ECHO_METHOD = "/bench.v1.EchoService/Echo"
GET_AGENT_METHOD = "/flowyte.v1.AgentService/GetAgent"
AGENT_DISPLAY_NAME = "Bench agent"
TARGET_RATIO = 0.5
TARGET_ADDED_P50_MS = 0.5


# ---------------------------------------------------------------------------------------------
# server processes: print one JSON line with what the client needs, then run until SIGTERM


async def _until_terminated() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()


def _announce(info: dict[str, str]) -> None:
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()


async def serve_echo() -> None:
    async def echo(request: bytes, context: grpc.aio.ServicerContext) -> bytes:
        return request

    server = grpc.aio.server()
    server.add_generic_rpc_handlers(
        (
            grpc.method_handlers_generic_handler(
                "bench.v1.EchoService", {"Echo": grpc.unary_unary_rpc_method_handler(echo)}
            ),
        )
    )
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    _announce({"target": f"127.0.0.1:{port}"})
    await _until_terminated()
    await server.stop(grace=None)


async def serve_core(data_dir: Path, database_url: str) -> None:
    from core.admin import create_api_key
    from core.config import Settings
    from core.server import start_core
    from flowyte.client import FlowyteClient
    from flowyte.v1 import agent_service_pb2

    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        grpc_host="127.0.0.1",
        grpc_port=0,
        master_keys=f"bench:{base64.b64encode(os.urandom(32)).decode()}",
    )
    core = await start_core(settings)
    try:
        _org, key = await create_api_key(
            core.settings, scopes=["agents:read", "agents:write"], name="bench", org_id=None
        )
        async with FlowyteClient(core.target, key) as client:
            created = await client.agents.CreateAgent(
                agent_service_pb2.CreateAgentRequest(
                    agent=agent_service_pb2.Agent(display_name=AGENT_DISPLAY_NAME)
                )
            )
        _announce({"target": core.target, "apiKey": key, "agent": created.agent.name})
        await _until_terminated()
    finally:
        await core.stop()


@contextlib.contextmanager
def server_process(*args: str) -> Iterator[dict[str, str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLOWYTE_")}
    env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO), str(REPO / "clients"), env.get("PYTHONPATH", "")]
    )
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", *args],
        stdout=subprocess.PIPE,
        env=env,
        cwd=REPO,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        if not line:
            raise SystemExit(f"the {args[0]} server did not start (exit {process.wait()})")
        yield json.loads(line)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# ---------------------------------------------------------------------------------------------
# the client: the same code drives both servers


async def drive_unary(
    name: str,
    target: str,
    method: str,
    request: bytes,
    deserialize: Callable[[bytes], Any],
    check: Callable[[Any], None],
    metadata: tuple[tuple[str, str], ...],
    requests: int,
    concurrency: int,
    warmup: int,
) -> Result:
    async with grpc.aio.insecure_channel(target) as channel:
        call = channel.unary_unary(
            method, request_serializer=None, response_deserializer=deserialize
        )
        return await drive(
            name,
            Timed(lambda: call(request, metadata=metadata, timeout=30), check),
            requests,
            concurrency,
            warmup,
        )


def report(
    loaded: tuple[Result, Result], unloaded: tuple[Result, Result], concurrency: int
) -> bool:
    print(f"\nrequests per server: {loaded[0].requests} at concurrency {concurrency},")
    print(f"then {unloaded[0].requests} one at a time; one client process\n")
    header = f"{'':16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
    print(
        f"{'':16}{'-- concurrency ' + str(concurrency) + ' --':^27}   {'-- one at a time --':^27}"
    )
    print(header + "   " + header[16:])
    for many, one in zip(loaded, unloaded, strict=True):
        row = f"{many.name:16}"
        for r in (many, one):
            row += f"{r.throughput:9.0f}{r.percentile(0.5):9.3f}{r.percentile(0.99):9.3f}   "
        print(row.rstrip())
    (echo, core), (echo_one, core_one) = loaded, unloaded
    ratio = core.throughput / echo.throughput
    added = core_one.percentile(0.5) - echo_one.percentile(0.5)
    added_loaded = core.percentile(0.5) - echo.percentile(0.5)
    ratio_ok = ratio >= TARGET_RATIO
    added_ok = added < TARGET_ADDED_P50_MS
    print()
    print(
        f"throughput ratio core/echo   {ratio:7.2f}     target >= {TARGET_RATIO}"
        f"     {'met' if ratio_ok else 'MISSED'}"
    )
    print(
        f"added p50, one at a time     {added:7.3f} ms  target < {TARGET_ADDED_P50_MS} ms"
        f"  {'met' if added_ok else 'MISSED'}"
    )
    print(f"added p50, concurrency {concurrency:<5} {added_loaded:7.3f} ms  (queueing included)")
    return ratio_ok and added_ok


async def run(
    requests: int, concurrency: int, warmup: int, latency_requests: int, database_url: str
) -> tuple[tuple[Result, Result], tuple[Result, Result]]:
    from flowyte.v1 import agent_service_pb2

    with (
        tempfile.TemporaryDirectory(prefix="flowyte-bench-") as tmp,
        server_process("echo") as echo_info,
        server_process("core", tmp, database_url) as core_info,
    ):
        agent = core_info["agent"]
        payload = agent_service_pb2.GetAgentRequest(name=agent).SerializeToString()
        metadata = (("authorization", f"Bearer {core_info['apiKey']}"),)

        def echoed(answer: agent_service_pb2.GetAgentRequest) -> None:
            expect(
                answer.name == agent,
                f"echo of GetAgentRequest(name={agent!r})",
                "the request's bytes back",
                answer,
            )

        def got_agent(answer: agent_service_pb2.GetAgentResponse) -> None:
            expect(
                answer.agent.name == agent and answer.agent.display_name == AGENT_DISPLAY_NAME,
                f"core GetAgent(name={agent!r})",
                f"the agent {agent} named {AGENT_DISPLAY_NAME!r}",
                answer,
            )

        servers = (
            (
                "grpc.aio echo",
                echo_info["target"],
                ECHO_METHOD,
                agent_service_pb2.GetAgentRequest.FromString,
                echoed,
            ),
            (
                "core GetAgent",
                core_info["target"],
                GET_AGENT_METHOD,
                agent_service_pb2.GetAgentResponse.FromString,
                got_agent,
            ),
        )
        loaded = []
        unloaded = []
        for name, target, method, deserialize, check in servers:
            loaded.append(
                await drive_unary(
                    name,
                    target,
                    method,
                    payload,
                    deserialize,
                    check,
                    metadata,
                    requests,
                    concurrency,
                    warmup,
                )
            )
            unloaded.append(
                await drive_unary(
                    name,
                    target,
                    method,
                    payload,
                    deserialize,
                    check,
                    metadata,
                    latency_requests,
                    1,
                    warmup // 10,
                )
            )
    return (loaded[0], loaded[1]), (unloaded[0], unloaded[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=5000, help="timed requests per server")
    parser.add_argument("--concurrency", type=int, default=16, help="calls in flight")
    parser.add_argument(
        "--latency-requests",
        type=int,
        default=1000,
        help="requests sent one at a time afterwards, for the unloaded latency",
    )
    parser.add_argument("--warmup", type=int, default=500, help="untimed requests first")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--database-url",
        default="",
        help="the core's database (default SQLite in a temporary folder); a PostgreSQL URL "
        "measures the replica setup, where the read cache is off",
    )
    parser.add_argument("--serve", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.serve:
        kind, *rest = args.serve
        asyncio.run(serve_echo() if kind == "echo" else serve_core(Path(rest[0]), rest[1]))
        return 0

    loaded, unloaded = asyncio.run(
        run(args.requests, args.concurrency, args.warmup, args.latency_requests, args.database_url)
    )
    met = report(loaded, unloaded, args.concurrency)
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(aborting(main))
