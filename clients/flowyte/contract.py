"""What the flowyte.v1 contract says about itself, read off the generated descriptors.

The protos state each rule once: the scope an RPC needs (`required_scope`), whether it
replays a retry (`idempotent`), how many items a list may carry (`max_items`), and how each
field behaves (`google.api.field_behavior`, AIP-203). The core, the frontends and any client
read them here rather than restating them, so a field the contract marks output only is at
once ignored by the core in a request and `readOnly` in the gateway's OpenAPI.

Plain protobuf: nothing here imports grpc or server code, and descriptors of either
protobuf backend (upb or pure Python) work.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from flowyte.v1 import annotations_pb2
from flowyte.v1.google_api import field_behavior_pb2

# The descriptor classes of the two protobuf backends differ; both quack the same.
Descriptor = Any
FieldDescriptor = Any
MethodDescriptor = Any

REQUIRED = field_behavior_pb2.REQUIRED
OPTIONAL = field_behavior_pb2.OPTIONAL
OUTPUT_ONLY = field_behavior_pb2.OUTPUT_ONLY
INPUT_ONLY = field_behavior_pb2.INPUT_ONLY
IMMUTABLE = field_behavior_pb2.IMMUTABLE
IDENTIFIER = field_behavior_pb2.IDENTIFIER


def _extensions(descriptor: Any) -> Any:
    return descriptor.GetOptions().Extensions  # the stubs type extensions too narrowly


def behaviors(field: FieldDescriptor) -> frozenset[int]:
    """The field's `google.api.field_behavior` values (FieldBehavior numbers)."""
    return frozenset(_extensions(field)[field_behavior_pb2.field_behavior])


@cache
def fields_with(message: Descriptor, behavior: int) -> frozenset[str]:
    """The names of the message's fields annotated with `behavior`."""
    return frozenset(f.name for f in message.fields if behavior in behaviors(f))


def output_only(message: Descriptor) -> frozenset[str]:
    return fields_with(message, OUTPUT_ONLY)


def input_only(message: Descriptor) -> frozenset[str]:
    return fields_with(message, INPUT_ONLY)


def immutable(message: Descriptor) -> frozenset[str]:
    return fields_with(message, IMMUTABLE)


def identifier(message: Descriptor) -> frozenset[str]:
    """The resource's `name` field (empty for a message that is not a resource)."""
    return fields_with(message, IDENTIFIER)


def set_by_server(message: Descriptor) -> frozenset[str]:
    """What a caller never sets on a resource: the name the server gives it and the output
    only fields. AIP-203: in a request, and in an update mask, they are ignored."""
    return output_only(message) | identifier(message)


def max_items(field: FieldDescriptor) -> int:
    """The most items a repeated field may carry (`max_items`); 0 when the contract sets
    none. The core enforces it, and a frontend may check it early with the same number."""
    return int(_extensions(field)[annotations_pb2.max_items])


def required_scope(method: MethodDescriptor) -> str:
    """The scope a caller's key must hold to call the RPC; "" when it declares none (the
    core then refuses everybody)."""
    return str(_extensions(method)[annotations_pb2.required_scope])


def idempotent(method: MethodDescriptor) -> bool:
    """Whether the RPC replays a retry carrying the same `idempotency-key`."""
    return bool(_extensions(method)[annotations_pb2.idempotent])
