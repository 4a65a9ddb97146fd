"""A key cannot reach past its own scopes through ApiKeyService: it grants only scopes it
holds, and revokes only keys whose scopes it holds too (another organization's keys stay
NOT_FOUND)."""

from __future__ import annotations

import grpc

import flowyte.v1.agent_service_pb2 as agent_pb
import flowyte.v1.agent_service_pb2_grpc as agent_grpc
import flowyte.v1.api_key_service_pb2 as key_pb
import flowyte.v1.api_key_service_pb2_grpc as key_grpc
from core.domain.scopes import CALLER_ID_SCOPE, STANDARD_SCOPES
from tests.core.helpers import auth, error_reason, expect_error


async def _key_names(stub: key_grpc.ApiKeyServiceStub, key: str) -> list[str]:
    listed = await stub.ListApiKeys(key_pb.ListApiKeysRequest(page_size=200), metadata=auth(key))
    return [k.display_name for k in listed.api_keys]


async def test_a_key_grants_only_scopes_it_holds(core):
    org = await core.new_org()
    keys_only = await core.new_key(org, ["keys:write"], name="keys-only")
    async with core.channel() as channel:
        stub = key_grpc.ApiKeyServiceStub(channel)
        for scopes in (list(STANDARD_SCOPES), ["agents:write"], ["keys:write", "chat:read"]):
            denied = await expect_error(
                stub.CreateApiKey(
                    key_pb.CreateApiKeyRequest(display_name="wider", scopes=scopes),
                    metadata=auth(keys_only),
                ),
                grpc.StatusCode.PERMISSION_DENIED,
            )
            assert error_reason(denied) == "SCOPE_ESCALATION"
            named = (denied.details() or "").rpartition(": ")[2].split(", ")
            assert named == [s for s in scopes if s != "keys:write"]  # what it lacks, only
        assert await _key_names(stub, keys_only) == ["keys-only"]  # nothing was minted

        # Its own scope (or fewer) it may hand out.
        same = await stub.CreateApiKey(
            key_pb.CreateApiKeyRequest(display_name="same", scopes=["keys:write"]),
            metadata=auth(keys_only),
        )
        assert list(same.api_key.scopes) == ["keys:write"]


async def test_a_full_key_cannot_mint_the_voice_frontends_scope(core):
    """`calls:caller_id` is held by no key unless made so from the command line, so no key
    made through the API can ever vouch for a caller's number."""
    full = await core.new_key(await core.new_org(), list(STANDARD_SCOPES))
    async with core.channel() as channel:
        denied = await expect_error(
            key_grpc.ApiKeyServiceStub(channel).CreateApiKey(
                key_pb.CreateApiKeyRequest(display_name="voice", scopes=[CALLER_ID_SCOPE]),
                metadata=auth(full),
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        assert error_reason(denied) == "SCOPE_ESCALATION" and CALLER_ID_SCOPE in denied.details()


async def test_a_key_revokes_only_keys_within_its_scopes(core):
    org = await core.new_org()
    admin = await core.new_key(org, list(STANDARD_SCOPES), name="admin")
    keys_only = await core.new_key(org, ["keys:write"], name="keys-only")
    async with core.channel() as channel:
        stub = key_grpc.ApiKeyServiceStub(channel)
        admin_row = await stub.ListApiKeys(key_pb.ListApiKeysRequest(), metadata=auth(admin))
        names = {k.display_name: k.name for k in admin_row.api_keys}

        denied = await expect_error(
            stub.RevokeApiKey(
                key_pb.RevokeApiKeyRequest(name=names["admin"]), metadata=auth(keys_only)
            ),
            grpc.StatusCode.PERMISSION_DENIED,
        )
        assert error_reason(denied) == "SCOPE_ESCALATION"
        # The stronger key still works, and is not marked revoked.
        agents = agent_grpc.AgentServiceStub(channel)
        await agents.ListAgents(agent_pb.ListAgentsRequest(), metadata=auth(admin))
        got = await stub.GetApiKey(
            key_pb.GetApiKeyRequest(name=names["admin"]), metadata=auth(keys_only)
        )
        assert not got.api_key.HasField("revoke_time")

        # A key it could have made itself it may revoke, itself included.
        peer = await stub.CreateApiKey(
            key_pb.CreateApiKeyRequest(display_name="peer", scopes=["keys:write"]),
            metadata=auth(keys_only),
        )
        revoked = await stub.RevokeApiKey(
            key_pb.RevokeApiKeyRequest(name=peer.api_key.name), metadata=auth(keys_only)
        )
        assert revoked.api_key.HasField("revoke_time")
        # The stronger key may revoke the weaker one.
        await stub.RevokeApiKey(
            key_pb.RevokeApiKeyRequest(name=names["keys-only"]), metadata=auth(admin)
        )


async def test_another_organizations_key_stays_not_found_whatever_its_scopes(core):
    weak = await core.new_key(await core.new_org(), ["keys:write"])
    other_org = await core.new_org()
    strong = await core.new_key(other_org, list(STANDARD_SCOPES))
    async with core.channel() as channel:
        stub = key_grpc.ApiKeyServiceStub(channel)
        theirs = (
            await stub.ListApiKeys(key_pb.ListApiKeysRequest(), metadata=auth(strong))
        ).api_keys[0]
        for call in (stub.RevokeApiKey, stub.GetApiKey):
            request_type = (
                key_pb.RevokeApiKeyRequest if call is stub.RevokeApiKey else key_pb.GetApiKeyRequest
            )
            missing = await expect_error(
                call(request_type(name=theirs.name), metadata=auth(weak)),
                grpc.StatusCode.NOT_FOUND,
            )
            assert error_reason(missing) == "NOT_FOUND"
