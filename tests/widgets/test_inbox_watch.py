"""WatchHandoffs: the team inbox hears open handoffs live with their context, then each
change (a claim, the customer writing on), and nothing of another organization."""

from __future__ import annotations

import asyncio

import grpc

from flowyte.v1 import handoff_service_pb2 as handoff_pb
from flowyte.v1 import handoff_service_pb2_grpc as handoff_grpc
from flowyte.v1 import widget_service_pb2 as pb
from tests.conftest import CoreFixture

from .conftest import Shop, new_shop, public


async def _say(shop: Shop, key: str, token: str, content: str) -> pb.StreamWidgetMessageResponse:
    call = shop.stub.StreamWidgetMessage(
        pb.StreamWidgetMessageRequest(visitor_token=token, content=content), metadata=public(key)
    )
    return [piece async for piece in call][-1]


async def _next_handoff(stream: object) -> handoff_pb.Handoff:
    async for piece in stream:  # type: ignore[attr-defined]
        if piece.WhichOneof("kind") == "handoff":
            return piece.handoff
    raise AssertionError("the watch ended")


async def test_the_inbox_hears_handoffs_live(
    widget_core: CoreFixture, shop: Shop, channel: grpc.aio.Channel
) -> None:
    inbox = handoff_grpc.HandoffServiceStub(channel)
    watch = inbox.WatchHandoffs(
        handoff_pb.WatchHandoffsRequest(status=handoff_pb.HANDOFF_STATUS_OPEN),
        metadata=shop.auth(),
    )
    # another organization's escalation never shows
    other = await new_shop(widget_core, channel)
    other_key = (await other.new_key()).key_public
    other_token = (
        await other.stub.CreateWidgetSession(
            pb.CreateWidgetSessionRequest(), metadata=public(other_key)
        )
    ).visitor_token
    await _say(other, other_key, other_token, "a person please")

    key = (await shop.new_key()).key_public
    token = (
        await shop.stub.CreateWidgetSession(pb.CreateWidgetSessionRequest(), metadata=public(key))
    ).visitor_token
    await _say(shop, key, token, "where is my order")
    end = await _say(shop, key, token, "I want a person")
    handoff_id = end.turn_end.session.handoff_id

    opened = await asyncio.wait_for(_next_handoff(watch), 10)
    assert opened.id == handoff_id and opened.status == handoff_pb.HANDOFF_STATUS_OPEN
    assert opened.reason == "requested"
    assert [e.payload["text"] for e in opened.transcript if "text" in e.payload][-1]

    await inbox.ClaimHandoff(
        handoff_pb.ClaimHandoffRequest(name=f"handoffs/{handoff_id}", claimed_by="Sam"),
        metadata=shop.auth(),
    )
    claimed = await asyncio.wait_for(_next_handoff(watch), 10)
    watch.cancel()
    assert claimed.id == handoff_id
    assert claimed.status == handoff_pb.HANDOFF_STATUS_CLAIMED and claimed.claimed_by == "Sam"
    assert len(claimed.transcript) == len(opened.transcript) + 1


async def test_a_watch_starts_with_the_handoffs_already_open(
    shop: Shop, channel: grpc.aio.Channel
) -> None:
    key = (await shop.new_key()).key_public
    ids = []
    for _ in range(2):
        token = (
            await shop.stub.CreateWidgetSession(
                pb.CreateWidgetSessionRequest(), metadata=public(key)
            )
        ).visitor_token
        ids.append((await _say(shop, key, token, "a person please")).turn_end.session.handoff_id)
    watch = handoff_grpc.HandoffServiceStub(channel).WatchHandoffs(
        handoff_pb.WatchHandoffsRequest(), metadata=shop.auth()
    )
    first = [await asyncio.wait_for(_next_handoff(watch), 10) for _ in ids]
    watch.cancel()
    assert [h.id for h in first] == ids[::-1]  # newest first
