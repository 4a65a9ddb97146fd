"""Proto messages ⇄ REST JSON, driven by the message descriptors.

One walker serves every resource, so a field added to a proto shows up in REST without
touching the gateway. Which fields a request may carry comes from the contract's field
behaviours (flowyte.contract): output-only fields are shown, never accepted; input-only ones
accepted, never shown; a resource's `name` (its IDENTIFIER) is hidden, as REST uses `id`.
What REST spells differently is declared per message type below: `display_name` is REST
`name`, timestamps are `createdAt`-style, enums are lower-case without their prefix
(CHANNEL_CHAT → "chat"). Well-known types (Struct, Value, Timestamp) go through
google.protobuf.json_format.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from google.protobuf import descriptor, json_format, struct_pb2
from google.protobuf.message import Message

from flowyte import contract

FD = descriptor.FieldDescriptor
# The runtime (upb) descriptor classes are not the stubbed ones; both quack the same.
Desc = Any
M = TypeVar("M", bound=Message)


@dataclass(frozen=True)
class Shape:
    """How one message type looks in REST."""

    hidden: frozenset[str] = frozenset()  # proto fields REST never shows, besides `name`
    hidden_oneofs: frozenset[str] = frozenset()  # oneofs none of whose fields REST shows
    renames: Mapping[str, str] = field(default_factory=dict)  # proto name → REST name
    zero_is_null: frozenset[str] = frozenset()  # 0 or "" means "not set" for these


_TIMES = {
    "create_time": "createdAt",
    "update_time": "updatedAt",
    "revoke_time": "revokedAt",
    "end_time": "endedAt",
    "close_time": "closedAt",
}
_RESOURCE = {"display_name": "name"}

SHAPES: dict[str, Shape] = {
    "flowyte.v1.Agent": Shape(renames=_RESOURCE),
    "flowyte.v1.Skill": Shape(renames=_RESOURCE),
    "flowyte.v1.ApiKey": Shape(renames=_RESOURCE),
    "flowyte.v1.PublishableKey": Shape(renames=_RESOURCE),
    # Not answered yet, not Shopify, or connected: null, not "".
    "flowyte.v1.Integration": Shape(
        zero_is_null=frozenset(
            {"api_version", "answered_api_version", "status_reason", "status_message"}
        ),
    ),
    "flowyte.v1.Session": Shape(zero_is_null=frozenset({"agent_version", "handoff_id"})),
    "flowyte.v1.Handoff": Shape(zero_is_null=frozenset({"claimed_by"})),
    # Unassigned: null. A call not transferred, or with no caller or called number: null.
    "flowyte.v1.PhoneNumber": Shape(zero_is_null=frozenset({"agent_id"})),
    "flowyte.v1.Call": Shape(zero_is_null=frozenset({"from", "to", "transfer_destination"})),
    # A simulated conversation has no session: its events' conversationId is null, not "".
    # REST keeps API.md's `tsMs` and shows no second copy of the same instant.
    "flowyte.v1.AuditEvent": Shape(
        hidden=frozenset({"create_time"}), zero_is_null=frozenset({"conversation_id"})
    ),
    # REST keeps API.md's `config` object; the typed `settings` are the same, for gRPC.
    "flowyte.v1.GuardrailPolicy": Shape(hidden_oneofs=frozenset({"settings"})),
    "flowyte.v1.AgentVersion": Shape(
        renames={"number": "version"}, zero_is_null=frozenset({"rolled_back_from"})
    ),
}
_PLAIN = Shape()


def shape_of(desc: Desc) -> Shape:
    return SHAPES.get(desc.full_name, _PLAIN)


def rest_name(desc: Desc, fd: FD) -> str:
    shape = shape_of(desc)
    return shape.renames.get(fd.name) or _TIMES.get(fd.name) or fd.json_name


@functools.cache
def rest_fields(desc: Desc, *, for_input: bool) -> tuple[tuple[str, FD], ...]:
    """The (REST name, field) pairs REST shows, or accepts when `for_input`."""
    shape = shape_of(desc)
    one_way = contract.output_only(desc) if for_input else contract.input_only(desc)
    skip = shape.hidden | contract.identifier(desc) | one_way
    return tuple(
        (rest_name(desc, fd), fd)
        for fd in desc.fields
        if fd.name not in skip
        and not (fd.containing_oneof and fd.containing_oneof.name in shape.hidden_oneofs)
    )


def is_well_known(desc: Desc) -> bool:
    return desc.full_name.startswith("google.protobuf.")


def map_value(fd: FD) -> FD | None:
    """The value field of a map field's entries; None when `fd` is not a map."""
    entry = fd.message_type
    if entry is None or not entry.GetOptions().map_entry:
        return None
    return entry.fields_by_name["value"]


