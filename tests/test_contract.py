"""Rules of the flowyte.v1 contract, read from the generated descriptors.

- Every RPC names the scope a caller needs (`required_scope`), and it is one of API.md's.
- No response carries a secret: no field reachable from any RPC's response is named like
  one, except CreateApiKeyResponse.secret (the caller's own new key, shown once).
- The integration credential messages appear only in requests.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor

import flowyte.v1
from flowyte.v1 import annotations_pb2

# API.md, "Scopes". chat:public belongs to publishable keys only.
API_SCOPES = frozenset(
    {
        "agents:read",
        "agents:write",
        "skills:read",
        "skills:write",
        "guardrails:read",
        "guardrails:write",
        "integrations:read",
        "integrations:write",
        "chat:read",
        "chat:write",
        "chat:public",
        "pubkeys:read",
        "pubkeys:write",
        "widgets:read",
        "widgets:write",
        "numbers:read",
        "numbers:write",
        "calls:read",
        "handoffs:read",
        "handoffs:write",
        "keys:write",
    }
)

SECRET_NAMES = frozenset(
    {
        "access_token",
        "refresh_token",
        "client_secret",
        "api_key",
        "password",
        "token",
        "secret",
        "private_key",
        "master_key",
        "credentials",
    }
)
SECRET_SUFFIXES = ("_password", "_secret", "_access_token", "_refresh_token", "_private_key")
ALLOWED_SECRET_FIELDS = frozenset({"flowyte.v1.CreateApiKeyResponse.secret"})
CREDENTIAL_MESSAGES = frozenset(
    {"flowyte.v1.IntegrationCredentials", "flowyte.v1.ClientCredentials"}
)


def _methods() -> list[MethodDescriptor]:
    methods = []
    for info in pkgutil.iter_modules(flowyte.v1.__path__):
        if not info.name.endswith("_pb2"):
            continue
        module = importlib.import_module(f"flowyte.v1.{info.name}")
        for service in module.DESCRIPTOR.services_by_name.values():
            methods.extend(service.methods)
    return methods


METHODS = _methods()


def _reachable(root: Descriptor) -> Iterator[Descriptor]:
    seen: set[str] = set()
    stack = [root]
    while stack:
        message = stack.pop()
        if message.full_name in seen:
            continue
        seen.add(message.full_name)
        yield message
        stack.extend(f.message_type for f in message.fields if f.message_type is not None)


def _looks_secret(field: Any) -> bool:  # descriptor stubs disagree between backends
    if field.message_type is not None and field.message_type.full_name in CREDENTIAL_MESSAGES:
        return True
    if field.type not in (FieldDescriptor.TYPE_STRING, FieldDescriptor.TYPE_BYTES):
        return False
    return field.name in SECRET_NAMES or field.name.endswith(SECRET_SUFFIXES)


def test_the_contract_has_services() -> None:
    services = {m.containing_service.full_name for m in METHODS}
    assert "flowyte.v1.AgentService" in services
    assert "flowyte.v1.ApiKeyService" in services
    assert len(METHODS) >= 40


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.full_name)
def test_every_rpc_requires_a_known_scope(method: MethodDescriptor) -> None:
    options: Any = method.GetOptions()
    assert options.HasExtension(annotations_pb2.required_scope), (
        f"{method.full_name} has no (flowyte.v1.required_scope) option"
    )
    scope = options.Extensions[annotations_pb2.required_scope]
    assert scope in API_SCOPES, f"{method.full_name}: {scope!r} is not a scope of API.md"


def test_no_response_carries_a_secret() -> None:
    leaks = set()
    for method in METHODS:
        for message in _reachable(method.output_type):
            for field in message.fields:
                if _looks_secret(field) and field.full_name not in ALLOWED_SECRET_FIELDS:
                    leaks.add(f"{field.full_name} (reachable from {method.full_name})")
    assert not leaks, "response fields that could carry a secret:\n" + "\n".join(sorted(leaks))


def test_credential_messages_appear_in_requests_only() -> None:
    in_requests: set[str] = set()
    in_responses: set[str] = set()
    for method in METHODS:
        in_requests |= {m.full_name for m in _reachable(method.input_type)}
        in_responses |= {m.full_name for m in _reachable(method.output_type)}
    assert in_requests >= CREDENTIAL_MESSAGES, "the credential messages are no longer used"
    assert not CREDENTIAL_MESSAGES & in_responses, (
        f"credential messages reachable from a response: {CREDENTIAL_MESSAGES & in_responses}"
    )


def test_the_secret_check_catches_a_leak() -> None:
    # Guards the guard: the one allowed field is flagged by the name rule itself.
    from flowyte.v1 import api_key_service_pb2, integration_service_pb2

    secret = api_key_service_pb2.CreateApiKeyResponse.DESCRIPTOR.fields_by_name["secret"]
    assert _looks_secret(secret)
    token = integration_service_pb2.IntegrationCredentials.DESCRIPTOR.fields_by_name["access_token"]
    assert _looks_secret(token)
    creds = integration_service_pb2.ConnectIntegrationRequest.DESCRIPTOR.fields_by_name[
        "credentials"
    ]
    assert _looks_secret(creds)
