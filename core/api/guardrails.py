"""GuardrailService: the draft's guardrails and caller verification (replaced whole)."""

from __future__ import annotations

import flowyte.v1.guardrail_service_pb2 as pb
import flowyte.v1.guardrail_service_pb2_grpc as pb_grpc
from core.domain import guardrails as rules
from core.runtime import Runtime
from core.services.guardrails import Guardrails
from core.store.tables import AgentRow

from . import policy_settings, principal
from .convert import from_document, resource_id, to_document


def policies(row: AgentRow) -> list[pb.GuardrailPolicy]:
    """The draft's policies as stored: what a published version freezes."""
    return [from_document(d, pb.GuardrailPolicy) for d in row.guardrails]


def answered_policies(row: AgentRow) -> list[pb.GuardrailPolicy]:
    """The draft's policies as answered: typed settings filled too."""
    return [policy_settings.answered(p) for p in policies(row)]


def methods(row: AgentRow) -> list[pb.CallerVerificationMethod]:
    return [from_document(d, pb.CallerVerificationMethod) for d in row.caller_verification]


def _agent(parent: str) -> tuple[str, str]:
    """The caller's organization and the agent `parent` names."""
    return principal.current().org_id, resource_id(parent, "agents", "parent")


class GuardrailServicer(pb_grpc.GuardrailServiceServicer):
    def __init__(self, runtime: Runtime):
        self.guardrails = Guardrails(runtime)

    async def GetGuardrails(
        self, request: pb.GetGuardrailsRequest, context: object
    ) -> pb.GetGuardrailsResponse:
        row = await self.guardrails.agent(*_agent(request.parent))
        return pb.GetGuardrailsResponse(guardrails=answered_policies(row))

    async def ReplaceGuardrails(
        self, request: pb.ReplaceGuardrailsRequest, context: object
    ) -> pb.ReplaceGuardrailsResponse:
        documents = policy_settings.stored_policies(request.guardrails)
        row = await self.guardrails.replace_policies(*_agent(request.parent), documents)
        return pb.ReplaceGuardrailsResponse(guardrails=answered_policies(row))

    async def GetCallerVerification(
        self, request: pb.GetCallerVerificationRequest, context: object
    ) -> pb.GetCallerVerificationResponse:
        return pb.GetCallerVerificationResponse(
            methods=methods(await self.guardrails.agent(*_agent(request.parent)))
        )

    async def ReplaceCallerVerification(
        self, request: pb.ReplaceCallerVerificationRequest, context: object
    ) -> pb.ReplaceCallerVerificationResponse:
        documents = rules.normalise_methods([to_document(m) for m in request.methods])
        row = await self.guardrails.replace_methods(*_agent(request.parent), documents)
        return pb.ReplaceCallerVerificationResponse(methods=methods(row))
