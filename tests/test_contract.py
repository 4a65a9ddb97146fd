"""Rules of the flowyte.v1 contract, read from the generated descriptors.

- Every RPC names the scope a caller needs (`required_scope`), and it is one of API.md's.
- No response carries a secret: no field reachable from any RPC's response is named like
  one, except CreateApiKeyResponse.secret (the caller's own new key, shown once).
- The integration credential messages appear only in requests.
- Every field carries `google.api.field_behavior` (AIP-203), and its comment opens with the
  same words (Required. Optional. Output only. Input only. Immutable. Identifier.), so the
  prose a person reads and the annotation a machine reads cannot drift apart.
- Resources declare `google.api.resource`; names in requests reference a declared one.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import grpc_tools
import pytest
from google.protobuf import descriptor_pb2
from google.protobuf.descriptor import Descriptor, FieldDescriptor, MethodDescriptor
from grpc_tools import protoc

import flowyte.v1
from flowyte import contract
from flowyte.v1 import annotations_pb2
from flowyte.v1.google_api import resource_pb2

PROTOS = Path(__file__).resolve().parent.parent / "protos"

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


def _modules() -> list[Any]:
    return [
        importlib.import_module(f"flowyte.v1.{info.name}")
        for info in pkgutil.iter_modules(flowyte.v1.__path__)
        if info.name.endswith("_pb2")
    ]


def _methods() -> list[MethodDescriptor]:
    methods = []
    for module in _modules():
        for service in module.DESCRIPTOR.services_by_name.values():
            methods.extend(service.methods)
    return methods


def _messages() -> list[Descriptor]:
    found: list[Descriptor] = []
    stack = [m for module in _modules() for m in module.DESCRIPTOR.message_types_by_name.values()]
    while stack:
        message = stack.pop()
        if message.GetOptions().map_entry:  # generated for a map field: no comments of its own
            continue
        found.append(message)
        stack.extend(message.nested_types)
    return sorted(found, key=lambda m: m.full_name)


METHODS = _methods()
MESSAGES = _messages()
FIELDS = [field for message in MESSAGES for field in message.fields]


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


# --- field behaviour: annotation and comment say the same -------------------------------

STATED = {
    "Required": contract.REQUIRED,
    "Optional": contract.OPTIONAL,
    "Output only": contract.OUTPUT_ONLY,
    "Input only": contract.INPUT_ONLY,
    "Immutable": contract.IMMUTABLE,
    "Identifier": contract.IDENTIFIER,
}
_OPENING_WORD = re.compile(r"\s*(" + "|".join(STATED) + r")\.")


def stated_behaviors(comment: str) -> frozenset[int]:
    """The behaviours a comment opens with: "Input only. Required. The credentials." gives
    INPUT_ONLY and REQUIRED."""
    found = set()
    while match := _OPENING_WORD.match(comment):
        found.add(STATED[match.group(1)])
        comment = comment[match.end() :]
    return frozenset(found)


def _collect_comments(
    messages: Any,
    path: tuple[int, ...],
    prefix: str,
    by_path: dict[tuple[int, ...], str],
    comments: dict[str, str],
) -> None:
    for m_index, message in enumerate(messages):
        m_path = (*path, m_index)
        for f_index, field in enumerate(message.field):  # 2: DescriptorProto.field
            comments[f"{prefix}{message.name}.{field.name}"] = by_path.get(
                (*m_path, 2, f_index), ""
            )
        # 3: DescriptorProto.nested_type
        _collect_comments(
            message.nested_type, (*m_path, 3), f"{prefix}{message.name}.", by_path, comments
        )


@cache
def field_comments() -> dict[str, str]:
    """The leading comment of every flowyte.v1 field, by full name, as protoc reads it."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "contract.binpb"
        args = [
            "grpc_tools.protoc",
            f"-I{PROTOS}",
            f"-I{Path(grpc_tools.__file__).parent / '_proto'}",
            "--include_source_info",
            f"--descriptor_set_out={out}",
            *[str(p.relative_to(PROTOS)) for p in sorted(PROTOS.glob("flowyte/v1/*.proto"))],
        ]
        assert protoc.main(args) == 0, "protoc failed"
        files = descriptor_pb2.FileDescriptorSet.FromString(out.read_bytes()).file
    comments: dict[str, str] = {}
    for file in files:
        by_path = {tuple(loc.path): loc.leading_comments for loc in file.source_code_info.location}
        # 4: FileDescriptorProto.message_type
        _collect_comments(file.message_type, (4,), f"{file.package}.", by_path, comments)
    return comments


def test_stated_behaviors_reads_the_opening_words_only() -> None:
    assert stated_behaviors(" Input only. Required. The credentials.\n") == {
        contract.INPUT_ONLY,
        contract.REQUIRED,
    }
    assert stated_behaviors(" Optional. Only agents with a published version.") == {
        contract.OPTIONAL
    }
    assert stated_behaviors(" The key. Required.") == frozenset()  # not at the opening


def test_every_field_states_its_behavior_in_annotation_and_comment() -> None:
    comments = field_comments()
    assert len(comments) >= len(FIELDS) > 300, "the comment reader missed fields"
    wrong = []
    for field in FIELDS:
        annotated = contract.behaviors(field)
        stated = stated_behaviors(comments[field.full_name])
        if not annotated or annotated != stated:
            names = {v: k for k, v in STATED.items()}
            wrong.append(
                f"{field.full_name}: annotation {sorted(names.get(b, str(b)) for b in annotated)}"
                f", comment {sorted(names[b] for b in stated)}"
            )
    assert not wrong, "field_behavior and comment disagree:\n" + "\n".join(wrong)


def test_a_field_is_either_output_only_or_input_only_or_neither() -> None:
    both = [
        f.full_name
        for f in FIELDS
        if {contract.OUTPUT_ONLY, contract.INPUT_ONLY} <= contract.behaviors(f)
        or {contract.REQUIRED, contract.OPTIONAL} <= contract.behaviors(f)
    ]
    assert not both, f"contradictory behaviours: {both}"


# --- resources ---------------------------------------------------------------------------


def _resource(message: Descriptor) -> Any:
    options: Any = message.GetOptions()
    return options.Extensions[resource_pb2.resource]


RESOURCES = {m.full_name: _resource(m) for m in MESSAGES if _resource(m).type}


def test_resources_are_named_by_an_identifier_field() -> None:
    assert len(RESOURCES) >= 8
    for message in MESSAGES:
        named = contract.identifier(message)
        if message.full_name in RESOURCES:
            resource = RESOURCES[message.full_name]
            assert named == {"name"}, f"{message.full_name}: its `name` is the IDENTIFIER"
            assert resource.type.startswith("flowyte.dev/") and resource.pattern, message
            assert resource.type == "flowyte.dev/" + message.name
        else:
            assert not named, f"{message.full_name} has an IDENTIFIER but is no resource"


def test_names_in_requests_reference_a_declared_resource() -> None:
    declared = {r.type for r in RESOURCES.values()}
    unreferenced = []
    for method in METHODS:
        for field in method.input_type.fields:
            options: Any = field.GetOptions()
            reference = options.Extensions[resource_pb2.resource_reference]
            if reference.type or reference.child_type:
                assert {reference.type or reference.child_type} <= declared, field.full_name
            elif field.name in ("name", "parent") and field.type == FieldDescriptor.TYPE_STRING:
                unreferenced.append(field.full_name)
    assert not unreferenced, f"resource names without a resource_reference: {unreferenced}"
