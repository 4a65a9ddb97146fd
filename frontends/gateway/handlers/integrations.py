"""Integrations: connect a store (credentials in, never out), and provision its skills."""

from __future__ import annotations

from typing import Any

from flowyte.v1 import integration_service_pb2 as pb
from frontends.gateway.handlers.agents import agent_name
from frontends.gateway.operation import Call, Page
from frontends.gateway.shapes import enum_from_rest, to_rest

KINDS = ("shopify", "openai")


def integration_name(call: Call) -> str:
    return f"integrations/{call.params['kind']}"


def _credentials(body: dict[str, Any]) -> pb.IntegrationCredentials:
    # REST keeps Shopify's flat names; the proto nests the client-credentials pair.
    creds = pb.IntegrationCredentials(shop=body.get("shop", ""))
    if "access_token" in body:
        creds.access_token = body["access_token"]
    else:
        creds.client_credentials.client_id = body.get("client_id", "")
        creds.client_credentials.client_secret = body.get("client_secret", "")
    return creds


async def connect(call: Call) -> Any:
    kind = enum_from_rest(pb.IntegrationKind.DESCRIPTOR, call.params["kind"])
    request = pb.ConnectIntegrationRequest(
        kind=kind,
        credentials=_credentials(call.body["credentials"]),
        api_base_url=call.body.get("apiBaseUrl", ""),
        api_version=call.body.get("apiVersion", ""),
    )
    reply = await call.client.integrations.ConnectIntegration(request, metadata=call.metadata)
    integration = to_rest(reply.integration)
    return {"status": integration["status"], **integration}


async def list_integrations(call: Call) -> Page:
    reply = await call.client.integrations.ListIntegrations(
        pb.ListIntegrationsRequest(page_size=call.page_size, page_token=call.page_token),
        metadata=call.metadata,
    )
    return Page([to_rest(i) for i in reply.integrations], reply.next_page_token or None)


async def get_integration(call: Call) -> Any:
    reply = await call.client.integrations.GetIntegration(
        pb.GetIntegrationRequest(name=integration_name(call)), metadata=call.metadata
    )
    return to_rest(reply.integration)


async def disconnect(call: Call) -> Any:
    await call.client.integrations.DisconnectIntegration(
        pb.DisconnectIntegrationRequest(name=integration_name(call)), metadata=call.metadata
    )
    return {"kind": call.params["kind"], "deleted": True}


async def list_actions(call: Call) -> Any:
    reply = await call.client.integrations.ListIntegrationActions(
        pb.ListIntegrationActionsRequest(name=integration_name(call)), metadata=call.metadata
    )
    return [to_rest(a) for a in reply.actions]


async def provision(call: Call) -> Any:
    request = pb.ProvisionIntegrationRequest(
        name=integration_name(call), agent=agent_name(call), actions=call.body.get("actions", [])
    )
    reply = await call.client.integrations.ProvisionIntegration(request, metadata=call.metadata)
    return [to_rest(p) for p in reply.skills]


async def unprovision(call: Call) -> Any:
    reply = await call.client.integrations.UnprovisionIntegration(
        pb.UnprovisionIntegrationRequest(name=integration_name(call), agent=agent_name(call)),
        metadata=call.metadata,
    )
    return {"removedSkillIds": list(reply.removed_skill_ids)}
