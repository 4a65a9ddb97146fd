"""Proto messages ⇄ the JSON documents the store keeps (contract field names)."""

from __future__ import annotations

from typing import Any, TypeVar

from google.protobuf import field_mask_pb2, json_format, timestamp_pb2
from google.protobuf.message import Message

from core.domain.errors import InvalidArgument
from flowyte import contract

M = TypeVar("M", bound=Message)


def to_document(message: Message, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    document = json_format.MessageToDict(message, preserving_proto_field_name=True)
    for name in drop:
        document.pop(name, None)
    return document


def from_document(document: dict[str, Any], message_type: type[M]) -> M:
    # Unknown fields are kept out rather than failing: a document written by a newer
    # core must still be readable by an older replica during a rolling upgrade.
    return json_format.ParseDict(document, message_type(), ignore_unknown_fields=True)


def timestamp(ms: int | None) -> timestamp_pb2.Timestamp | None:
    if ms is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromMilliseconds(ms)
    return stamp


def resource_id(name: str, collection: str, field: str) -> str:
    """`agents/agt_x` → `agt_x`; anything else is an invalid argument naming the field."""
    prefix = collection + "/"
    if not name.startswith(prefix) or "/" in name[len(prefix) :] or len(name) == len(prefix):
        raise InvalidArgument(f"must look like {collection}/{{id}}", field=field)
    return name[len(prefix) :]


def mask_fits(mask: field_mask_pb2.FieldMask, message_type: type[Message]) -> bool:
    """Every path of the mask names a field of the message type."""
    return bool(mask.IsValidForDescriptor(message_type.DESCRIPTOR))  # type: ignore[arg-type]


def checked_update_mask(
    mask: field_mask_pb2.FieldMask, message_type: type[Message]
) -> field_mask_pb2.FieldMask:
    """An Update's mask, as the contract's field behaviours have it (AIP-203): it must name
    at least one field, and only fields the message has; paths on what the server sets (the
    resource's name, output-only fields) are dropped, ignored rather than refused."""
    if not mask.paths:
        raise InvalidArgument("name at least one field to change", field="update_mask")
    if not mask_fits(mask, message_type):
        raise InvalidArgument(
            f"names a field {message_type.DESCRIPTOR.name} does not have", field="update_mask"
        )
    ignored = contract.set_by_server(message_type.DESCRIPTOR)
    return field_mask_pb2.FieldMask(
        paths=[path for path in mask.paths if path.split(".")[0] not in ignored]
    )


def apply_update(mask: field_mask_pb2.FieldMask, source: M, target: M) -> None:
    """Copies the masked fields of `source` onto `target` (messages and lists replaced
    whole). An immutable field may be sent again with its value, not with another one; a
    refused update leaves `target` as it was."""
    fixed = contract.immutable(target.DESCRIPTOR)
    for path in mask.paths:
        name = path.split(".")[0]
        if name in fixed and getattr(source, name) != getattr(target, name):
            raise InvalidArgument(f"{path} cannot be changed", field="update_mask")
    mask.MergeMessage(source, target, replace_message_field=True, replace_repeated_field=True)
