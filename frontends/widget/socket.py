"""The widget's websocket: one per visitor session, carrying turns in and replies out.

Frames are JSON text. The browser's first frame is `hello` with its visitor token and the
last event seq it drew; the socket then watches the session from there (the core replays
what the browser missed, then each new event: a person's reply arrives this way) and runs
each `message` as a streamed turn. Events carry their seq and are sent at most once per
socket, so a resumed conversation has no gap (the watch replays from `afterSeq`) and no
repeat (the browser drops seqs it has, the socket those it sent). A message resent with the
same id after a drop replays its turn in the core instead of running twice.

Refusals close the socket with a 4xxx code (HTTP status + 4000) and a reason; nothing here
is stateful beyond the socket, so a refused or misbehaving socket affects no one else. A
session that has ended (EndSession, or the agent ended it) closes the socket with 4410
once the turn in flight is out: the browser starts a new conversation, it cannot go on
with this one. The core's watch ends exactly when its session does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from dataclasses import dataclass, field
from typing import Any

import grpc
import grpc.aio
from aiohttp import WSCloseCode, WSMessage, WSMsgType, web

from flowyte.v1 import widget_service_pb2 as widget_pb
from frontends.common import problem_from_rpc_error
from frontends.widget.public import CLIENT
from frontends.widget.timing import TIMING
from frontends.widget.wire import event_json, request_metadata

log = logging.getLogger("flowyte.widget.socket")

MAX_FRAME = 8 * 1024  # a 4,000-character message in JSON, with room to spare
MAX_CONTENT = 4000
# Frames a socket may send on average (a person types far slower), and at once; more is a
# flood and closes the socket. FLOWYTE_WIDGET_FRAMES_PER_S raises it (bench/widget_ws.py).
REFILL_PER_S = float(os.environ.get("FLOWYTE_WIDGET_FRAMES_PER_S") or 5.0)
BURST = max(20, int(4 * REFILL_PER_S))
TURN_DEADLINE = 120.0

CLOSE_MALFORMED = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_NO_HELLO = 4408
CLOSE_ENDED = 4410  # HTTP's 410 Gone: this conversation is over for good
CLOSE_FLOOD = 4429
ENDED = "this conversation has ended"
SESSION_ENDED = "session_ended"  # the core's reason, as problem codes spell it


class Refused(Exception):
    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


class Bucket:
    """A token bucket over loop time (a duration, not a date)."""

    def __init__(self, burst: int = BURST, per_s: float = REFILL_PER_S) -> None:
        self.burst, self.per_s = burst, per_s
        self.tokens = float(burst)
        self.at = asyncio.get_running_loop().time()

    def take(self) -> bool:
        now = asyncio.get_running_loop().time()
        self.tokens = min(self.burst, self.tokens + (now - self.at) * self.per_s)
        self.at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


@dataclass(eq=False)
class WidgetSocket:
    ws: web.WebSocketResponse
    metadata: grpc.aio.Metadata
    token: str = ""
    sent: set[int] = field(default_factory=set)
    floor: int = 0  # every seq up to here was sent (or the browser already had it)
    turns: asyncio.Lock = field(default_factory=asyncio.Lock)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)

    async def send(self, frame: dict[str, Any]) -> None:
        if not self.ws.closed:
            with contextlib.suppress(ConnectionError, RuntimeError):
                await self.ws.send_str(json.dumps(frame, separators=(",", ":")))

    async def event(self, frame: dict[str, Any]) -> None:
        seq = frame["seq"]
        if seq <= self.floor or seq in self.sent:
            return
        self.sent.add(seq)
        while self.floor + 1 in self.sent:  # keep the set small: only seqs past a gap
            self.floor += 1
            self.sent.discard(self.floor)
        await self.send(frame)

    def spawn(self, work: Any) -> None:
        task = asyncio.create_task(work)
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)


def _close_code(err: grpc.aio.AioRpcError) -> tuple[int, str]:
    found = problem_from_rpc_error(err)
    if found.code == SESSION_ENDED:
        return CLOSE_ENDED, ENDED
    code = 4000 + found.status if 400 <= found.status < 500 else WSCloseCode.TRY_AGAIN_LATER
    return code, found.detail[:120]


async def widget_socket(request: web.Request) -> web.StreamResponse:
    timing = request.app[TIMING]
    ws = web.WebSocketResponse(heartbeat=timing.heartbeat, max_msg_size=MAX_FRAME, compress=False)
    await ws.prepare(request)
    key = request.query.get("key", "")
    sock = WidgetSocket(ws, request_metadata(key, request))
    try:
        await _serve(request, sock)
    except Refused as refused:
        await ws.close(code=refused.code, message=refused.reason.encode())
    finally:
        for task in list(sock.tasks):
            task.cancel()
        if not ws.closed:
            await ws.close()
    return ws


async def _serve(request: web.Request, sock: WidgetSocket) -> None:
    hello = await _hello(sock.ws, request.app[TIMING].hello_timeout)
    sock.token = hello["token"]
    sock.floor = hello["afterSeq"]
    client = request.app[CLIENT]
    sock.spawn(_watch(client, sock))
    bucket = Bucket()
    await sock.send({"type": "ready"})
    async for msg in sock.ws:
        if msg.type != WSMsgType.TEXT:
            if msg.type == WSMsgType.ERROR:
                return
            raise Refused(CLOSE_MALFORMED, "frames must be JSON text")
        if not bucket.take():
            raise Refused(CLOSE_FLOOD, "too many messages: slow down")
        frame = _parse(msg.data)
        if frame["type"] == "ping":
            await sock.send({"type": "pong", "id": frame.get("id")})
        elif frame["type"] == "message":
            content, cid = _message(frame)
            sock.spawn(_turn(client, sock, content, cid))
        else:
            raise Refused(CLOSE_MALFORMED, "unknown frame type")


async def first_frame(ws: web.WebSocketResponse, deadline: float, what: str) -> WSMessage:
    """The socket's first data frame, within `deadline` seconds of asking. One deadline for
    the whole wait: aiohttp answers pings inside receive() and starts its own timeout again
    after each, so a peer pinging forever would otherwise never be closed."""
    try:
        async with asyncio.timeout(deadline):
            return await ws.receive()
    except TimeoutError:
        raise Refused(CLOSE_NO_HELLO, f"no {what} frame in time") from None


async def _hello(ws: web.WebSocketResponse, deadline: float) -> dict[str, Any]:
    msg = await first_frame(ws, deadline, "hello")
    if msg.type != WSMsgType.TEXT:
        raise Refused(CLOSE_MALFORMED, "the first frame must be a JSON hello")
    frame = _parse(msg.data)
    token, after = frame.get("token"), frame.get("afterSeq", 0)
    if frame["type"] != "hello" or not isinstance(token, str) or not token:
        raise Refused(CLOSE_MALFORMED, "the first frame must be hello with a token")
    if not isinstance(after, int) or isinstance(after, bool) or after < 0:
        raise Refused(CLOSE_MALFORMED, "afterSeq must be a whole number")
    return {"token": token, "afterSeq": after}


def _parse(data: str) -> dict[str, Any]:
    try:
        frame = json.loads(data)
    except ValueError:
        raise Refused(CLOSE_MALFORMED, "frames must be JSON") from None
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise Refused(CLOSE_MALFORMED, "frames must be JSON objects with a type")
    return frame


def _message(frame: dict[str, Any]) -> tuple[str, str]:
    content, cid = frame.get("content"), frame.get("id", "")
    if not isinstance(content, str) or not content.strip() or len(content) > MAX_CONTENT:
        raise Refused(CLOSE_MALFORMED, f"content must be 1 to {MAX_CONTENT} characters")
    if not isinstance(cid, str) or len(cid) > 64:
        raise Refused(CLOSE_MALFORMED, "id must be a string of at most 64 characters")
    return content, cid


async def _watch(client: Any, sock: WidgetSocket) -> None:
    request = widget_pb.WatchWidgetSessionRequest(visitor_token=sock.token, after_seq=sock.floor)
    try:
        # No deadline: the watch lives as long as the socket; heartbeats show it is alive.
        async for got in client.widget.WatchWidgetSession(
            request, metadata=sock.metadata, timeout=None
        ):
            if got.HasField("event"):
                await sock.event(event_json(got.event))
            else:
                await sock.send({"type": "heartbeat"})
    except grpc.aio.AioRpcError as err:
        if err.code() == grpc.StatusCode.CANCELLED:
            return
        code, reason = _close_code(err)
        await sock.ws.close(code=code, message=reason.encode())
        return
    # The watch replayed every event, then ended: so has the session. The turn in flight
    # (the one that ended it, say) streams to its end first.
    async with sock.turns:
        await sock.ws.close(code=CLOSE_ENDED, message=ENDED.encode())


async def _turn(client: Any, sock: WidgetSocket, content: str, cid: str) -> None:
    request = widget_pb.StreamWidgetMessageRequest(
        visitor_token=sock.token, content=content, client_message_id=cid
    )
    async with sock.turns:  # one turn at a time per session, in the order sent
        try:
            async for got in client.widget.StreamWidgetMessage(
                request, metadata=sock.metadata, timeout=TURN_DEADLINE
            ):
                kind = got.WhichOneof("kind")
                if kind == "event":
                    await sock.event(event_json(got.event))
                elif kind == "text_delta":
                    await sock.send({"type": "delta", "id": cid, "text": got.text_delta})
                elif kind == "turn_end":
                    await sock.send({"type": "turnEnd", "id": cid})
        except grpc.aio.AioRpcError as err:
            found = problem_from_rpc_error(err)
            if found.code == SESSION_ENDED:  # no error to show: the browser starts afresh
                await sock.ws.close(code=CLOSE_ENDED, message=ENDED.encode())
                return
            await sock.send(
                {
                    "type": "error",
                    "id": cid,
                    "status": found.status,
                    "code": found.code,
                    "message": found.detail,
                }
            )
            if found.status in (401, 403, 404):
                await sock.ws.close(code=4000 + found.status, message=found.detail[:120].encode())
