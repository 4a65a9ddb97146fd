"""How long the widget frontend keeps a socket: one that never says hello is closed at the
hello deadline however many pings it sends, one whose peer stops answering pings is closed
within about two ping intervals and let go of, and one whose conversation has ended is
closed with 4410; the sockets around them are served all the while.

The deadlines are the frontend's settings (FLOWYTE_WIDGET_HELLO_TIMEOUT_S,
FLOWYTE_WIDGET_HEARTBEAT_S): a widget frontend of this module's own, a real process, runs
with short ones in front of the demo's core."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from flowyte.roles import parse_ready
from tests.serving import REPO, clean_env
from tests.widget.conftest import Demo
from tests.widget.test_widget_socket_refusals import ASK, closed_with, new_session, origin

HELLO = 0.5
BEAT = 1.5
ENDED = (4410, "this conversation has ended")


@dataclass
class Widget:
    url: str
    pid: int


@pytest.fixture(scope="module")
def tuned(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Widget]:
    env = clean_env(FLOWYTE_WIDGET_HELLO_TIMEOUT_S=str(HELLO), FLOWYTE_WIDGET_HEARTBEAT_S=str(BEAT))
    log = tmp_path_factory.mktemp("tuned") / "widget.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "frontends.widget", "--core", demo.grpc, "--port", "0"],
            env=env,
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    try:
        assert process.stdout is not None
        ready = None
        while ready is None:
            line = process.stdout.readline()
            if not line:
                pytest.fail(f"the widget frontend exited:\n{log.read_text()}")
            ready = parse_ready(line)
        yield Widget(ready["url"], process.pid)
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_a_bad_setting_is_a_usage_error_naming_it(demo: Demo) -> None:
    for variable, value in (
        ("FLOWYTE_WIDGET_HELLO_TIMEOUT_S", "soon"),
        ("FLOWYTE_WIDGET_HEARTBEAT_S", "0"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "frontends.widget", "--core", demo.grpc, "--port", "0"],
            env=clean_env(**{variable: value}),
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert variable in done.stderr and "seconds" in done.stderr, done.stderr


async def hello(
    http: aiohttp.ClientSession, url: str, demo: Demo, token: str
) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(f"{url}/widget/ws?key={demo.key}", headers=origin(demo))
    await ws.send_json({"type": "hello", "token": token, "afterSeq": 0})
    return ws


async def frames(
    ws: aiohttp.ClientWebSocketResponse, into: list[dict[str, Any]]
) -> tuple[int | None, str]:
    """Reads (and so answers pings) until the socket closes; its close code and reason."""
    while True:
        msg = await ws.receive()
        if msg.type == aiohttp.WSMsgType.TEXT:
            into.append(json.loads(msg.data))
        elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
            return ws.close_code, str(msg.extra or "")
        elif msg.type == aiohttp.WSMsgType.ERROR:
            return ws.close_code, repr(msg.data)


async def until(into: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    """The first frame of this kind (taken out of `into`), waiting for it if need be."""
    async with asyncio.timeout(20):
        while True:
            for frame in into:
                if frame["type"] == kind:
                    into.remove(frame)
                    return frame
            await asyncio.sleep(0.02)


async def answers_a_ping(ws: aiohttp.ClientWebSocketResponse, into: list[dict[str, Any]]) -> None:
    await ws.send_json({"type": "ping", "id": "still there?"})
    assert (await until(into, "pong"))["id"] == "still there?"


async def test_a_socket_that_never_says_hello_is_closed_at_the_deadline(
    demo: Demo, tuned: Widget
) -> None:
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession() as http:
        token = (await new_session(http, demo))["visitorToken"]
        normal = await hello(http, tuned.url, demo, token)
        seen: list[dict[str, Any]] = []
        reading = asyncio.create_task(frames(normal, seen))
        await until(seen, "ready")

        opened = loop.time()
        mute = await http.ws_connect(f"{tuned.url}/widget/ws?key={demo.key}", headers=origin(demo))
        pinging = await http.ws_connect(
            f"{tuned.url}/widget/ws?key={demo.key}", headers=origin(demo)
        )
        inbox = await http.ws_connect(f"{tuned.url}/inbox/ws")

        async def ping_forever() -> None:
            while not pinging.closed:  # websocket pings: traffic, but never a hello
                await pinging.ping()
                await asyncio.sleep(0.1)

        pings = asyncio.create_task(ping_forever())
        # Meanwhile a shopper with a hello is served as ever.
        await normal.send_json({"type": "message", "id": "m1", "content": ASK})
        refused = await asyncio.wait_for(  # one deadline: pongs restart receive()'s own
            asyncio.gather(closed_with(mute), closed_with(pinging), closed_with(inbox)), HELLO + 10
        )
        waited = loop.time() - opened
        pings.cancel()
        assert refused == [
            (4408, "no hello frame in time"),
            (4408, "no hello frame in time"),
            (4408, "no auth frame in time"),
        ]
        assert HELLO * 0.9 <= waited < HELLO + 5, waited
        await until(seen, "turnEnd")
        assert "out for delivery" in "".join(f["text"] for f in seen if f["type"] == "delta")
        await answers_a_ping(normal, seen)
        await normal.close()
        await reading


def frame(payload: dict[str, Any]) -> bytes:
    """One masked text frame, as a browser sends it (RFC 6455 §5.2)."""
    data = json.dumps(payload).encode()
    mask = os.urandom(4)
    assert len(data) < 126
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
    return struct.pack("!BB", 0x81, 0x80 | len(data)) + mask + masked


async def silent_peer(url: str, path: str, headers: dict[str, str], first: dict[str, Any]) -> Any:
    """A raw TCP client that upgrades, sends its first frame, then never reads or answers
    again: a laptop closed mid-conversation."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: {host}:{port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    response = await reader.readuntil(b"\r\n\r\n")
    assert response.startswith(b"HTTP/1.1 101"), response
    writer.write(frame(first))
    await writer.drain()
    return reader, writer


