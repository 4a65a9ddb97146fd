"""The team inbox's websocket: a person's secret key in the first frame, never in a URL.

After `auth` the socket streams every handoff as it changes (the core's WatchHandoffs) and
answers the page's commands (open, claim, reply, close) with the core's own answers: the
core checks the key's scopes and refuses a second claim, this process decides nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

import grpc
import grpc.aio
from aiohttp import WSMsgType, web

from flowyte.v1 import handoff_service_pb2 as handoff_pb
from frontends.common import problem_from_rpc_error
from frontends.widget.public import CLIENT
from frontends.widget.socket import CLOSE_MALFORMED, MAX_FRAME, Bucket, Refused, first_frame
from frontends.widget.timing import TIMING
from frontends.widget.wire import event_json, handoff_json, secret_metadata

DEADLINE = 10.0


async def inbox_socket(request: web.Request) -> web.StreamResponse:
    timing = request.app[TIMING]
    ws = web.WebSocketResponse(heartbeat=timing.heartbeat, max_msg_size=MAX_FRAME)
    await ws.prepare(request)
    watch: asyncio.Task[None] | None = None
    try:
        msg = await first_frame(ws, timing.hello_timeout, "auth")
        auth = _parse(msg.data) if msg.type == WSMsgType.TEXT else {}
        key = auth.get("key")
        if auth.get("type") != "auth" or not isinstance(key, str) or not key:
            raise Refused(CLOSE_MALFORMED, "the first frame must be auth with a key")
        md = secret_metadata(key)
        who = auth.get("name")
        # Who claims: the person's own name, so two people sharing a key still cannot both
        # claim one handoff (the core's default would be the key's name for both).
        claimer = who.strip()[:80] if isinstance(who, str) else ""
        client = request.app[CLIENT]
        watch = asyncio.create_task(_watch(client, ws, md))
        bucket = Bucket()
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                break
            if not bucket.take():
                raise Refused(4429, "too many commands: slow down")
            await _command(client, ws, md, claimer, _parse(msg.data))
    except Refused as refused:
        await ws.close(code=refused.code, message=refused.reason.encode())
    finally:
        if watch is not None:
            watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await watch
        await ws.close()
    return ws


def _parse(data: str) -> dict[str, Any]:
    try:
        frame = json.loads(data)
    except ValueError:
        raise Refused(CLOSE_MALFORMED, "frames must be JSON") from None
    if not isinstance(frame, dict):
        raise Refused(CLOSE_MALFORMED, "frames must be JSON objects")
    return frame


async def _send(ws: web.WebSocketResponse, frame: dict[str, Any]) -> None:
    if not ws.closed:
        with contextlib.suppress(ConnectionError, RuntimeError):
            await ws.send_str(json.dumps(frame, separators=(",", ":")))


async def _watch(client: Any, ws: web.WebSocketResponse, md: grpc.aio.Metadata) -> None:
    try:
        async for got in client.handoffs.WatchHandoffs(
            handoff_pb.WatchHandoffsRequest(), metadata=md, timeout=None
        ):
            if got.HasField("handoff"):
                await _send(ws, {"type": "handoff", "handoff": handoff_json(got.handoff)})
            else:
                await _send(ws, {"type": "heartbeat"})
    except grpc.aio.AioRpcError as err:
        if err.code() == grpc.StatusCode.CANCELLED:
            return
        found = problem_from_rpc_error(err)
        code = 4000 + found.status if 400 <= found.status < 500 else 1013
        await ws.close(code=code, message=found.detail[:120].encode())


async def _command(
    client: Any,
    ws: web.WebSocketResponse,
    md: grpc.aio.Metadata,
    claimer: str,
    frame: dict[str, Any],
) -> None:
    op, ref, hid = frame.get("op"), frame.get("ref"), frame.get("handoffId")
    if not isinstance(hid, str) or not hid or len(hid) > 64:
        raise Refused(CLOSE_MALFORMED, "handoffId must be a handoff's id")
    request = _request(op, f"handoffs/{hid}", claimer, frame)
    try:
        got = await getattr(client.handoffs, type(request).__name__.removesuffix("Request"))(
            request, metadata=md, timeout=DEADLINE
        )
        if op == "reply":
            result: dict[str, Any] = {"event": event_json(got.event)}
        else:
            result = {"handoff": handoff_json(got.handoff)}
    except grpc.aio.AioRpcError as err:
        found = problem_from_rpc_error(err)
        await _send(
            ws,
            {
                "type": "result",
                "ref": ref,
                "ok": False,
                "status": found.status,
                "code": found.code,
                "message": found.detail,
            },
        )
        return
    await _send(ws, {"type": "result", "ref": ref, "ok": True, **result})


def _request(op: Any, name: str, claimer: str, frame: dict[str, Any]) -> Any:
    """The core request a page's command asks for (the RPC is named after it)."""
    if op == "open":
        return handoff_pb.GetHandoffRequest(name=name)
    if op == "claim":
        return handoff_pb.ClaimHandoffRequest(name=name, claimed_by=claimer)
    if op == "close":
        return handoff_pb.CloseHandoffRequest(name=name)
    if op == "reply":
        content = frame.get("content")
        if not isinstance(content, str) or not content.strip() or len(content) > 4000:
            raise Refused(CLOSE_MALFORMED, "content must be 1 to 4000 characters")
        return handoff_pb.SendHandoffMessageRequest(name=name, content=content)
    raise Refused(CLOSE_MALFORMED, "unknown op")
