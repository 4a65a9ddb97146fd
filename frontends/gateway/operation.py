"""The pieces of the route table: an operation, what its handler receives and returns."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import grpc.aio

from flowyte import FlowyteClient
from flowyte.deadlines import Deadlines
from frontends.common import FieldError, Problem
from frontends.gateway.schemas import Schema

ON_REQUEST = "on_request"
ALWAYS = "always"


class ProblemError(Exception):
    """Raised anywhere in a request to answer with a problem response."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.detail)
        self.problem = problem


def bad_request(detail: str, *errors: FieldError, code: str = "invalid_argument") -> ProblemError:
    return ProblemError(Problem(400, code, detail, list(errors)))


@dataclass
class Call:
    """One validated request, as a handler sees it."""

    client: FlowyteClient
    metadata: grpc.aio.Metadata  # the caller's own key, idempotency key
    params: dict[str, Any]  # path parameters, validated and typed
    query: dict[str, Any]  # declared query parameters, validated and typed
    body: dict[str, Any]  # the validated JSON body ({} when there is none)
    page_size: int = 0
    page_token: str = ""
    # The HTTP request itself, for handlers that stream their answer (SSE); such a handler
    # returns the prepared aiohttp StreamResponse instead of data.
    http: Any = None
    # What the core's store client waits: a call that runs turns waits longer than that.
    deadlines: Deadlines = field(default_factory=Deadlines)

    def turn_deadline(self, turns: int = 1) -> float:
        """The deadline of a call to the core that runs `turns` turns: it outlasts the
        core's store client, so a slow store is answered in words and the turn is kept."""
        return self.deadlines.frontend_call(turns)


@dataclass
class Page:
    """A handler's answer for a list operation."""

    items: list[Any]
    next_cursor: str | None


Handler = Callable[[Call], Awaitable[Any]]


@dataclass(frozen=True)
class Route:
    """One REST operation: enough to route it, validate it and document it."""

    method: str
    path: str  # relative to /api/v1, aiohttp syntax: /agents/{id}
    operation_id: str
    summary: str
    handler: Handler
    rpc: str  # e.g. "AgentService.CreateAgent": the core's RPC, whose scope the docs show
    body: Schema | None = None  # JSON Schema of the request body
    response: Schema | None = None  # JSON Schema of `data` (of one item when paged)
    params: Mapping[str, Schema] = field(default_factory=dict)  # path params, default string
    query: Mapping[str, Schema] = field(default_factory=dict)  # extra query parameters
    paged: bool = False  # takes ?limit=&cursor=, answers with nextCursor
    status: int = 200
    # A bare JSON array is accepted as shorthand for {list_key: [...]} ("PUT replaces the list").
    list_key: str | None = None
    # OpenAI-compatible: the answer is not enveloped and errors use OpenAI's error shape.
    openai: bool = False
    # Answers with text/event-stream: ON_REQUEST when the body asks for `stream: true`
    # (JSON otherwise), ALWAYS whatever it asks.
    streams: str = ""
