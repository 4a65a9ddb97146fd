"""JSON Schemas of REST bodies and responses, derived from the proto descriptors.

Derived, not hand-written, so the schema that validates a request, the shape `shapes.py`
produces and the OpenAPI document cannot disagree with the contract or with each other.
Input schemas are strict (no unknown or output-only fields); the core still owns every
semantic rule (E.164, shop domains, known scopes, …). The contract's field behaviours show
as JSON Schema's own words: an OUTPUT_ONLY field is `readOnly`, an INPUT_ONLY one
`writeOnly`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from google.protobuf.message import Message

from flowyte import contract
from flowyte.contract import max_items
from frontends.gateway.shapes import FD, Desc, enum_values, map_value, rest_fields, shape_of

Schema = dict[str, Any]

_INT32 = {"type": "integer", "minimum": -(2**31), "maximum": 2**31 - 1}
_INT64 = {"type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1}
_SCALARS: dict[int, Schema] = {
    FD.TYPE_STRING: {"type": "string"},
    FD.TYPE_BYTES: {"type": "string"},
    FD.TYPE_BOOL: {"type": "boolean"},
    FD.TYPE_DOUBLE: {"type": "number"},
    FD.TYPE_FLOAT: {"type": "number"},
    FD.TYPE_INT32: _INT32,
    FD.TYPE_SINT32: _INT32,
    FD.TYPE_SFIXED32: _INT32,
    FD.TYPE_UINT32: {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
    FD.TYPE_FIXED32: {"type": "integer", "minimum": 0, "maximum": 2**32 - 1},
    FD.TYPE_INT64: _INT64,
    FD.TYPE_SINT64: _INT64,
    FD.TYPE_SFIXED64: _INT64,
    FD.TYPE_UINT64: {"type": "integer", "minimum": 0, "maximum": 2**64 - 1},
    FD.TYPE_FIXED64: {"type": "integer", "minimum": 0, "maximum": 2**64 - 1},
}
_WELL_KNOWN: dict[str, Schema] = {
    "google.protobuf.Struct": {"type": "object"},
    "google.protobuf.Value": {},
    "google.protobuf.ListValue": {"type": "array"},
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time"},
    "google.protobuf.Duration": {"type": "string"},
    "google.protobuf.FieldMask": {"type": "string"},
}


def message_schema(
    message: type[Message] | Desc,
    *,
    for_input: bool,
    required: Iterable[str] = (),
    omit: Iterable[str] = (),
) -> Schema:
    """The REST object schema of a message; `required`/`omit` use REST names."""
    desc = (
        message.DESCRIPTOR
        if isinstance(message, type) and issubclass(message, Message)
        else message
    )
    skip = set(omit)
    unset_is_null = set() if for_input else shape_of(desc).zero_is_null
    properties = {
        name: {
            **(
                _nullable(_field_schema(fd, for_input))
                if fd.name in unset_is_null
                else _field_schema(fd, for_input)
            ),
            **behaviour_keywords(fd),
        }
        for name, fd in rest_fields(desc, for_input=for_input)
        if name not in skip
    }
    schema: Schema = {"type": "object", "properties": properties}
    if for_input:
        schema["additionalProperties"] = False
        if required:
            schema["required"] = list(required)
            for name in required:
                if properties[name].get("type") == "string":
                    properties[name] = {**properties[name], "minLength": 1}
    return schema


def behaviour_keywords(fd: Any) -> Schema:  # a FieldDescriptor of either backend
    """`readOnly` / `writeOnly` for a field the contract marks OUTPUT_ONLY / INPUT_ONLY."""
    behaviours = contract.behaviors(fd)
    keywords: Schema = {}
    if contract.OUTPUT_ONLY in behaviours:
        keywords["readOnly"] = True
    if contract.INPUT_ONLY in behaviours:
        keywords["writeOnly"] = True
    return keywords


def _field_schema(fd: FD, for_input: bool) -> Schema:
    value = map_value(fd)
    if value is not None:
        return {"type": "object", "additionalProperties": _single_schema(value, for_input)}
    single = _single_schema(fd, for_input)
    if fd.is_repeated:
        # The number the core holds every caller to: a request over it fails early here.
        limit = max_items(fd)
        return {"type": "array", "items": single, **({"maxItems": limit} if limit else {})}
    if fd.message_type is not None and "type" in single:
        # An absent sub-message is null in responses; null in a request clears it. A type
        # list rather than anyOf keeps validation errors pointing at the inner field.
        return {**single, "type": [single["type"], "null"]}
    return single


def _nullable(schema: Schema) -> Schema:
    """A field REST shows as null when unset (Shape.zero_is_null)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return schema


def _single_schema(fd: FD, for_input: bool) -> Schema:
    if fd.message_type is not None:
        known = _WELL_KNOWN.get(fd.message_type.full_name)
        if known is not None:
            return dict(known)
        return message_schema(fd.message_type, for_input=for_input)
    if fd.enum_type is not None:
        values: list[Any] = enum_values(fd.enum_type)
        if not for_input:
            values.append(None)  # UNSPECIFIED reads as null
        return {"enum": values}
    return dict(_SCALARS[fd.type])


def list_of(item: Schema) -> Schema:
    return {"type": "array", "items": item}


def obj(properties: dict[str, Schema], *, required: Iterable[str] = (), **extra: Any) -> Schema:
    """A strict hand-written object schema (for bodies with no single proto message)."""
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


NON_EMPTY_STRING: Schema = {"type": "string", "minLength": 1}
