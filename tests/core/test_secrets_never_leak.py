"""Plant canary secrets, drive every kind of call, and search every output for them."""

from __future__ import annotations

import logging

import grpc

import flowyte.v1.api_key_service_pb2 as key_pb
import flowyte.v1.api_key_service_pb2_grpc as key_grpc
import flowyte.v1.integration_service_pb2 as pb
import flowyte.v1.integration_service_pb2_grpc as pb_grpc
from tests.core.helpers import auth

TOKEN = "shpat_CANARYTOKEN_0a1b2c3d4e5f"
CLIENT_SECRET = "shpss_CANARYSECRET_6a7b8c9d"


async def test_canaries_never_appear_in_responses_errors_or_logs(core, caplog, capsys):
    caplog.set_level(logging.DEBUG)
    key = await core.new_org_key()
    seen: list[str] = []
    async with core.channel() as channel:
        stub = pb_grpc.IntegrationServiceStub(channel)
        calls = [
            pb.ConnectIntegrationRequest(
                kind=pb.INTEGRATION_KIND_SHOPIFY,
                credentials=pb.IntegrationCredentials(shop="a.myshopify.com", access_token=TOKEN),
            ),
            pb.ConnectIntegrationRequest(
                kind=pb.INTEGRATION_KIND_SHOPIFY,
                credentials=pb.IntegrationCredentials(shop="bad shop", access_token=TOKEN),
            ),
            pb.ConnectIntegrationRequest(
                kind=pb.INTEGRATION_KIND_OPENAI,
                credentials=pb.IntegrationCredentials(shop="a.myshopify.com", access_token=TOKEN),
            ),
            pb.ConnectIntegrationRequest(
                kind=pb.INTEGRATION_KIND_SHOPIFY,
                api_base_url="http://evil.example.com",
                credentials=pb.IntegrationCredentials(
                    shop="a.myshopify.com",
                    client_credentials=pb.ClientCredentials(
                        client_id="id", client_secret=CLIENT_SECRET
                    ),
                ),
            ),
            pb.ConnectIntegrationRequest(
                kind=pb.INTEGRATION_KIND_SHOPIFY,
                credentials=pb.IntegrationCredentials(
                    shop="a.myshopify.com",
                    client_credentials=pb.ClientCredentials(
                        client_id="id", client_secret=CLIENT_SECRET
                    ),
                ),
            ),
        ]
        for request in calls:
            try:
                seen.append(str(await stub.ConnectIntegration(request, metadata=auth(key))))
            except grpc.aio.AioRpcError as error:
                seen.append(f"{error.details()} {error.trailing_metadata()}")
        seen.append(
            str(await stub.ListIntegrations(pb.ListIntegrationsRequest(), metadata=auth(key)))
        )
        seen.append(
            str(
                await stub.GetIntegration(
                    pb.GetIntegrationRequest(name="integrations/shopify"), metadata=auth(key)
                )
            )
        )
        seen.append(
            str(
                await key_grpc.ApiKeyServiceStub(channel).ListApiKeys(
                    key_pb.ListApiKeysRequest(), metadata=auth(key)
                )
            )
        )
    captured = capsys.readouterr()
    everything = "\n".join([*seen, caplog.text, captured.out, captured.err])
    for canary in (TOKEN, CLIENT_SECRET, key):
        assert canary not in everything
