"""Chat sessions: start one, send the customer's words (whole or streamed), read the
transcript, end it."""

from __future__ import annotations

from typing import Any

import grpc.aio
from aiohttp import web

from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as pb
from frontends.common import problem_from_rpc_error
from frontends.gateway import sse
from frontends.gateway.operation import Call, Page
from frontends.gateway.shapes import enum_to_rest, to_rest


def session_name(call: Call) -> str:
    return f"sessions/{call.params['id']}"


def session_rest(session: pb.Session) -> dict[str, Any]:
    return to_rest(session)


def whole_numbers(value: Any) -> Any:
    """Struct numbers are doubles: 3.0 back to the 3 the core stored."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {k: whole_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [whole_numbers(v) for v in value]
    return value


def event_rest(event: audit_pb2.AuditEvent) -> dict[str, Any]:
    body = to_rest(event)
    body["payload"] = whole_numbers(body["payload"])
    return body


async def create_session(call: Call) -> Any:
    reply = await call.client.conversations.CreateSession(
        pb.CreateSessionRequest(
            agent_id=call.body["agentId"],
            draft_mode=bool(call.body.get("draftMode", False)),
            channel=audit_pb2.CHANNEL_CHAT,
        ),
        metadata=call.metadata,
    )
    return session_rest(reply.session)


async def get_session(call: Call) -> Any:
    reply = await call.client.conversations.GetSession(
        pb.GetSessionRequest(name=session_name(call)), metadata=call.metadata
    )
    return session_rest(reply.session)


async def list_messages(call: Call) -> Page:
    reply = await call.client.conversations.ListSessionEvents(
        pb.ListSessionEventsRequest(
            parent=session_name(call), page_size=call.page_size, page_token=call.page_token
        ),
        metadata=call.metadata,
    )
    return Page([event_rest(e) for e in reply.events], reply.next_page_token or None)


async def end_session(call: Call) -> Any:
    reply = await call.client.conversations.EndSession(
        pb.EndSessionRequest(name=session_name(call)), metadata=call.metadata
    )
    return session_rest(reply.session)


def _turn_answer(reply: str, events: list[dict[str, Any]], session: pb.Session) -> dict[str, Any]:
    # Only the status is shown: converting the whole session for it was a tenth of the
    # gateway's work on a turn.
    status = enum_to_rest(pb.SessionStatus.DESCRIPTOR, session.status)
    brief: dict[str, Any] = {"id": session.id, "status": status}
    if session.handoff_id:
        brief["handoffId"] = session.handoff_id
    return {"reply": {"role": "assistant", "content": reply}, "events": events, "session": brief}


async def send_message(call: Call) -> Any:
    if call.body.get("stream"):
        return await _stream_message(call)
    reply = await call.client.conversations.SendMessage(
        pb.SendMessageRequest(session=session_name(call), content=call.body["content"]),
        metadata=call.metadata,
        timeout=call.turn_deadline(),
    )
    return _turn_answer(reply.reply.content, [event_rest(e) for e in reply.events], reply.session)


async def _stream_message(call: Call) -> web.StreamResponse:
    """SSE: the turn's audit events by type, the reply as `agent_message` deltas (payload
    `{"delta"}`), the stored reply event (payload `{"text"}`), then `done`.

    The first piece is awaited before answering, so a refused turn (404, 400, 409) is a
    plain problem response rather than a stream that fails at once.
    """
    stream = call.client.conversations.StreamMessage(
        pb.StreamMessageRequest(session=session_name(call), content=call.body["content"]),
        metadata=call.metadata,
        timeout=call.turn_deadline(),
    )
    pieces = stream.__aiter__()
    try:
        first = await pieces.__anext__()
    except StopAsyncIteration:
        first = None
    response = await sse.open_stream(call.http)
    session_id = call.params["id"]
    piece = first
    try:
        while piece is not None:
            kind = piece.WhichOneof("kind")
            if kind == "event":
                event = event_rest(piece.event)
                await sse.send(response, event, event=str(event["eventType"]))
            elif kind == "text_delta":
                delta = {
                    "conversationId": session_id,
                    "eventType": "agent_message",
                    "payload": {"delta": piece.text_delta},
                }
                await sse.send(response, delta, event="agent_message")
            elif kind == "turn_end":
                done = _turn_answer(piece.turn_end.text, [], piece.turn_end.session)
                del done["events"]
                await sse.send(response, done, event="done")
            try:
                piece = await pieces.__anext__()
            except StopAsyncIteration:
                piece = None
    except grpc.aio.AioRpcError as err:
        problem = problem_from_rpc_error(err)
        await sse.send(response, problem.body(call.http.path), event="error")
    await response.write_eof()
    return response


async def simulate(call: Call) -> web.StreamResponse:
    """SSE of the draft's audit events for a scripted transcript, ending with `done`."""
    stream = call.client.conversations.SimulateConversation(
        pb.SimulateConversationRequest(
            agent_id=call.params["id"],
            transcript=call.body["transcript"],
            draft_mode=bool(call.body.get("draftMode", True)),
        ),
        metadata=call.metadata,
        timeout=call.turn_deadline(len(call.body["transcript"])),
    )
    pieces = stream.__aiter__()
    piece: Any = await pieces.__anext__()  # a refusal is a plain problem response
    response = await sse.open_stream(call.http)
    try:
        while piece is not None:
            await _send_event(response, piece.event)
            try:
                piece = await pieces.__anext__()
            except StopAsyncIteration:
                piece = None
        await sse.send(response, {}, event="done")
    except grpc.aio.AioRpcError as err:
        problem = problem_from_rpc_error(err)
        await sse.send(response, problem.body(call.http.path), event="error")
    await response.write_eof()
    return response


