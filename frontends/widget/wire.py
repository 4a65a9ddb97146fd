"""Core messages as the JSON the widget and the inbox read, and the metadata public calls carry.

One place decides the names the browser sees, so the widget, the inbox and the tests agree.
"""

from __future__ import annotations

from typing import Any

import grpc.aio
from aiohttp import web
from google.protobuf.json_format import MessageToDict

from flowyte.v1 import audit_pb2, handoff_service_pb2

# The publishable key, the page's Origin (verbatim) and who counts against the key's rate
# limit (the shopper's address): the core checks all three, this process only forwards them.
AUTHORIZATION = "authorization"
PUBLISHABLE_KEY = "x-flowyte-publishable-key"
ORIGIN = "x-flowyte-origin"
VISITOR = "x-flowyte-visitor"


def public_metadata(key: str, origin: str, visitor: str = "") -> grpc.aio.Metadata:
    md = grpc.aio.Metadata()
    md.add(PUBLISHABLE_KEY, key if _printable(key) else "invalid")
    md.add(ORIGIN, origin if _printable(origin) else "null")
    if visitor and _printable(visitor):
        md.add(VISITOR, visitor)
    return md


def request_metadata(key: str, request: web.Request) -> grpc.aio.Metadata:
    """What a public call from this HTTP request carries to the core."""
    return public_metadata(key, request.headers.get("Origin", ""), request.remote or "")


def secret_metadata(key: str) -> grpc.aio.Metadata:
    md = grpc.aio.Metadata()
    md.add(AUTHORIZATION, f"Bearer {key if _printable(key) else 'invalid'}")
    return md


def _printable(value: str) -> bool:
    return bool(value) and value.isascii() and value.isprintable() and len(value) <= 512


def event_json(event: audit_pb2.AuditEvent) -> dict[str, Any]:
    """An audit event as the widget draws it: what kind, who said it, the text."""
    kind = audit_pb2.AuditEventType.Name(event.event_type).removeprefix("AUDIT_EVENT_TYPE_")
    return {
        "type": "event",
        "seq": event.seq,
        "kind": kind.lower(),
        "tsMs": event.ts_ms,
        "payload": MessageToDict(event.payload),
    }


def handoff_json(handoff: handoff_service_pb2.Handoff) -> dict[str, Any]:
    status = handoff_service_pb2.HandoffStatus.Name(handoff.status).removeprefix("HANDOFF_STATUS_")
    return {
        "id": handoff.id,
        "sessionId": handoff.session_id,
        "agentId": handoff.agent_id,
        "reason": handoff.reason,
        "status": status.lower(),
        "orderSummary": MessageToDict(handoff.order_summary),
        "verifiedIdentity": MessageToDict(handoff.verified_identity),
        "transcript": [event_json(e) for e in handoff.transcript],
        "claimedBy": handoff.claimed_by,
        "createTime": handoff.create_time.ToJsonString() if handoff.HasField("create_time") else "",
    }
