"""Limits the contract states on a request's fields (`max_items`), enforced by the gate on
every RPC: the number a frontend documents (and may check early) is the one the core holds
every caller to, gRPC ones included, and it is written down once, in protos/."""

from __future__ import annotations

from functools import cache
from typing import Any

from google.protobuf.descriptor import Descriptor, FieldDescriptor
from google.protobuf.message import Message

import flowyte.v1.annotations_pb2 as annotations_pb2
from core.domain.errors import InvalidArgument


def max_items(field: FieldDescriptor) -> int:
    """The field's `max_items` option; 0 when the contract sets none."""
    options: Any = field.GetOptions().Extensions  # the stubs type extensions loosely
    return int(options[annotations_pb2.max_items])


@cache
def _limited_fields(message: Descriptor) -> tuple[tuple[str, int], ...]:
    return tuple(
        (field.name, limit)
        for field in message.fields
        if field.is_repeated and (limit := max_items(field))
    )


def check(request: Message) -> None:
    for name, limit in _limited_fields(request.DESCRIPTOR):
        if len(getattr(request, name)) > limit:
            raise InvalidArgument(f"must have at most {limit} items", field=name)
