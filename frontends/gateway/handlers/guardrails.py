"""Guardrails and caller verification: each a list the PUT replaces whole."""

from __future__ import annotations

from typing import Any

from flowyte.v1 import guardrail_service_pb2 as pb
from frontends.gateway.handlers.agents import agent_name
from frontends.gateway.operation import Call
from frontends.gateway.shapes import from_rest, to_rest


async def get_guardrails(call: Call) -> Any:
    reply = await call.client.guardrails.GetGuardrails(
        pb.GetGuardrailsRequest(parent=agent_name(call)), metadata=call.metadata
    )
    return [to_rest(g) for g in reply.guardrails]


async def replace_guardrails(call: Call) -> Any:
    # As with skills, a policy is enforced unless the body says isEnabled: false.
    policies = [
        from_rest({"isEnabled": True, **g}, pb.GuardrailPolicy) for g in call.body["guardrails"]
    ]
    reply = await call.client.guardrails.ReplaceGuardrails(
        pb.ReplaceGuardrailsRequest(parent=agent_name(call), guardrails=policies),
        metadata=call.metadata,
    )
    return [to_rest(g) for g in reply.guardrails]


async def get_caller_verification(call: Call) -> Any:
    reply = await call.client.guardrails.GetCallerVerification(
        pb.GetCallerVerificationRequest(parent=agent_name(call)), metadata=call.metadata
    )
    return [to_rest(m) for m in reply.methods]


async def replace_caller_verification(call: Call) -> Any:
    methods = [from_rest(m, pb.CallerVerificationMethod) for m in call.body["methods"]]
    reply = await call.client.guardrails.ReplaceCallerVerification(
        pb.ReplaceCallerVerificationRequest(parent=agent_name(call), methods=methods),
        metadata=call.metadata,
    )
    return [to_rest(m) for m in reply.methods]
