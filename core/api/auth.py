"""Resolving a request's bearer key to a principal."""

from __future__ import annotations

from sqlalchemy import select

from core.domain import api_keys
from core.domain.errors import Unauthenticated
from core.runtime import Runtime
from core.store.tables import ApiKeyRow

from .principal import Principal


def bearer_token(metadata: dict[str, str]) -> str:
    header = metadata.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated("send 'authorization: Bearer <key>'")
    return token.strip()


async def authenticate(runtime: Runtime, metadata: dict[str, str]) -> Principal:
    token = bearer_token(metadata)
    if not api_keys.looks_like_secret_key(token):
        raise Unauthenticated()
    key_hash = api_keys.hash_secret(token)
    # The read cache is on only where this process sees every change (see read_cache.py),
    # so a revocation still takes effect on the next call; elsewhere this reads the database.
    cached: Principal | None = runtime.cache.get("api_key", key_hash)
    if cached is not None:
        return cached
    generation = runtime.cache.generation
    async with runtime.sessions() as session:
        row = (
            await session.execute(
                select(ApiKeyRow.org_id, ApiKeyRow.id, ApiKeyRow.name, ApiKeyRow.scopes).where(
                    ApiKeyRow.key_hash == key_hash, ApiKeyRow.revoked_ms.is_(None)
                )
            )
        ).first()
    if row is None:
        raise Unauthenticated()  # not cached: a key made by `flowyte keys create` must work
    principal = Principal(row.org_id, row.id, row.name, frozenset(row.scopes))
    runtime.cache.put("api_key", key_hash, principal, generation)
    return principal
