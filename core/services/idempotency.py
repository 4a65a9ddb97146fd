"""`idempotency-key`: a retry with the same key and request replays the first response.

A record is claimed before the handler runs (the primary key makes the claim atomic across
replicas), filled with the sealed response after it succeeds, and dropped when it fails, so
a failed request can be retried with the same key. The claim is a lease its request renews
while it runs (core/store/claims.py): one left behind by a process that died lapses within
seconds, and the retry then runs the request. The response is sealed because it may carry
a key's one-time secret.

Records belong to the calling API key, not only to its organization: another key of the
organization reusing the same idempotency key makes a request of its own (its keys are its
own namespace) and never receives what was made for the first key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core.domain.errors import Conflict
from core.runtime import Runtime
from core.store.claims import Claim, lease_end
from core.store.tables import IdempotencyRecord
from core.vault import associated_data


def sealing_context(org_id: str, api_key_id: str, key: str) -> bytes:
    """The associated data of a stored response: it opens only in its own record."""
    return associated_data("idempotency", org_id, f"{api_key_id}/{key}")


async def run_once(
    runtime: Runtime,
    org_id: str,
    api_key_id: str,
    key: str,
    method: str,
    digest: str,
    handler: Callable[[], Awaitable[bytes]],
) -> bytes:
    """The response (serialized) of the first request with `key` and this `digest` of its
    method and body: `handler`'s, run now, or the stored one of an earlier run."""
    aad = sealing_context(org_id, api_key_id, key)
    primary_key = (org_id, api_key_id, key)
    claim = Claim(
        IdempotencyRecord,
        (
            IdempotencyRecord.org_id == org_id,
            IdempotencyRecord.api_key_id == api_key_id,
            IdempotencyRecord.key == key,
        ),
        IdempotencyRecord.sealed_response.is_(None),
    )
    async with runtime.sessions() as session:
        now = runtime.now_ms()
        session.add(
            IdempotencyRecord(
                org_id=org_id,
                api_key_id=api_key_id,
                key=key,
                method=method,
                request_hash=digest,
                created_ms=now,
                lease_expires_ms=lease_end(now),
            )
        )
        try:
            await session.commit()
        except IntegrityError:
            await session.rollback()
            existing = await session.get(IdempotencyRecord, primary_key)
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
            if existing.sealed_response is not None:
                return runtime.sealer.open(existing.sealed_response, aad)
            if not await claim.take_over(
                runtime.sessions, existing.lease_expires_ms, runtime.now_ms()
            ):
                raise Conflict(
                    "a request with this idempotency key is still running", "IDEMPOTENCY_KEY_IN_USE"
                ) from None
    async with claim.held(runtime.sessions, runtime.now_ms):
        response = await handler()
    sealed = runtime.sealer.seal(response, aad)
    async with runtime.sessions() as session:
        # The first answer stored wins, should a stalled request and the retry that took
        # its claim over both finish.
        await session.execute(
            update(IdempotencyRecord)
            .where(*claim.row, claim.unfinished)
            .values(sealed_response=sealed)
        )
        await session.commit()
    return response