def peers_of(pid: int) -> set[int]:
    """The remote ports of the TCP connections process `pid` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.add(int(fields[2].rsplit(":", 1)[1], 16))
    return ports


async def test_a_peer_that_stops_answering_pings_is_closed_and_let_go(
    demo: Demo, tuned: Widget
) -> None:
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession() as http:
        token = (await new_session(http, demo))["visitorToken"]
        alive = await hello(http, tuned.url, demo, token)
        seen: list[dict[str, Any]] = []
        reading = asyncio.create_task(frames(alive, seen))
        await until(seen, "ready")
        team = await http.ws_connect(f"{tuned.url}/inbox/ws")
        await team.send_json({"type": "auth", "key": demo.api_key, "name": "Ana"})
        team_seen: list[dict[str, Any]] = []
        team_reading = asyncio.create_task(frames(team, team_seen))

        said = loop.time()
        peers = [
            await silent_peer(
                tuned.url,
                f"/widget/ws?key={demo.key}",
                origin(demo),
                {"type": "hello", "token": token, "afterSeq": 0},
            ),
            await silent_peer(tuned.url, "/inbox/ws", {}, {"type": "auth", "key": demo.api_key}),
        ]
        ports = {writer.get_extra_info("sockname")[1] for _, writer in peers}
        assert ports <= peers_of(tuned.pid)

        async def until_dropped(reader: asyncio.StreamReader) -> float:
            while await reader.read(4096):  # the server's pings (and hello's answers), unread
                pass
            return loop.time() - said

        dropped = await asyncio.wait_for(
            asyncio.gather(*(until_dropped(reader) for reader, _ in peers)), 4 * BEAT + 5
        )
        # A ping after one quiet interval, half an interval for its pong, then the end.
        assert all(BEAT <= after < 2 * BEAT + 1.0 for after in dropped), dropped
        for _ in range(100):  # the server's end of each is closed too, not kept
            if not ports & peers_of(tuned.pid):
                break
            await asyncio.sleep(0.05)
        else:
            raise AssertionError(f"still held: {ports & peers_of(tuned.pid)}")
        for _, writer in peers:
            writer.close()

        # Those that answer pings outlive them (past a ping and its pong's wait), and talk.
        await asyncio.sleep(max(0.0, said + 2 * BEAT - loop.time()))
        assert not alive.closed and not team.closed
        await answers_a_ping(alive, seen)
        await team.send_json({"op": "open", "ref": "r1", "handoffId": "hof_missing"})
        assert (await until(team_seen, "result"))["status"] == 404
        await alive.close()
        await team.close()
        await asyncio.gather(reading, team_reading)


async def end_session(http: aiohttp.ClientSession, demo: Demo, conversation: str) -> None:
    got = await http.post(
        f"{demo.api}/chat/sessions/{conversation}/end",
        headers={"Authorization": f"Bearer {demo.api_key}"},
    )
    assert got.status == 200, await got.text()


async def test_an_ended_conversation_closes_its_sockets_with_4410(demo: Demo) -> None:
    async with aiohttp.ClientSession() as http:
        opened = await new_session(http, demo)
        token = opened["visitorToken"]
        ws = await hello(http, demo.widget, demo, token)
        seen: list[dict[str, Any]] = []
        reading = asyncio.create_task(frames(ws, seen))
        await ws.send_json({"type": "message", "id": "m1", "content": ASK})
        await until(seen, "turnEnd")

        await end_session(http, demo, opened["conversationId"])  # the team ends it
        assert await asyncio.wait_for(reading, 10) == ENDED

        # Saying hello for it again, or writing into it, is told the same.
        again = await hello(http, demo.widget, demo, token)
        assert await closed_with(again) == ENDED
        writing = await hello(http, demo.widget, demo, token)
        await writing.send_json({"type": "message", "id": "m2", "content": ASK})
        assert await closed_with(writing) == ENDED

        # The same visitor token starts a new conversation; it goes on as usual.
        got = await http.post(
            f"{demo.widget}/chat/widget/sessions?key={demo.key}",
            json={"visitorToken": token},
            headers=origin(demo),
        )
        fresh = (await got.json())["data"]
        assert fresh["conversationId"] != opened["conversationId"]
        ws = await hello(http, demo.widget, demo, fresh["visitorToken"])
        seen = []
        reading = asyncio.create_task(frames(ws, seen))
        await ws.send_json({"type": "message", "id": "m1", "content": ASK})
        await until(seen, "turnEnd")
        assert "out for delivery" in "".join(f["text"] for f in seen if f["type"] == "delta")

        # The agent ends it on goodbye: its goodbye streams whole, then the socket closes.
        seen.clear()
        await ws.send_json({"type": "message", "id": "m2", "content": "Goodbye"})
        assert await asyncio.wait_for(reading, 10) == ENDED
        kinds = [f["type"] for f in seen]
        assert kinds.index("delta") < kinds.index("turnEnd"), kinds
        assert [f.get("kind") for f in seen if f["type"] == "event"][-1] == "agent_message"