# A followed session stays open as long as its client does.
FOLLOW_DEADLINE_SECONDS = 24 * 3600


async def _send_event(response: web.StreamResponse, event: Any) -> None:
    body = event_rest(event)
    await sse.send(response, body, event=str(body["eventType"]))


async def follow_events(call: Call) -> web.StreamResponse:
    """SSE of the session's audit events: those stored, then (with `?follow=true`) new ones
    as they are committed on any core (a person's handoff reply, say), until the session
    ends; then `done`. Following is the core's WatchSessionEvents stream; its heartbeats
    become SSE comments, which is also how a client that went away is noticed."""
    follow = call.query.get("follow") == "true"
    name = session_name(call)
    conversations = call.client.conversations
    # Refusals (401, 403, 404) as plain problems, before the stream starts.
    await conversations.GetSession(pb.GetSessionRequest(name=name), metadata=call.metadata)
    response = await sse.open_stream(call.http)
    try:
        if follow:
            stream = conversations.WatchSessionEvents(
                pb.WatchSessionEventsRequest(parent=name),
                metadata=call.metadata,
                timeout=FOLLOW_DEADLINE_SECONDS,
            )
            try:
                async for piece in stream:
                    if piece.WhichOneof("kind") == "event":
                        await _send_event(response, piece.event)
                    else:
                        await response.write(b": keep-alive\n\n")
            finally:
                stream.cancel()  # the client went away: the core stops watching
        else:
            token = ""
            while True:
                page = await conversations.ListSessionEvents(
                    pb.ListSessionEventsRequest(parent=name, page_size=200, page_token=token),
                    metadata=call.metadata,
                )
                for event in page.events:
                    await _send_event(response, event)
                if not page.next_page_token:
                    break
                token = page.next_page_token
        await sse.send(response, {}, event="done")
    except grpc.aio.AioRpcError as err:
        problem = problem_from_rpc_error(err)
        await sse.send(response, problem.body(call.http.path), event="error")
    except ConnectionResetError:
        return response  # the client went away
    await response.write_eof()
    return response
