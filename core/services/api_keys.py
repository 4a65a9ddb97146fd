"""Secret keys: minted once (the plaintext is returned then, never again), stored as a
hash, listed, revoked, and resolved back to who holds them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.domain import api_keys, scopes
from core.domain.errors import InvalidArgument
from core.domain.ids import new_id
from core.runtime import Runtime
from core.store.repository import org_query, owned, page
from core.store.tables import ApiKeyRow


@dataclass(frozen=True)
class KeyHolder:
    """Who an unrevoked key speaks for."""

    org_id: str
    key_id: str
    name: str
    scopes: frozenset[str]


class ApiKeys:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def create(self, org_id: str, name: str, key_scopes: list[str]) -> tuple[ApiKeyRow, str]:
        """Shared by the RPC and `python -m core keys create`: the one place a secret is
        minted. `key_scopes` are already checked against the caller's."""
        secret = api_keys.new_secret()
        row = ApiKeyRow(
            id=new_id("api_key"),
            org_id=org_id,
            name=name,
            scopes=key_scopes,
            prefix=api_keys.display_prefix(secret),
            key_hash=api_keys.hash_secret(secret),
            created_ms=self.runtime.now_ms(),
        )
        async with self.runtime.sessions() as session:
            session.add(row)
            try:
                await session.commit()
            except IntegrityError:  # pragma: no cover - a 256-bit collision
                raise InvalidArgument("could not mint a key; retry") from None
        return row, secret

    async def get(self, org_id: str, key_id: str) -> ApiKeyRow:
        async with self.runtime.sessions() as session:
            return await owned(session, ApiKeyRow, org_id, key_id, "API key")

    async def list_page(
        self, org_id: str, after: str | None, size: int
    ) -> tuple[list[ApiKeyRow], str | None]:
        async with self.runtime.sessions() as session:
            return await page(session, org_query(ApiKeyRow, org_id), ApiKeyRow.id, after, size)

    async def revoke(self, org_id: str, key_id: str, caller_scopes: frozenset[str]) -> ApiKeyRow:
        async with self.runtime.sessions() as session:
            # Another organization's key is NOT_FOUND before its scopes are looked at.
            row = await owned(session, ApiKeyRow, org_id, key_id, "API key")
            scopes.check_within(caller_scopes, row.scopes, "revoke")
            if row.revoked_ms is None:
                row.revoked_ms = self.runtime.now_ms()
                await session.commit()
        return row

    async def holder(self, key_hash: str) -> KeyHolder | None:
        """Who the unrevoked key with this hash speaks for; None for no such key."""
        async with self.runtime.sessions() as session:
            row = (
                await session.execute(
                    select(ApiKeyRow.org_id, ApiKeyRow.id, ApiKeyRow.name, ApiKeyRow.scopes).where(
                        ApiKeyRow.key_hash == key_hash, ApiKeyRow.revoked_ms.is_(None)
                    )
                )
            ).first()
        if row is None:
            return None
        return KeyHolder(row.org_id, row.id, row.name, frozenset(row.scopes))
