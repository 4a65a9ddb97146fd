"""Resolving a request's bearer key to a principal."""

from __future__ import annotations

from core.domain import api_keys
from core.domain.errors import Unauthenticated
from core.runtime import Runtime
from core.services.api_keys import ApiKeys

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
    # A miss is not cached: a key made by `flowyte keys create` must work at once.
    found = await runtime.cache.get_or_load(
        "api_key", key_hash, lambda: _principal(runtime, key_hash)
    )
    if found is None:
        raise Unauthenticated()
    return found


async def _principal(runtime: Runtime, key_hash: str) -> Principal | None:
    holder = await ApiKeys(runtime).holder(key_hash)
    if holder is None:
        return None
    return Principal(holder.org_id, holder.key_id, holder.name, holder.scopes)
