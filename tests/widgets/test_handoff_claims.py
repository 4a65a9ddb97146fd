"""Claiming a handoff is exclusive: of people claiming at the same moment, one gets it and
the others are told who has it (409 HANDOFF_CLAIMED), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import grpc

from flowyte.v1 import handoff_service_pb2 as handoff_pb
from flowyte.v1 import handoff_service_pb2_grpc as handoff_grpc
from flowyte.v1 import widget_service_pb2 as pb
from tests.core.helpers import error_reason

from .conftest import Shop, public

PEOPLE = 8


async def _escalated(shop: Shop) -> str:
    key = (await shop.new_key()).key_public
    opened = await shop.stub.CreateWidgetSession(
        pb.CreateWidgetSessionRequest(), metadata=public(key)
    )
    call = shop.stub.StreamWidgetMessage(
        pb.StreamWidgetMessageRequest(
            visitor_token=opened.visitor_token, content="a person please"
        ),
        metadata=public(key),
    )
    pieces = [piece async for piece in call]
    return pieces[-1].turn_end.session.handoff_id


async def test_two_people_cannot_claim_the_same_handoff(
    shop: Shop, channel: grpc.aio.Channel
) -> None:
    handoff_id = await _escalated(shop)
    inbox = handoff_grpc.HandoffServiceStub(channel)
    name = f"handoffs/{handoff_id}"

    async def claim(person: str) -> str:
        try:
            await inbox.ClaimHandoff(
                handoff_pb.ClaimHandoffRequest(name=name, claimed_by=person), metadata=shop.auth()
            )
            return person
        except grpc.aio.AioRpcError as error:
            assert error.code() == grpc.StatusCode.ABORTED, error
            assert error_reason(error) == "HANDOFF_CLAIMED"
            return ""

    winners = [w for w in await asyncio.gather(*(claim(f"p{i}") for i in range(PEOPLE))) if w]
    assert len(winners) == 1
    got = await inbox.GetHandoff(handoff_pb.GetHandoffRequest(name=name), metadata=shop.auth())
    assert got.handoff.claimed_by == winners[0]
    claims = [
        e
        for e in got.handoff.transcript
        if "action" in e.payload and e.payload["action"] == "claimed"
    ]
    assert len(claims) == 1  # one claim recorded, by the winner
    assert claims[0].payload["by"] == winners[0]
