"""Phone numbers (imported from the organization's SIP trunk, assigned to agents) and an
agent's calls. Searching, reserving and buying numbers need a carrier: the core refuses
them (403, reserved), and these routes only pass that on."""

from __future__ import annotations

from typing import Any

from flowyte.v1 import number_service_pb2 as pb
from frontends.gateway.handlers.agents import agent_name
from frontends.gateway.operation import Call, Page
from frontends.gateway.shapes import to_rest


def number_name(call: Call) -> str:
    return f"numbers/{call.params['id']}"


async def import_number(call: Call) -> Any:
    reply = await call.client.numbers.ImportNumber(
        pb.ImportNumberRequest(e164=call.body["e164"], agent_id=call.body.get("agentId") or ""),
        metadata=call.metadata,
    )
    return to_rest(reply.number)


async def list_numbers(call: Call) -> Page:
    reply = await call.client.numbers.ListNumbers(
        pb.ListNumbersRequest(page_size=call.page_size, page_token=call.page_token),
        metadata=call.metadata,
    )
    return Page([to_rest(n) for n in reply.numbers], reply.next_page_token or None)


async def assign_number(call: Call) -> Any:
    reply = await call.client.numbers.AssignNumber(
        pb.AssignNumberRequest(name=number_name(call), agent_id=call.body["agentId"]),
        metadata=call.metadata,
    )
    return to_rest(reply.number)


async def unassign_number(call: Call) -> Any:
    reply = await call.client.numbers.UnassignNumber(
        pb.UnassignNumberRequest(name=number_name(call)), metadata=call.metadata
    )
    return to_rest(reply.number)


async def search_numbers(call: Call) -> Any:
    reply = await call.client.numbers.SearchNumbers(
        pb.SearchNumbersRequest(area_code=call.query.get("areaCode", "")), metadata=call.metadata
    )
    return list(reply.e164)


async def reserve_number(call: Call) -> Any:
    reply = await call.client.numbers.ReserveNumber(
        pb.ReserveNumberRequest(e164=call.body.get("e164", "")), metadata=call.metadata
    )
    return to_rest(reply.number)


async def purchase_number(call: Call) -> Any:
    reply = await call.client.numbers.PurchaseNumber(
        pb.PurchaseNumberRequest(e164=call.body.get("e164", "")), metadata=call.metadata
    )
    return to_rest(reply.number)


async def list_calls(call: Call) -> Page:
    reply = await call.client.numbers.ListCalls(
        pb.ListCallsRequest(
            parent=agent_name(call), page_size=call.page_size, page_token=call.page_token
        ),
        metadata=call.metadata,
    )
    return Page([to_rest(c) for c in reply.calls], reply.next_page_token or None)
