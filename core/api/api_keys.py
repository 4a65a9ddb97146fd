"""ApiKeyService: secret keys, stored as a hash; the plaintext is returned once."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

import flowyte.v1.api_key_service_pb2 as pb
import flowyte.v1.api_key_service_pb2_grpc as pb_grpc
from core.domain import api_keys, scopes, validation
from core.domain.errors import InvalidArgument
from core.domain.ids import new_id
from core.runtime import Runtime
from core.store.repository import org_query, owned, page
from core.store.tables import ApiKeyRow

from . import paging, principal
from .convert import resource_id, timestamp


def to_proto(row: ApiKeyRow) -> pb.ApiKey:
    return pb.ApiKey(
        name=f"apiKeys/{row.id}",
        id=row.id,
        display_name=row.name,
        scopes=row.scopes,
        prefix=row.prefix,
        create_time=timestamp(row.created_ms),
        revoke_time=timestamp(row.revoked_ms),
    )


async def insert_key(
    runtime: Runtime, org_id: str, name: str, key_scopes: list[str]
) -> tuple[ApiKeyRow, str]:
    """Shared by the RPC and `flowyte keys create`: the one place a secret is minted."""
    secret = api_keys.new_secret()
    row = ApiKeyRow(
        id=new_id("api_key"),
        org_id=org_id,
        name=name,
        scopes=key_scopes,
        prefix=api_keys.display_prefix(secret),
        key_hash=api_keys.hash_secret(secret),
        created_ms=runtime.now_ms(),
    )
    async with runtime.sessions() as session:
        session.add(row)
        try:
            await session.commit()
        except IntegrityError:  # pragma: no cover - a 256-bit collision
            raise InvalidArgument("could not mint a key; retry") from None
    return row, secret


class ApiKeyServicer(pb_grpc.ApiKeyServiceServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def CreateApiKey(
        self, request: pb.CreateApiKeyRequest, context: object
    ) -> pb.CreateApiKeyResponse:
        name = validation.display_name(request.display_name, "display_name")
        key_scopes = scopes.validate_secret_key_scopes(list(request.scopes))
        who = principal.current()
        scopes.check_within(who.scopes, key_scopes, "create")
        row, secret = await insert_key(self.runtime, who.org_id, name, key_scopes)
        return pb.CreateApiKeyResponse(api_key=to_proto(row), secret=secret)

    async def GetApiKey(
        self, request: pb.GetApiKeyRequest, context: object
    ) -> pb.GetApiKeyResponse:
        key_id = resource_id(request.name, "apiKeys", "name")
        async with self.runtime.sessions() as session:
            row = await owned(session, ApiKeyRow, principal.current().org_id, key_id, "API key")
        return pb.GetApiKeyResponse(api_key=to_proto(row))

    async def ListApiKeys(
        self, request: pb.ListApiKeysRequest, context: object
    ) -> pb.ListApiKeysResponse:
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        async with self.runtime.sessions() as session:
            rows, last = await page(
                session, org_query(ApiKeyRow, principal.current().org_id), ApiKeyRow.id, after, size
            )
        return pb.ListApiKeysResponse(
            api_keys=[to_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def RevokeApiKey(
        self, request: pb.RevokeApiKeyRequest, context: object
    ) -> pb.RevokeApiKeyResponse:
        key_id = resource_id(request.name, "apiKeys", "name")
        who = principal.current()
        async with self.runtime.sessions() as session:
            # Another organization's key is NOT_FOUND before its scopes are looked at.
            row = await owned(session, ApiKeyRow, who.org_id, key_id, "API key")
            scopes.check_within(who.scopes, row.scopes, "revoke")
            if row.revoked_ms is None:
                row.revoked_ms = self.runtime.now_ms()
                await session.commit()
        return pb.RevokeApiKeyResponse(api_key=to_proto(row))
