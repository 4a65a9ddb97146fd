"""`idempotency-key` on the gRPC surface: a retry with the same key and request replays the
first response (core/services/idempotency.py keeps the records). Records belong to the
calling API key, not only to its organization: its keys are its own namespace.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

from google.protobuf.message import Message

from core.domain import validation
from core.runtime import Runtime
from core.services import idempotency

from .principal import Principal


def request_hash(method: str, request: Message) -> str:
    return hashlib.sha256(
        method.encode() + b"\0" + request.SerializeToString(deterministic=True)
    ).hexdigest()


async def run_once(
    runtime: Runtime,
    caller: Principal,
    key: str,
    method: str,
    request: Message,
    response_type: type[Message],
    handler: Callable[[], Awaitable[Any]],
) -> Any:
    validation.idempotency_key(key)
    fresh: list[Message] = []

    async def serialized() -> bytes:
        response = await handler()
        fresh.append(response)
        return bytes(response.SerializeToString())

    stored = await idempotency.run_once(
        runtime,
        caller.org_id,
        caller.key_id,
        key,
        method,
        request_hash(method, request),
        serialized,
    )
    # The handler's own answer when it ran now; the stored one, parsed, when it ran before.
    return fresh[0] if fresh else response_type.FromString(stored)
