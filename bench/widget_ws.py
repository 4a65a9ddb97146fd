"""The widget's websocket: frames per second next to a bare aiohttp echo, memory per idle
connection, and time from a customer's message to the first reply delta.

    .venv/bin/python bench/widget_ws.py [--frames 5000] [--concurrency 16] [--idle 1000]

Runs `flowyte serve --demo` (core, gateway, demo store, widget frontend, each a process)
and a bare aiohttp websocket echo in a process of its own, in the same run:

- frames/s: ping → pong round trips through a widget session socket (parsed, rate-checked,
  dispatched, answered) against text round trips through the echo, same client code;
- memory: the widget process's RSS before and after `--idle` sockets that said hello to
  one session (each holds its session watch open) and sit idle, per connection;
- first delta: a customer message to the first reply delta through the socket, next to
  the same turn asked of the core directly (StreamWidgetMessage): the difference is what
  the widget frontend adds to the core's turn.

Checked on every timed answer: a pong names the ping it answers; the echo returns the text
sent; a timed turn's deltas make a reply that tells order #2002's status (out for delivery)
with its tracking link.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import grpc.aio
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parent))
from chat_turns import flowyte_serve
from measure import Result, Timed, aborting, drive, expect

from flowyte.client import FlowyteClient
from flowyte.v1 import widget_service_pb2 as widget_pb

REPO = Path(__file__).resolve().parent.parent
ASK = "Where is order #2002? My zip is 98121"
TRACKING = "TrackConfirmAction?tLabels=9400111899562837415526"


def serve_echo() -> None:
    async def echo(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            await ws.send_str(msg.data)
        return ws

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/", echo)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(json.dumps({"url": f"ws://127.0.0.1:{runner.addresses[0][1]}/"}), flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


@contextlib.contextmanager
def flowyte_demo(data_dir: Path) -> Iterator[tuple[dict[str, Any], int]]:
    """The demo with its widget frontend; yields demo.json and the widget process's pid."""
    ports = ["--widget-port", "0", "--storefront-port", "0"]
    # The bench sends frames as fast as it can; a shopper's socket is held to 5 a second.
    env = {"FLOWYTE_WIDGET_FRAMES_PER_S": "1000000"}
    with flowyte_serve(data_dir, ports, env) as (demo, process):
        yield demo, _widget_pid(process.pid)


def _widget_pid(parent: int) -> int:
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent and b"frontends.widget" in cmd:
                return int(entry.name)
    raise SystemExit("no widget frontend process found")


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise SystemExit("no VmRSS")


class Sockets:
    def __init__(self, http: aiohttp.ClientSession, widget: str, key: str, origin: str):
        self.http, self.widget, self.key, self.origin = http, widget, key, origin

    async def session(self) -> str:
        got = await self.http.post(
            f"{self.widget}/chat/widget/sessions?key={self.key}",
            json={},
            headers={"Origin": self.origin},
        )
        return str((await got.json())["data"]["visitorToken"])

    async def open(self, token: str) -> aiohttp.ClientWebSocketResponse:
        ws = await self.http.ws_connect(
            f"{self.widget}/widget/ws?key={self.key}", headers={"Origin": self.origin}
        )
        await ws.send_json({"type": "hello", "token": token, "afterSeq": 1 << 40})
        assert json.loads((await ws.receive()).data)["type"] == "ready"
        return ws


async def frames(sockets: Sockets, echo_url: str, n: int, concurrency: int) -> list[Result]:
    token = await sockets.session()
    widget_ws = [await sockets.open(token) for _ in range(concurrency)]
    echo_ws = [await sockets.http.ws_connect(echo_url) for _ in range(concurrency)]
    free_w, free_e = list(widget_ws), list(echo_ws)
    counter = iter(range(1 << 62))

    async def ping() -> tuple[int, Any]:
        ws, i = free_w.pop(), next(counter)
        await ws.send_str(json.dumps({"type": "ping", "id": i}))
        answer = json.loads((await ws.receive()).data)
        free_w.append(ws)
        return i, answer

    async def echo() -> tuple[str, str]:
        ws, text = free_e.pop(), json.dumps({"type": "ping", "id": next(counter)})
        await ws.send_str(text)
        answer = (await ws.receive()).data
        free_e.append(ws)
        return text, answer

    def pong(got: tuple[int, Any]) -> None:
        expect(got[1] == {"type": "pong", "id": got[0]}, "widget ping", f"pong {got[0]}", got[1])

    def echoed(got: tuple[str, str]) -> None:
        expect(got[0] == got[1], "echo", got[0], got[1])

    results = []
    for name, call in (("echo", Timed(echo, echoed)), ("widget", Timed(ping, pong))) * 2:
        results.append(await drive(name, call, n, concurrency, warmup=200))
    for ws in widget_ws + echo_ws:
        await ws.close()
    return results


async def idle_memory(sockets: Sockets, pid: int, count: int) -> tuple[float, float]:
    """KB per connection: sockets that never said hello, then sockets idle in a session."""
    before = rss_kb(pid)
    raw = [
        await sockets.http.ws_connect(
            f"{sockets.widget}/widget/ws?key={sockets.key}", headers={"Origin": sockets.origin}
        )
        for _ in range(count)
    ]
    await asyncio.sleep(1)
    unused = (rss_kb(pid) - before) / count
    for ws in raw:
        await ws.close()
    await asyncio.sleep(1)
    before = rss_kb(pid)
    token = await sockets.session()
    live = [await sockets.open(token) for _ in range(count)]
    await asyncio.sleep(1)
    idle = (rss_kb(pid) - before) / count
    # Each still open and answering: a ping on every one comes back as its pong.
    for i, ws in enumerate(live):
        await ws.send_json({"type": "ping", "id": i})
    for i, ws in enumerate(live):
        answer = await ws.receive(timeout=10)
        got = json.loads(answer.data) if answer.type == aiohttp.WSMsgType.TEXT else answer
        expect(got == {"type": "pong", "id": i}, "idle socket", f"pong {i}", got)
    for ws in live:
        await ws.close()
    return unused, idle


