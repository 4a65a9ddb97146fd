"""Handoffs: the team's inbox (list, read with transcript, claim, reply, close)."""

from __future__ import annotations

from typing import Any

from flowyte.v1 import handoff_service_pb2 as pb
from frontends.gateway.handlers.chat import event_rest, whole_numbers
from frontends.gateway.operation import Call, Page
from frontends.gateway.shapes import enum_from_rest, to_rest

STATUSES = ("open", "claimed", "closed")


def handoff_name(call: Call) -> str:
    return f"handoffs/{call.params['id']}"


def handoff_rest(handoff: pb.Handoff, *, transcript: bool = False) -> dict[str, Any]:
    body = to_rest(handoff)
    body["transcript"] = [event_rest(e) for e in handoff.transcript]
    body["orderSummary"] = whole_numbers(body["orderSummary"])
    body["verifiedIdentity"] = whole_numbers(body["verifiedIdentity"])
    if not transcript:
        del body["transcript"]
    return body


async def list_handoffs(call: Call) -> Page:
    status = call.query.get("status")
    number: Any = (
        pb.HandoffStatus.Value(enum_from_rest(pb.HandoffStatus.DESCRIPTOR, status)) if status else 0
    )
    request = pb.ListHandoffsRequest(
        status=number, page_size=call.page_size, page_token=call.page_token
    )
    reply = await call.client.handoffs.ListHandoffs(request, metadata=call.metadata)
    return Page([handoff_rest(h) for h in reply.handoffs], reply.next_page_token or None)


async def get_handoff(call: Call) -> Any:
    reply = await call.client.handoffs.GetHandoff(
        pb.GetHandoffRequest(name=handoff_name(call)), metadata=call.metadata
    )
    return handoff_rest(reply.handoff, transcript=True)


async def claim_handoff(call: Call) -> Any:
    reply = await call.client.handoffs.ClaimHandoff(
        pb.ClaimHandoffRequest(name=handoff_name(call), claimed_by=call.body.get("claimedBy", "")),
        metadata=call.metadata,
    )
    return handoff_rest(reply.handoff)


async def send_handoff_message(call: Call) -> Any:
    reply = await call.client.handoffs.SendHandoffMessage(
        pb.SendHandoffMessageRequest(name=handoff_name(call), content=call.body["content"]),
        metadata=call.metadata,
    )
    return event_rest(reply.event)


async def close_handoff(call: Call) -> Any:
    reply = await call.client.handoffs.CloseHandoff(
        pb.CloseHandoffRequest(name=handoff_name(call)), metadata=call.metadata
    )
    return handoff_rest(reply.handoff)
