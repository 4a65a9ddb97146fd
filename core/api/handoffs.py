"""HandoffService: the team's inbox of conversations handed to a person."""

from __future__ import annotations

from google.protobuf import json_format, struct_pb2

import flowyte.v1.handoff_service_pb2 as pb
import flowyte.v1.handoff_service_pb2_grpc as pb_grpc
from core.conversations import Handoffs
from core.domain import validation
from core.store.tables import AuditEventRow, HandoffRow

from . import paging, principal
from .conversation_shapes import event_proto
from .convert import resource_id, timestamp

_STATUSES = {
    "open": pb.HANDOFF_STATUS_OPEN,
    "claimed": pb.HANDOFF_STATUS_CLAIMED,
    "closed": pb.HANDOFF_STATUS_CLOSED,
}
_STATUS_NAMES = {number: name for name, number in _STATUSES.items()}


def handoff_proto(row: HandoffRow, transcript: list[AuditEventRow] | None = None) -> pb.Handoff:
    handoff = pb.Handoff(
        name=f"handoffs/{row.id}",
        id=row.id,
        session_id=row.session_id,
        agent_id=row.agent_id,
        reason=row.reason,
        status=_STATUSES[row.status],
        order_summary=json_format.ParseDict(row.order_summary, struct_pb2.Struct()),
        verified_identity=json_format.ParseDict(row.verified_identity, struct_pb2.Struct()),
        transcript=[event_proto(e) for e in transcript or []],
        claimed_by=row.claimed_by,
        create_time=timestamp(row.created_ms),
        close_time=timestamp(row.closed_ms),
    )
    return handoff


class HandoffServicer(pb_grpc.HandoffServiceServicer):
    def __init__(self, handoffs: Handoffs):
        self.handoffs = handoffs

    async def ListHandoffs(
        self, request: pb.ListHandoffsRequest, context: object
    ) -> pb.ListHandoffsResponse:
        size = paging.page_size(request.page_size)
        before = paging.decode(request.page_token)
        rows, last = await self.handoffs.inbox(
            principal.current().org_id, _STATUS_NAMES.get(request.status, ""), before, size
        )
        return pb.ListHandoffsResponse(
            handoffs=[handoff_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def GetHandoff(
        self, request: pb.GetHandoffRequest, context: object
    ) -> pb.GetHandoffResponse:
        handoff_id = resource_id(request.name, "handoffs", "name")
        row, transcript = await self.handoffs.get(principal.current().org_id, handoff_id)
        return pb.GetHandoffResponse(handoff=handoff_proto(row, transcript))

    async def ClaimHandoff(
        self, request: pb.ClaimHandoffRequest, context: object
    ) -> pb.ClaimHandoffResponse:
        handoff_id = resource_id(request.name, "handoffs", "name")
        who = principal.current()
        claimed_by = (
            validation.text(request.claimed_by, "claimed_by", 200)
            if request.claimed_by
            else who.key_name
        )
        row = await self.handoffs.claim(who.org_id, handoff_id, claimed_by)
        return pb.ClaimHandoffResponse(handoff=handoff_proto(row))

    async def SendHandoffMessage(
        self, request: pb.SendHandoffMessageRequest, context: object
    ) -> pb.SendHandoffMessageResponse:
        handoff_id = resource_id(request.name, "handoffs", "name")
        who = principal.current()
        _, event = await self.handoffs.reply(who.org_id, handoff_id, request.content, who.key_name)
        return pb.SendHandoffMessageResponse(event=event_proto(event))

    async def CloseHandoff(
        self, request: pb.CloseHandoffRequest, context: object
    ) -> pb.CloseHandoffResponse:
        handoff_id = resource_id(request.name, "handoffs", "name")
        row = await self.handoffs.close(principal.current().org_id, handoff_id)
        return pb.CloseHandoffResponse(handoff=handoff_proto(row))