async def first_delta(sockets: Sockets, core: str, key: str, origin: str, n: int) -> list[Result]:
    token = await sockets.session()
    ws = await sockets.open(token)
    counter = iter(range(1 << 62))
    md = grpc.aio.Metadata(
        ("x-flowyte-publishable-key", key),
        ("x-flowyte-origin", origin),
        ("x-flowyte-visitor", "bench-direct"),
    )

    async def through_socket() -> tuple[float, str]:
        cid = f"b{next(counter)}"
        start = time.perf_counter()
        await ws.send_json({"type": "message", "id": cid, "content": ASK})
        first, text = 0.0, ""
        while True:
            frame = json.loads((await ws.receive(timeout=30)).data)
            if frame["type"] == "delta" and frame["id"] == cid:
                first = first or (time.perf_counter() - start) * 1000
                text += frame["text"]
            elif frame["type"] in ("turnEnd", "error") and frame.get("id") == cid:
                return first, text

    async def direct(client: FlowyteClient) -> tuple[float, str]:
        start = time.perf_counter()
        first, text = 0.0, ""
        request = widget_pb.StreamWidgetMessageRequest(
            visitor_token=token, content=ASK, client_message_id=f"d{next(counter)}"
        )
        async for got in client.widget.StreamWidgetMessage(request, metadata=md):
            if got.WhichOneof("kind") == "text_delta":
                first = first or (time.perf_counter() - start) * 1000
                text += got.text_delta
        return first, text

    results: dict[str, list[float]] = {"core direct": [], "through the socket": []}
    async with FlowyteClient(core) as client:
        for _ in range(n):
            for name, call in (
                ("core direct", lambda: direct(client)),
                ("through the socket", through_socket),
            ):
                ms, text = await call()
                expect(
                    "out for delivery" in text and TRACKING in text,
                    f"turn {name}",
                    "a reply delta telling #2002 is out for delivery, with its tracking link",
                    text,
                )
                results[name].append(ms)
    await ws.close()
    return [Result(name, len(v), sum(v) / 1000, v) for name, v in results.items()]


async def bench_key(core: str, api_key: str, agent_id: str, origin: str) -> str:
    """A publishable key of the bench's own at the highest rate limit: the demo's (600 a
    minute) would refuse the thousand session watches of the idle phase."""
    async with FlowyteClient(core, api_key) as client:
        created = await client.widget.CreatePublishableKey(
            widget_pb.CreatePublishableKeyRequest(
                parent=f"agents/{agent_id}",
                publishable_key=widget_pb.PublishableKey(
                    display_name="bench", allowed_origins=[origin], rate_limit_rpm=6000
                ),
            )
        )
    return created.publishable_key.key_public


async def run(args: argparse.Namespace, demo: dict[str, Any], pid: int, echo_url: str) -> None:
    urls = demo["urls"]
    widget, origin = urls["inbox"].removesuffix("/inbox"), urls["storefront"].rstrip("/")
    # No connection cap: a websocket holds its connection, and --idle opens a thousand.
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
        key = await bench_key(urls["grpc"], demo["apiKey"], demo["agentId"], origin)
        sockets = Sockets(http, widget, key, origin)
        rates = await frames(sockets, echo_url, args.frames, args.concurrency)
        unused, idle = await idle_memory(sockets, pid, args.idle)
        turns = await first_delta(sockets, urls["grpc"], key, origin, args.turns)
    best = {r.name: max(x.throughput for x in rates if x.name == r.name) for r in rates}
    print(f"\nframes/s ({args.frames} round trips, {args.concurrency} sockets, best of 2)")
    for name, rate in best.items():
        print(f"  {name:8} {rate:9.0f}/s")
    print(f"  widget/echo ratio {best['widget'] / best['echo']:.2f}  (target ≥ 0.6)")
    print(f"\nmemory per idle connection ({args.idle} sockets, widget process RSS)")
    print(f"  never used (no hello)   {unused:6.1f} KB")
    print(f"  idle in a session       {idle:6.1f} KB  (target < 100 KB)")
    print(f"\nmessage → first reply delta ({args.turns} turns each, p50 / p99 ms)")
    for r in turns:
        print(f"  {r.name:20} {r.percentile(0.5):7.1f} {r.percentile(0.99):7.1f}")
    added = turns[1].percentile(0.5) - turns[0].percentile(0.5)
    print(f"  added by the widget frontend at p50: {added:.1f} ms  (target ≤ 20 ms)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--frames", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--serve-echo", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_echo:
        serve_echo()
        return 0
    echo = subprocess.Popen([sys.executable, __file__, "--serve-echo"], stdout=subprocess.PIPE)
    try:
        assert echo.stdout is not None
        echo_url = json.loads(echo.stdout.readline())["url"]
        with tempfile.TemporaryDirectory() as tmp, flowyte_demo(Path(tmp)) as (demo, pid):
            asyncio.run(run(args, demo, pid, echo_url))
    finally:
        echo.terminate()
        echo.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(aborting(main))
