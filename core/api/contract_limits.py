"""Limits the contract states on a request's fields (`max_items`), enforced by the gate on
every RPC: the number a frontend documents (and may check early) is the one the core holds
every caller to, gRPC ones included, and it is written down once, in protos/."""

from __future__ import annotations

from functools import cache

from google.protobuf.descriptor import Descriptor
from google.protobuf.message import Message

from core.domain.errors import InvalidArgument
from flowyte.contract import max_items


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
