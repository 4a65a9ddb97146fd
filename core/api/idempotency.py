"""`idempotency-key`: a retry with the same key and request replays the first response.

A record is claimed before the handler runs (the primary key makes the claim atomic across
replicas), filled with the sealed response after it succeeds, and dropped when it fails, so
a failed request can be retried with the same key. The response is sealed because it may
carry a key's one-time secret.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

from google.protobuf.message import Message
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from core.domain.errors import Conflict, InvalidArgument
from core.runtime import Runtime
from core.store.tables import IdempotencyRecord
from core.vault import associated_data

MAX_KEY_LENGTH = 255


def _request_hash(method: str, request: Message) -> str:
    return hashlib.sha256(
        method.encode() + b"\0" + request.SerializeToString(deterministic=True)
    ).hexdigest()


async def run_once(
    runtime: Runtime,
    org_id: str,
    key: str,
    method: str,
    request: Message,
    response_type: type[Message],
    handler: Callable[[], Awaitable[Any]],
) -> Any:
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidArgument(
            f"idempotency key longer than {MAX_KEY_LENGTH}", field="idempotency_key"
        )
    digest = _request_hash(method, request)
    aad = associated_data("idempotency", org_id, key)
    async with runtime.sessions() as session:
        session.add(
            IdempotencyRecord(
                org_id=org_id,
                key=key,
                method=method,
                request_hash=digest,
                created_ms=runtime.now_ms(),
            )
        )
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            existing = await session.get(IdempotencyRecord, (org_id, key))
            if existing is None:  # dropped by a failing first attempt just now
                raise Conflict(
                    "the first request with this idempotency key just failed; retry",
                    "IDEMPOTENCY_KEY_IN_USE",
                ) from None
            if existing.method != method or existing.request_hash != digest:
                raise Conflict(
                    "this idempotency key was used with a different request",
                    "IDEMPOTENCY_KEY_REUSED",
                ) from None
            if existing.sealed_response is None:
                raise Conflict(
                    "a request with this idempotency key is still running", "IDEMPOTENCY_KEY_IN_USE"
                ) from None
            return response_type.FromString(runtime.sealer.open(existing.sealed_response, aad))
    try:
        response = await handler()
    except BaseException:
        async with runtime.sessions() as session:
            await session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.org_id == org_id, IdempotencyRecord.key == key
                )
            )
            await session.commit()
        raise
    sealed = runtime.sealer.seal(response.SerializeToString(), aad)
    async with runtime.sessions() as session:
        await session.execute(
            update(IdempotencyRecord)
            .where(IdempotencyRecord.org_id == org_id, IdempotencyRecord.key == key)
            .values(sealed_response=sealed)
        )
        await session.commit()
    return response
