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
    async with runtime.sessions() as session:
        # Looked up on every call, not cached, so a revocation takes effect on the next call
        # on every replica.
        row = await session.scalar(
            select(ApiKeyRow).where(
                ApiKeyRow.key_hash == api_keys.hash_secret(token), ApiKeyRow.revoked_ms.is_(None)
            )
        )
    if row is None:
        raise Unauthenticated()
    return Principal(row.org_id, row.id, row.name, frozenset(row.scopes))
