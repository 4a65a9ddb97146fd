"""ApiKeyService: secret keys, stored as a hash; the plaintext is returned once."""

from __future__ import annotations

import flowyte.v1.api_key_service_pb2 as pb
import flowyte.v1.api_key_service_pb2_grpc as pb_grpc
from core.domain import scopes, validation
from core.runtime import Runtime
from core.services.api_keys import ApiKeys
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


class ApiKeyServicer(pb_grpc.ApiKeyServiceServicer):
    def __init__(self, runtime: Runtime):
        self.keys = ApiKeys(runtime)

    async def CreateApiKey(
        self, request: pb.CreateApiKeyRequest, context: object
    ) -> pb.CreateApiKeyResponse:
        name = validation.display_name(request.display_name, "display_name")
        key_scopes = scopes.validate_secret_key_scopes(list(request.scopes))
        who = principal.current()
        scopes.check_within(who.scopes, key_scopes, "create")
        row, secret = await self.keys.create(who.org_id, name, key_scopes)
        return pb.CreateApiKeyResponse(api_key=to_proto(row), secret=secret)

    async def GetApiKey(
        self, request: pb.GetApiKeyRequest, context: object
    ) -> pb.GetApiKeyResponse:
        key_id = resource_id(request.name, "apiKeys", "name")
        row = await self.keys.get(principal.current().org_id, key_id)
        return pb.GetApiKeyResponse(api_key=to_proto(row))

    async def ListApiKeys(
        self, request: pb.ListApiKeysRequest, context: object
    ) -> pb.ListApiKeysResponse:
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        rows, last = await self.keys.list_page(principal.current().org_id, after, size)
        return pb.ListApiKeysResponse(
            api_keys=[to_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def RevokeApiKey(
        self, request: pb.RevokeApiKeyRequest, context: object
    ) -> pb.RevokeApiKeyResponse:
        key_id = resource_id(request.name, "apiKeys", "name")
        who = principal.current()
        row = await self.keys.revoke(who.org_id, key_id, who.scopes)
        return pb.RevokeApiKeyResponse(api_key=to_proto(row))
