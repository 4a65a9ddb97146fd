"""Secret API keys of the caller's organization."""

from __future__ import annotations

from typing import Any

from flowyte.v1 import api_key_service_pb2 as pb
from frontends.gateway.operation import Call, Page
from frontends.gateway.shapes import to_rest


def key_name(call: Call) -> str:
    return f"apiKeys/{call.params['id']}"


async def create_key(call: Call) -> Any:
    reply = await call.client.api_keys.CreateApiKey(
        pb.CreateApiKeyRequest(display_name=call.body["name"], scopes=call.body["scopes"]),
        metadata=call.metadata,
    )
    # The one response that carries a secret: the caller's own new key, shown once.
    return {**to_rest(reply.api_key), "secret": reply.secret}


async def list_keys(call: Call) -> Page:
    reply = await call.client.api_keys.ListApiKeys(
        pb.ListApiKeysRequest(page_size=call.page_size, page_token=call.page_token),
        metadata=call.metadata,
    )
    return Page([to_rest(k) for k in reply.api_keys], reply.next_page_token or None)


async def get_key(call: Call) -> Any:
    reply = await call.client.api_keys.GetApiKey(
        pb.GetApiKeyRequest(name=key_name(call)), metadata=call.metadata
    )
    return to_rest(reply.api_key)


async def revoke_key(call: Call) -> Any:
    reply = await call.client.api_keys.RevokeApiKey(
        pb.RevokeApiKeyRequest(name=key_name(call)), metadata=call.metadata
    )
    return to_rest(reply.api_key)
