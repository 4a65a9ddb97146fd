"""NumberService: phone numbers and an agent's calls, translated to core/services/numbers.py
and back. Buying numbers needs a carrier: those RPCs are reserved and always refused."""

from __future__ import annotations

from google.protobuf import duration_pb2

import flowyte.v1.number_service_pb2 as pb
import flowyte.v1.number_service_pb2_grpc as pb_grpc
from core.domain import calls as call_rules
from core.domain.errors import InvalidArgument, PermissionDenied
from core.runtime import Runtime
from core.services.numbers import Numbers
from core.store.tables import AuditEventRow, PhoneNumberRow, SessionRow

from . import paging, principal
from .conversation_shapes import event_proto
from .convert import resource_id, timestamp

_OUTCOMES = {
    call_rules.Outcome.RUNNING: pb.CALL_OUTCOME_UNSPECIFIED,
    call_rules.Outcome.COMPLETED: pb.CALL_OUTCOME_COMPLETED,
    call_rules.Outcome.TRANSFERRED: pb.CALL_OUTCOME_TRANSFERRED,
    call_rules.Outcome.ABANDONED: pb.CALL_OUTCOME_ABANDONED,
    call_rules.Outcome.FAILED: pb.CALL_OUTCOME_FAILED,
}


def number_proto(row: PhoneNumberRow) -> pb.PhoneNumber:
    return pb.PhoneNumber(
        name=f"numbers/{row.id}",
        id=row.id,
        e164=row.e164,
        agent_id=row.agent_id or "",
        create_time=timestamp(row.created_ms),
    )


def call_proto(row: SessionRow, events: list[AuditEventRow]) -> pb.Call:
    summary = call_rules.summarise(events, row.created_ms, row.ended_ms)
    call = pb.Call(
        name=f"agents/{row.agent_id}/calls/{call_rules.call_id(row.id)}",
        id=call_rules.call_id(row.id),
        session_id=row.id,
        to=row.called_number,
        start_time=timestamp(summary.start_ms),
        outcome=_OUTCOMES[summary.outcome],
        transfer_destination=summary.transfer_destination,
        events=[event_proto(e) for e in events],
    )
    setattr(call, "from", row.caller_number)  # `from` is a Python keyword
    if summary.duration_ms is not None:
        call.duration.CopyFrom(duration_pb2.Duration())
        call.duration.FromMilliseconds(summary.duration_ms)
    return call


def _reserved(what: str) -> PermissionDenied:
    return PermissionDenied(f"{what} needs a carrier; it is reserved", "RESERVED")


class NumberServicer(pb_grpc.NumberServiceServicer):
    def __init__(self, runtime: Runtime):
        self.numbers = Numbers(runtime)

    async def ImportNumber(
        self, request: pb.ImportNumberRequest, context: object
    ) -> pb.ImportNumberResponse:
        row = await self.numbers.import_number(
            principal.current().org_id, request.e164, request.agent_id
        )
        return pb.ImportNumberResponse(number=number_proto(row))

    async def ListNumbers(
        self, request: pb.ListNumbersRequest, context: object
    ) -> pb.ListNumbersResponse:
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        rows, last = await self.numbers.list_page(principal.current().org_id, after, size)
        return pb.ListNumbersResponse(
            numbers=[number_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def AssignNumber(
        self, request: pb.AssignNumberRequest, context: object
    ) -> pb.AssignNumberResponse:
        number_id = resource_id(request.name, "numbers", "name")
        if not request.agent_id:
            raise InvalidArgument("is required", field="agent_id")
        row = await self.numbers.assign(principal.current().org_id, number_id, request.agent_id)
        return pb.AssignNumberResponse(number=number_proto(row))

    async def UnassignNumber(
        self, request: pb.UnassignNumberRequest, context: object
    ) -> pb.UnassignNumberResponse:
        number_id = resource_id(request.name, "numbers", "name")
        row = await self.numbers.unassign(principal.current().org_id, number_id)
        return pb.UnassignNumberResponse(number=number_proto(row))

    async def SearchNumbers(
        self, request: pb.SearchNumbersRequest, context: object
    ) -> pb.SearchNumbersResponse:
        raise _reserved("searching for numbers to buy")

    async def ReserveNumber(
        self, request: pb.ReserveNumberRequest, context: object
    ) -> pb.ReserveNumberResponse:
        raise _reserved("reserving a number")

    async def PurchaseNumber(
        self, request: pb.PurchaseNumberRequest, context: object
    ) -> pb.PurchaseNumberResponse:
        raise _reserved("buying a number")

    async def ListCalls(
        self, request: pb.ListCallsRequest, context: object
    ) -> pb.ListCallsResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        size = paging.page_size(request.page_size)
        before = paging.decode(request.page_token)
        calls, last = await self.numbers.calls(principal.current().org_id, agent_id, before, size)
        return pb.ListCallsResponse(
            calls=[call_proto(row, events) for row, events in calls],
            next_page_token=paging.encode(last),
        )
