"""Connecting `flowyte serve --demo` to its bundled demo store, through the public API.

The demo goes through the same calls a merchant makes (connect, provision, publish), so a
demo that works is evidence the product path works.
"""

from __future__ import annotations

import grpc
import grpc.aio
from google.protobuf import field_mask_pb2

from flowyte.client import FlowyteClient
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import integration_service_pb2 as integration_pb
from flowyte.v1 import number_service_pb2 as number_pb
from flowyte.v1 import widget_service_pb2 as widget_pb


async def connect_demo_store(
    core_target: str, api_key: str, agent_id: str, shop: str, access_token: str, base_url: str
) -> None:
    agent_name = f"agents/{agent_id}"
    async with FlowyteClient(core_target, api_key) as client:
        # Reconnecting replaces the credentials and base URL: the store's port changes per run.
        await client.integrations.ConnectIntegration(
            integration_pb.ConnectIntegrationRequest(
                kind=integration_pb.INTEGRATION_KIND_SHOPIFY,
                credentials=integration_pb.IntegrationCredentials(
                    shop=shop, access_token=access_token
                ),
                api_base_url=base_url,
            )
        )
        provisioned = await client.integrations.ProvisionIntegration(
            integration_pb.ProvisionIntegrationRequest(
                name="integrations/shopify", agent=agent_name
            )
        )
        agent = (await client.agents.GetAgent(agent_pb.GetAgentRequest(name=agent_name))).agent
        # Publish once, and again only when provisioning changed the draft: restarts of the
        # demo must not pile up identical versions.
        if agent.published_version == 0 or any(s.created for s in provisioned.skills):
            await client.agents.PublishAgent(
                agent_pb.PublishAgentRequest(name=agent_name, note="demo: order lookup")
            )


# A number from the range kept for fiction (555-0100 to 555-0199): nobody's real line.
DEMO_NUMBER = "+15550100100"


async def assign_demo_number(
    core_target: str, api_key: str, agent_id: str, e164: str = DEMO_NUMBER
) -> str | None:
    """`e164` imported (on the first run) and assigned to the demo agent, as the core now
    holds it; None when this core has no numbers yet or another organization holds it."""
    async with FlowyteClient(core_target, api_key) as client:
        try:
            found = await client.numbers.ImportNumber(
                number_pb.ImportNumberRequest(e164=e164, agent_id=agent_id)
            )
            return found.number.e164
        except grpc.aio.AioRpcError as err:
            if err.code() == grpc.StatusCode.UNIMPLEMENTED:
                return None
            if err.code() != grpc.StatusCode.ALREADY_EXISTS:
                raise
        # A restart: the demo organization imported it before; route it to the agent again.
        token = ""
        while True:
            page = await client.numbers.ListNumbers(
                number_pb.ListNumbersRequest(page_size=200, page_token=token)
            )
            for number in page.numbers:
                if number.e164 == e164:
                    assigned = await client.numbers.AssignNumber(
                        number_pb.AssignNumberRequest(name=number.name, agent_id=agent_id)
                    )
                    return assigned.number.e164
            token = page.next_page_token
            if not token:
                return None


async def create_demo_publishable_key(
    core_target: str, api_key: str, agent_id: str
) -> tuple[str, str] | None:
    """A publishable key for the demo storefront (its value and its resource name), or None
    when this core has no widget yet.

    Its origin is set once the storefront is up (`allow_storefront_origin`): the port, hence
    the origin, is only known then.
    """
    async with FlowyteClient(core_target, api_key) as client:
        try:
            created = await client.widget.CreatePublishableKey(
                widget_pb.CreatePublishableKeyRequest(
                    parent=f"agents/{agent_id}",
                    publishable_key=widget_pb.PublishableKey(
                        display_name="demo storefront",
                        allowed_origins=["http://127.0.0.1"],
                        # Everyone trying the demo on this machine is one visitor (one
                        # address): the default 30 a minute would cut a demo short.
                        rate_limit_rpm=600,
                    ),
                )
            )
        except grpc.aio.AioRpcError as err:
            if err.code() == grpc.StatusCode.UNIMPLEMENTED:
                return None
            raise
        return created.publishable_key.key_public, created.publishable_key.name


async def allow_storefront_origin(
    core_target: str, api_key: str, key_name: str, storefront_url: str
) -> None:
    """Pins the demo key to the storefront's origin: scheme, host and port, exactly."""
    origin = storefront_url.rstrip("/")
    async with FlowyteClient(core_target, api_key) as client:
        await client.widget.UpdatePublishableKey(
            widget_pb.UpdatePublishableKeyRequest(
                publishable_key=widget_pb.PublishableKey(name=key_name, allowed_origins=[origin]),
                update_mask=field_mask_pb2.FieldMask(paths=["allowed_origins"]),
            )
        )