# --- enums -----------------------------------------------------------------------------


@functools.cache
def _enum_prefix(enum: descriptor.EnumDescriptor) -> str:
    zero = enum.values_by_number.get(0)
    if zero is not None and zero.name.endswith("UNSPECIFIED"):
        return zero.name[: -len("UNSPECIFIED")]
    return ""


def enum_values(enum: descriptor.EnumDescriptor) -> list[str]:
    """The REST spellings of an enum, without its UNSPECIFIED value."""
    prefix = _enum_prefix(enum)
    return [v.name[len(prefix) :].lower() for v in enum.values if v.number != 0]


def enum_to_rest(enum: descriptor.EnumDescriptor, number: int) -> str | int | None:
    if number == 0:
        return None
    value = enum.values_by_number.get(number)
    if value is None:  # a newer core's value: keep it rather than fail the whole response
        return number
    return value.name[len(_enum_prefix(enum)) :].lower()


def enum_from_rest(enum: descriptor.EnumDescriptor, text: str) -> str:
    return _enum_prefix(enum) + text.upper()


# --- proto → REST ----------------------------------------------------------------------


@functools.cache
def _shown(desc: Desc) -> tuple[tuple[str, FD, FD | None, bool, bool], ...]:
    """What `to_rest` walks for one message type, worked out once: (REST name, field, map
    value field, null when unset, null when zero)."""
    zero_is_null = shape_of(desc).zero_is_null
    return tuple(
        (key, fd, map_value(fd), fd.message_type is not None, fd.name in zero_is_null)
        for key, fd in rest_fields(desc, for_input=False)
    )


def to_rest(msg: Message) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, fd, value_fd, has_presence, zero_is_null in _shown(msg.DESCRIPTOR):
        value = getattr(msg, fd.name)
        if value_fd is not None:
            out[key] = {k: _value_to_rest(value_fd, v) for k, v in value.items()}
        elif fd.is_repeated:
            out[key] = [_value_to_rest(fd, v) for v in value]
        elif (has_presence and not msg.HasField(fd.name)) or (zero_is_null and not value):
            out[key] = None
        else:
            out[key] = _value_to_rest(fd, value)
    return out


def _value_to_rest(fd: FD, value: Any) -> Any:
    if fd.message_type is not None:
        if fd.message_type.full_name == "google.protobuf.Struct":
            return struct_to_rest(value)
        if is_well_known(fd.message_type):
            return json_format.MessageToDict(value)
        return to_rest(value)
    if fd.enum_type is not None:
        return enum_to_rest(fd.enum_type, value)
    return value


def struct_to_rest(struct: struct_pb2.Struct) -> dict[str, Any]:
    """What MessageToDict makes of a Struct (every event carries one), for about two thirds
    of its cost: MessageToDict's general walk looks descriptors up again for every value."""
    return {key: _struct_value(value) for key, value in struct.fields.items()}


def _struct_value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "struct_value":
        return struct_to_rest(value.struct_value)
    if kind == "list_value":
        return [_struct_value(item) for item in value.list_value.values]
    if kind is None or kind == "null_value":
        return None
    return getattr(value, kind)


# --- REST → proto ----------------------------------------------------------------------


def from_rest(body: Mapping[str, Any], message_type: type[M]) -> M:
    """Builds a message from a REST body that already passed its JSON Schema."""
    return json_format.ParseDict(_proto_dict(body, message_type.DESCRIPTOR), message_type())


def _proto_dict(body: Mapping[str, Any], desc: Desc) -> dict[str, Any]:
    by_rest = dict(rest_fields(desc, for_input=True))
    out: dict[str, Any] = {}
    for key, value in body.items():
        fd = by_rest[key]
        if value is None:  # null clears a field: leave it unset
            continue
        if fd.is_repeated and map_value(fd) is None:
            out[fd.name] = [_value_from_rest(fd, v) for v in value]
        else:
            out[fd.name] = _value_from_rest(fd, value)
    return out


def _value_from_rest(fd: FD, value: Any) -> Any:
    if fd.message_type is not None and not is_well_known(fd.message_type):
        return _proto_dict(value, fd.message_type)
    if fd.enum_type is not None:
        return enum_from_rest(fd.enum_type, value)
    return value


def update_mask_paths(body: Iterable[str], desc: Desc) -> list[str]:
    """The proto paths of the REST keys a PATCH body sets: only those fields change."""
    by_rest = dict(rest_fields(desc, for_input=True))
    return [by_rest[key].name for key in body]
