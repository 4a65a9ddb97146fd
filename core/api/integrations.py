"""IntegrationService: connect stores (credentials sealed, never returned) and provision
their actions as skills."""

from __future__ import annotations

import json

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

import flowyte.v1.integration_service_pb2 as pb
import flowyte.v1.integration_service_pb2_grpc as pb_grpc
import flowyte.v1.skill_service_pb2 as skill_pb
from core.domain import integrations as rules
from core.domain import provisioning, validation
from core.domain.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from core.domain.ids import new_id
from core.domain.store_errors import merchant_words
from core.runtime import Runtime
from core.shopify.queries import DEFAULT_API_VERSION
from core.store.repository import org_query, owned, page
from core.store.tables import AgentRow, IntegrationRow, SkillRow
from core.vault import associated_data

from . import paging, principal, skills
from .convert import from_document, resource_id, timestamp

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


class IntegrationServicer(pb_grpc.IntegrationServiceServicer):
    def __init__(self, runtime: Runtime):
        self.runtime = runtime

    async def _row(self, kind: str) -> IntegrationRow:
        async with self.runtime.sessions() as session:
            row = await session.scalar(
                org_query(IntegrationRow, principal.current().org_id).where(
                    IntegrationRow.kind == kind
                )
            )
        if row is None:
            raise NotFound("integration")
        return row

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
        plaintext = json.dumps(
            {
                "access_token": creds.access_token,
                "client_id": creds.client_id,
                "client_secret": creds.client_secret,
            }
        ).encode()
        org_id = principal.current().org_id
        async with self.runtime.sessions() as session:
            row = await session.scalar(
                org_query(IntegrationRow, org_id).where(IntegrationRow.kind == kind)
            )
            stamp = self.runtime.now_ms()
            if row is None:
                row = IntegrationRow(
                    id=new_id("integration"), org_id=org_id, kind=kind, created_ms=stamp
                )
                session.add(row)
            # Reconnecting replaces the credentials: that is how a merchant rotates a token.
            row.shop, row.status, row.auth_method = creds.shop, "connected", creds.auth_method
            row.status_reason = ""
            row.token_last4, row.api_base_url, row.updated_ms = creds.last4, base_url, stamp
            # What the store answered in was said to the old connection; the next lookup says.
            row.api_version, row.answered_api_version = api_version, ""
            row.sealed_credentials = self.runtime.sealer.seal(
                plaintext, associated_data("integration", org_id, row.id)
            )
            try:
                await session.commit()
            except IntegrityError:
                raise Conflict("the integration was connected at the same time; retry") from None
        return pb.ConnectIntegrationResponse(integration=to_proto(row))

    async def GetIntegration(
        self, request: pb.GetIntegrationRequest, context: object
    ) -> pb.GetIntegrationResponse:
        return pb.GetIntegrationResponse(
            integration=to_proto(await self._row(kind_of(request.name)))
        )

    async def ListIntegrations(
        self, request: pb.ListIntegrationsRequest, context: object
    ) -> pb.ListIntegrationsResponse:
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        query = org_query(IntegrationRow, principal.current().org_id)
        async with self.runtime.sessions() as session:
            rows, last = await page(session, query, IntegrationRow.kind, after, size)
        return pb.ListIntegrationsResponse(
            integrations=[to_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def DisconnectIntegration(
        self, request: pb.DisconnectIntegrationRequest, context: object
    ) -> pb.DisconnectIntegrationResponse:
        kind = kind_of(request.name)
        org_id = principal.current().org_id
        async with self.runtime.sessions() as session:
            result = await session.execute(
                delete(IntegrationRow).where(
                    IntegrationRow.org_id == org_id, IntegrationRow.kind == kind
                )
            )
            await session.commit()
        if not result.rowcount:  # type: ignore[attr-defined]
            raise NotFound("integration")
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
        org_id = principal.current().org_id
        async with self.runtime.sessions() as session:
            agent = await owned(session, AgentRow, org_id, agent_id, "agent")
            connected = await session.scalar(
                org_query(IntegrationRow, org_id).where(IntegrationRow.kind == kind)
            )
            if connected is None:
                raise FailedPrecondition(
                    f"connect a {kind} store first (POST /integrations/{kind}/connect)",
                    "INTEGRATION_NOT_CONNECTED",
                )
            results = []
            for action in wanted:
                existing = await session.scalar(
                    select(SkillRow).where(SkillRow.agent_id == agent_id, SkillRow.name == action)
                )
                if existing is not None:
                    results.append(
                        pb.ProvisionedSkill(skill=skills.to_proto(existing), created=False)
                    )
                    continue
                document = provisioning.lookup_order_skill(available[action].description)
                row = await skills.insert_skill(
                    session,
                    self.runtime.sealer,
                    org_id,
                    agent_id,
                    from_document(document, skill_pb.Skill),
                    self.runtime.now_ms(),
                )
                results.append(pb.ProvisionedSkill(skill=skills.to_proto(row), created=True))
                # Secure unless the merchant loosens it: added only where none exists yet.
                if not any(
                    p.get("policy_type") == "POLICY_TYPE_VERIFY_BEFORE_DISCLOSE"
                    for p in agent.guardrails
                ):
                    agent.guardrails = [*agent.guardrails, provisioning.disclosure_policy()]
                if not any(
                    m.get("method") == "VERIFICATION_METHOD_ORDER_MATCH"
                    for m in agent.caller_verification
                ):
                    agent.caller_verification = [
                        *agent.caller_verification,
                        provisioning.order_match_method(row.id),
                    ]
                agent.updated_ms = self.runtime.now_ms()
            await session.commit()
        return pb.ProvisionIntegrationResponse(skills=results)

    async def UnprovisionIntegration(
        self, request: pb.UnprovisionIntegrationRequest, context: object
    ) -> pb.UnprovisionIntegrationResponse:
        kind = kind_of(request.name)
        agent_id = resource_id(request.agent, "agents", "agent")
        names = [a.name for a in rules.ACTIONS[kind]]
        async with self.runtime.sessions() as session:
            await owned(session, AgentRow, principal.current().org_id, agent_id, "agent")
            rows = list(
                (
                    await session.scalars(
                        select(SkillRow).where(
                            SkillRow.agent_id == agent_id, SkillRow.name.in_(names)
                        )
                    )
                ).all()
            )
            for row in rows:
                await session.delete(row)
            await session.commit()
        return pb.UnprovisionIntegrationResponse(removed_skill_ids=[r.id for r in rows])
