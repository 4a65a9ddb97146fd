"""Server-sent events: `event: <type>\\ndata: <json>\\n\\n` frames (or OpenAI's bare `data:`)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from frontends.common import json_text

HEADERS = {
    "Content-Type": "text/event-stream",
    "Cache-Control": "no-cache",
    # Proxies such as nginx would otherwise buffer the stream into one late answer.
    "X-Accel-Buffering": "no",
}


async def open_stream(request: web.Request) -> web.StreamResponse:
    response = web.StreamResponse(status=200, headers=HEADERS)
    await response.prepare(request)
    return response


async def send(response: web.StreamResponse, data: Any, event: str | None = None) -> None:
    text = data if isinstance(data, str) else json_text.dumps(data)
    frame = f"event: {event}\ndata: {text}\n\n" if event else f"data: {text}\n\n"
    await response.write(frame.encode())
