"""OpenAI-compatible /chat/completions and /models: `model` is a published agent's id.

Stateless: every request carries the whole conversation, and the core rebuilds it from the
customer's (`user`) messages alone. Request fields other than model, messages, stream and
user are read by nobody: the agent's own settings, skills and guardrails apply.
"""

from __future__ import annotations

from typing import Any

import grpc.aio
from aiohttp import web

from flowyte.v1 import conversation_service_pb2 as pb
from frontends.common import FieldError, problem_from_rpc_error
from frontends.gateway import sse
from frontends.gateway.openai_compat import completion_id, message_text, openai_error
from frontends.gateway.operation import Call, bad_request

OWNER = "flowyte"


def _messages(call: Call) -> list[pb.ChatMessage]:
    for refused in ("tools", "functions"):
        if call.body.get(refused) is not None:
            raise bad_request(
                f"{refused} are not accepted: the agent's own skills apply",
                FieldError(refused, "is not accepted"),
            )
    return [
        pb.ChatMessage(role=m["role"], content=message_text(m.get("content")))
        for m in call.body["messages"]
    ]


def _turns(messages: list[pb.ChatMessage]) -> int:
    """The core replays each of the customer's messages as a turn."""
    return sum(1 for m in messages if m.role == "user")


async def chat_completions(call: Call) -> Any:
    model = call.body["model"]
    messages = _messages(call)
    user = call.body.get("user") or ""
    if call.body.get("stream"):
        return await _stream(call, model, messages, user)
    reply = await call.client.conversations.CompleteChat(
        pb.CompleteChatRequest(agent_id=model, messages=messages, user=user),
        metadata=call.metadata,
        timeout=call.turn_deadline(_turns(messages)),
    )
    return {
        "id": completion_id(),
        "object": "chat.completion",
        "created": reply.create_time.seconds,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.reply.content},
                "finish_reason": reply.finish_reason or "stop",
            }
        ],
        "usage": _usage(reply.prompt_tokens, reply.completion_tokens),
        **_handoff(reply),
    }


def _handoff(reply: Any) -> dict[str, Any]:
    """Flowyte's one addition to OpenAI's shape, only when the reply handed off: the handoff
    and the session now holding the conversation (a person's reply appears in its events).
    Clients that do not know the field ignore it."""
    if not reply.handoff_id:
        return {}
    return {
        "handoff": {"id": reply.handoff_id, "sessionId": reply.session.removeprefix("sessions/")}
    }


def _usage(prompt: int, completion: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


async def _stream(
    call: Call, model: str, messages: list[pb.ChatMessage], user: str
) -> web.StreamResponse:
    stream = call.client.conversations.StreamCompleteChat(
        pb.StreamCompleteChatRequest(agent_id=model, messages=messages, user=user),
        metadata=call.metadata,
        timeout=call.turn_deadline(_turns(messages)),
    )
    pieces = stream.__aiter__()
    piece: Any = await pieces.__anext__()  # a refusal is a plain error response, not a stream
    response = await sse.open_stream(call.http)
    include_usage = bool((call.body.get("stream_options") or {}).get("include_usage"))
    base = {
        "id": completion_id(),
        "object": "chat.completion.chunk",
        "created": piece.create_time.seconds,
        "model": model,
    }

    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        return {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}

    await sse.send(response, chunk({"role": "assistant", "content": ""}))
    try:
        while piece is not None:
            if piece.text_delta:
                await sse.send(response, chunk({"content": piece.text_delta}))
            if piece.finish_reason:
                await sse.send(response, {**chunk({}, piece.finish_reason), **_handoff(piece)})
                if include_usage:
                    usage = _usage(piece.prompt_tokens, piece.completion_tokens)
                    await sse.send(response, {**base, "choices": [], "usage": usage})
            try:
                piece = await pieces.__anext__()
            except StopAsyncIteration:
                piece = None
    except grpc.aio.AioRpcError as err:
        await sse.send(response, openai_error(problem_from_rpc_error(err))[1])
    await sse.send(response, "[DONE]")
    await response.write_eof()
    return response


async def list_models(call: Call) -> Any:
    models: list[dict[str, Any]] = []
    token = ""
    while True:
        reply = await call.client.conversations.ListChatModels(
            pb.ListChatModelsRequest(page_size=200, page_token=token),
            metadata=call.metadata,
        )
        models += [
            {
                "id": agent.id,
                "object": "model",
                "created": agent.create_time.seconds,
                "owned_by": OWNER,
            }
            for agent in reply.models
        ]
        token = reply.next_page_token
        if not token:
            return {"object": "list", "data": models}
