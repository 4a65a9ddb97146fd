"""IntegrationService: connect stores (credentials sealed, never returned) and provision
their actions as skills."""

from __future__ import annotations

from typing import Any

import flowyte.v1.integration_service_pb2 as pb
import flowyte.v1.integration_service_pb2_grpc as pb_grpc
import flowyte.v1.skill_service_pb2 as skill_pb
from core.domain import integrations as rules
from core.domain import provisioning, validation
from core.domain.errors import InvalidArgument
from core.domain.store_errors import merchant_words
from core.runtime import Runtime
from core.services.integrations import Integrations
from core.shopify.queries import DEFAULT_API_VERSION
from core.store.tables import IntegrationRow

from . import paging, principal, skills
from .convert import from_document, resource_id, timestamp, to_document

KINDS = {pb.INTEGRATION_KIND_SHOPIFY: "shopify", pb.INTEGRATION_KIND_OPENAI: "openai"}
_KIND_ENUM = {v: k for k, v in KINDS.items()}
_STATUS = {
    "connected": pb.INTEGRATION_STATUS_CONNECTED,
    "needs_credential": pb.INTEGRATION_STATUS_NEEDS_CREDENTIAL,
    "unavailable": pb.INTEGRATION_STATUS_UNAVAILABLE,
    "misconfigured": pb.INTEGRATION_STATUS_MISCONFIGURED,
}
_AUTH = {
    "access_token": pb.AUTH_METHOD_ACCESS_TOKEN,
    "client_credentials": pb.AUTH_METHOD_CLIENT_CREDENTIALS,
}


def to_proto(row: IntegrationRow) -> pb.Integration:
    return pb.Integration(
        name=f"integrations/{row.kind}",
        id=row.id,
        kind=_KIND_ENUM[row.kind],
        shop=row.shop,
        status=_STATUS[row.status],
        token_last4=row.token_last4,
        auth_method=_AUTH[row.auth_method],
        api_base_url=row.api_base_url,
        create_time=timestamp(row.created_ms),
        update_time=timestamp(row.updated_ms),
        api_version=(row.api_version or DEFAULT_API_VERSION) if row.kind == "shopify" else "",
        answered_api_version=row.answered_api_version,
        status_reason=row.status_reason,
        status_message=merchant_words(row.status_reason) if row.status_reason else "",
    )


def kind_of(name: str) -> str:
    kind = resource_id(name, "integrations", "name")
    if kind not in _KIND_ENUM:
        raise InvalidArgument("must be integrations/shopify or integrations/openai", field="name")
    return kind


def _skill_of(description: str) -> tuple[str, dict[str, Any]]:
    """The lookup skill provisioning adds, as the contract's Skill would store it."""
    skill = from_document(provisioning.lookup_order_skill(description), skill_pb.Skill)
    return skill.display_name, to_document(skill, skills.NOT_IN_DEFINITION)


class IntegrationServicer(pb_grpc.IntegrationServiceServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.integrations = Integrations(runtime)

    async def ConnectIntegration(
        self, request: pb.ConnectIntegrationRequest, context: object
    ) -> pb.ConnectIntegrationResponse:
        kind = KINDS.get(request.kind)
        if kind is None:
            raise InvalidArgument("must be shopify or openai", field="kind")
        given = request.credentials
        creds = rules.check_credentials(
            kind,
            rules.Credentials(
                given.shop,
                given.access_token,
                given.client_credentials.client_id,
                given.client_credentials.client_secret,
            ),
        )
        api_version = rules.check_api_version(kind, request.api_version)
        base_url = ""
        if request.api_base_url:
            settings = self.runtime.settings
            base_url = validation.api_base_url(
                request.api_base_url, "api_base_url", settings.allowed_api_hosts, settings.demo
            )
        row = await self.integrations.connect(
            principal.current().org_id, kind, creds, api_version, base_url
        )
        return pb.ConnectIntegrationResponse(integration=to_proto(row))

    async def GetIntegration(
        self, request: pb.GetIntegrationRequest, context: object
    ) -> pb.GetIntegrationResponse:
        return pb.GetIntegrationResponse(
            integration=to_proto(
                await self.integrations.get(principal.current().org_id, kind_of(request.name))
            )
        )

    async def ListIntegrations(
        self, request: pb.ListIntegrationsRequest, context: object
    ) -> pb.ListIntegrationsResponse:
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        rows, last = await self.integrations.list_page(principal.current().org_id, after, size)
        return pb.ListIntegrationsResponse(
            integrations=[to_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def DisconnectIntegration(
        self, request: pb.DisconnectIntegrationRequest, context: object
    ) -> pb.DisconnectIntegrationResponse:
        kind = kind_of(request.name)
        await self.integrations.disconnect(principal.current().org_id, kind)
        return pb.DisconnectIntegrationResponse()

    async def ListIntegrationActions(
        self, request: pb.ListIntegrationActionsRequest, context: object
    ) -> pb.ListIntegrationActionsResponse:
        actions = rules.ACTIONS[kind_of(request.name)]
        return pb.ListIntegrationActionsResponse(
            actions=[
                pb.IntegrationAction(name=a.name, description=a.description, is_write=a.is_write)
                for a in actions
            ]
        )

    async def ProvisionIntegration(
        self, request: pb.ProvisionIntegrationRequest, context: object
    ) -> pb.ProvisionIntegrationResponse:
        kind = kind_of(request.name)
        available = {a.name: a for a in rules.ACTIONS[kind]}
        wanted = list(request.actions) or [a.name for a in rules.ACTIONS[kind] if not a.is_write]
        for index, action in enumerate(wanted):
            if action not in available:
                raise InvalidArgument(f"unknown action {action!r}", field=f"actions[{index}]")
        agent_id = resource_id(request.agent, "agents", "agent")
        made = await self.integrations.provision(
            principal.current().org_id,
            agent_id,
            kind,
            wanted,
            {name: action.description for name, action in available.items()},
            _skill_of,
        )
        results = [
            pb.ProvisionedSkill(skill=skills.to_proto(row), created=created)
            for row, created in made
        ]
        return pb.ProvisionIntegrationResponse(skills=results)

    async def UnprovisionIntegration(
        self, request: pb.UnprovisionIntegrationRequest, context: object
    ) -> pb.UnprovisionIntegrationResponse:
        kind = kind_of(request.name)
        agent_id = resource_id(request.agent, "agents", "agent")
        names = [a.name for a in rules.ACTIONS[kind]]
        removed = await self.integrations.unprovision(principal.current().org_id, agent_id, names)
        return pb.UnprovisionIntegrationResponse(removed_skill_ids=removed)
