"""Connecting `flowyte serve --demo` to its bundled demo store, through the public API.

The demo goes through the same calls a merchant makes (connect, provision, publish), so a
demo that works is evidence the product path works.
"""

from __future__ import annotations

from flowyte.client import FlowyteClient
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import integration_service_pb2 as integration_pb


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
