"""OpenAI's wire shapes for /chat/completions and /models: errors, completions, chunks.

The OpenAI endpoints answer in OpenAI's shapes, errors included, so the official SDKs work
unchanged: `{"error": {"message", "type", "param", "code"}}` instead of problem+json.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from aiohttp import web

from frontends.common import Problem

_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "invalid_request_error",
    409: "invalid_request_error",
    413: "invalid_request_error",
    429: "rate_limit_error",
}


def openai_error(problem: Problem) -> tuple[int, dict[str, Any]]:
    status, code, message = problem.status, problem.code, problem.detail
    param = problem.errors[0].field if problem.errors else None
    if status == 404 or code == "no_published_version":
        # `model` names the agent: an unknown or unpublished one is a bad request to OpenAI.
        status, code, param = 400, "model_not_found", "model"
        message = "the model does not exist or is not published"
    elif problem.errors:
        message = "; ".join(f"{e.field} {e.message}" for e in problem.errors)
    if status == 401:
        code = "invalid_api_key"
    error_type = _TYPES.get(status, "server_error" if status >= 500 else "invalid_request_error")
    return status, {"error": {"message": message, "type": error_type, "param": param, "code": code}}


def openai_error_response(problem: Problem) -> web.Response:
    status, body = openai_error(problem)
    headers = {k: v for k, v in problem.headers().items() if k != "Content-Type"}
    return web.Response(
        text=json.dumps(body), status=status, content_type="application/json", headers=headers
    )


def completion_id() -> str:
    return "chatcmpl-" + secrets.token_hex(12)


def message_text(content: Any) -> str:
    """A message's `content`: a string, or a list of parts whose text parts count."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            str(part.get("text", ""))
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
        )
    return ""
