"""The widget's public calls over gRPC, as the widget frontend makes them: a publishable key
and the page's Origin in metadata, a visitor token naming one session."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import grpc
from google.protobuf import struct_pb2

from demostore import DemoStoreHandle
from flowyte.clock import FixedClock
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import agent_service_pb2_grpc as agent_grpc
from flowyte.v1 import audit_pb2
from flowyte.v1 import handoff_service_pb2 as handoff_pb
from flowyte.v1 import handoff_service_pb2_grpc as handoff_grpc
from flowyte.v1 import widget_service_pb2 as pb
from tests.conftest import CoreFixture
from tests.conversations.conftest import connect_and_publish
from tests.core.helpers import error_reason, expect_error

from .conftest import ORIGIN, Shop, new_shop, public


async def _session(shop: Shop, key: str, token: str = "") -> pb.CreateWidgetSessionResponse:
    return await shop.stub.CreateWidgetSession(
        pb.CreateWidgetSessionRequest(visitor_token=token), metadata=public(key)
    )


async def _say(
    shop: Shop, key: str, token: str, content: str, message_id: str = ""
) -> list[pb.StreamWidgetMessageResponse]:
    call = shop.stub.StreamWidgetMessage(
        pb.StreamWidgetMessageRequest(
            visitor_token=token, content=content, client_message_id=message_id
        ),
        metadata=public(key),
    )
    return [piece async for piece in call]


async def test_bootstrap_shows_the_published_version(
    widget_core: CoreFixture, channel: grpc.aio.Channel
) -> None:
    shop = await new_shop(widget_core, channel, language="es-ES", greeting="¡Hola!")
    made = await shop.new_key()
    key = made.key_public
    theme = struct_pb2.Struct()
    theme.update({"accent": "#0a7"})
    await shop.stub.UpdateWidgetConfig(
        pb.UpdateWidgetConfigRequest(parent=shop.parent, config=pb.WidgetConfig(theme=theme)),
        metadata=shop.auth(),
    )
    draft = await shop.stub.GetWidgetConfig(
        pb.GetWidgetConfigRequest(parent=shop.parent), metadata=shop.auth()
    )
    assert draft.config.theme["accent"] == "#0a7"
    # the storefront sees the published version: not the draft until it is published
    boot = await shop.stub.GetWidgetBootstrap(pb.GetWidgetBootstrapRequest(), metadata=public(key))
    assert boot.agent_meta["language"] == "es-ES" and boot.agent_meta["greeting"] == "¡Hola!"
    assert not boot.config.HasField("theme")
    await agent_grpc.AgentServiceStub(channel).PublishAgent(
        agent_pb.PublishAgentRequest(name=shop.parent), metadata=shop.auth()
    )
    boot = await shop.stub.GetWidgetBootstrap(pb.GetWidgetBootstrapRequest(), metadata=public(key))
    assert boot.config.theme["accent"] == "#0a7"

    embed = await shop.stub.GetWidgetEmbed(
        pb.GetWidgetEmbedRequest(
            parent=shop.parent,
            publishable_key_id=made.id,
            widget_base_url="https://widget.flowyte.example/",
        ),
        metadata=shop.auth(),
    )
    assert embed.script_snippet == (
        '<script src="https://widget.flowyte.example/widget/loader.js" '
        f'data-flowyte-key="{key}" async></script>'
    )
    assert embed.publishable_key == key


async def test_a_widget_conversation_streams_and_replays(shop: Shop) -> None:
    key = (await shop.new_key()).key_public
    opened = await _session(shop, key)
    assert opened.conversation_id.startswith("ses_")
    assert opened.visitor_token.startswith("flowyte_vt_")
    # a reload resumes the same session
    again = await _session(shop, key, opened.visitor_token)
    assert again.conversation_id == opened.conversation_id

    pieces = await _say(shop, key, opened.visitor_token, "where is order #1001", "m1")
    deltas = "".join(p.text_delta for p in pieces if p.WhichOneof("kind") == "text_delta")
    end = pieces[-1].turn_end
    assert deltas == end.text == "What is your email?"
    assert end.session.id == opened.conversation_id and end.session.channel

    # the same client_message_id replays the turn, it does not run again
    replayed = await _say(shop, key, opened.visitor_token, "where is order #1001", "m1")
    assert replayed[-1].turn_end.text == end.text
    seqs = [p.event.seq for p in pieces if p.WhichOneof("kind") == "event"]
    assert [p.event.seq for p in replayed if p.WhichOneof("kind") == "event"] == seqs
    watched = shop.stub.WatchWidgetSession(
        pb.WatchWidgetSessionRequest(visitor_token=opened.visitor_token), metadata=public(key)
    )
    got = []
    async for piece in watched:
        got.append(piece.event.seq)
        if len(got) == len(seqs):
            break
    watched.cancel()
    assert got == sorted(seqs)  # one turn's events, once


async def test_a_persons_reply_reaches_the_widget_watch(
    shop: Shop, channel: grpc.aio.Channel
) -> None:
    key = (await shop.new_key()).key_public
    opened = await _session(shop, key)
    pieces = await _say(shop, key, opened.visitor_token, "let me talk to a person")
    handoff_id = pieces[-1].turn_end.session.handoff_id
    assert handoff_id
    last = max(p.event.seq for p in pieces if p.WhichOneof("kind") == "event")

    watched = shop.stub.WatchWidgetSession(
        pb.WatchWidgetSessionRequest(visitor_token=opened.visitor_token, after_seq=last),
        metadata=public(key),
    )
    inbox = handoff_grpc.HandoffServiceStub(channel)
    await inbox.ClaimHandoff(
        handoff_pb.ClaimHandoffRequest(name=f"handoffs/{handoff_id}", claimed_by="Sam"),
        metadata=shop.auth(),
    )
    await inbox.SendHandoffMessage(
        handoff_pb.SendHandoffMessageRequest(
            name=f"handoffs/{handoff_id}", content="Hi, Sam here."
        ),
        metadata=shop.auth(),
    )

    async def until_the_reply() -> list[pb.WatchWidgetSessionResponse]:
        seen = []
        async for piece in watched:
            if piece.WhichOneof("kind") == "event":
                seen.append(piece)
                if "from" in piece.event.payload and piece.event.payload["from"] == "human":
                    return seen
        raise AssertionError("the watch ended")

    seen = await asyncio.wait_for(until_the_reply(), 10)
    watched.cancel()
    # the claim shows first ("a person joined"), then the person's words, nothing skipped
    assert [p.event.seq for p in seen] == [last + 1, last + 2]
    assert seen[0].event.payload["action"] == "claimed"
    piece = seen[-1]
    assert piece.event.payload["text"] == "Hi, Sam here."
    assert piece.event.payload["from"] == "human"


async def test_keys_origins_and_tokens_are_checked(
    widget_core: CoreFixture, shop: Shop, channel: grpc.aio.Channel
) -> None:
    key = (await shop.new_key()).key_public
    request = pb.GetWidgetBootstrapRequest()
    for metadata, code in (
        (public(""), grpc.StatusCode.UNAUTHENTICATED),
        (public("flowyte_pk_live_" + "x" * 32), grpc.StatusCode.UNAUTHENTICATED),
        (public(key[:-1]), grpc.StatusCode.UNAUTHENTICATED),
        (public(key, "https://evil.example"), grpc.StatusCode.PERMISSION_DENIED),
        (public(key, "http://shop.example"), grpc.StatusCode.PERMISSION_DENIED),
        (public(key, "https://shop.example:8443"), grpc.StatusCode.PERMISSION_DENIED),
        (public(key, ""), grpc.StatusCode.PERMISSION_DENIED),
    ):
        await expect_error(shop.stub.GetWidgetBootstrap(request, metadata=metadata), code)
    # explicit default port is the same origin
    assert (
        await shop.stub.GetWidgetBootstrap(request, metadata=public(key, ORIGIN + ":443"))
    ).agent_meta

    mine = await _session(shop, key)
    theirs = await _session(shop, key)
    other = await new_shop(widget_core, channel)
    other_key = (await other.new_key()).key_public
    # a token names its own session: another agent's key cannot use it
    for call in (
        other.stub.CreateWidgetSession(
            pb.CreateWidgetSessionRequest(visitor_token=mine.visitor_token),
            metadata=public(other_key),
        ),
        _say(other, other_key, mine.visitor_token, "hello"),
        _say(shop, key, "flowyte_vt_made_up", "hello"),
    ):
        await expect_error(call, grpc.StatusCode.NOT_FOUND)
    # and one visitor's turn lands in their own session only
    await _say(shop, key, mine.visitor_token, "where is order #1001")
    watched = shop.stub.WatchWidgetSession(
        pb.WatchWidgetSessionRequest(visitor_token=theirs.visitor_token), metadata=public(key)
    )
    try:
        first = await asyncio.wait_for(anext(aiter(watched)), 1)
        assert first.WhichOneof("kind") == "heartbeat", first  # nothing of mine shows there
    except TimeoutError:
        pass
    finally:
        watched.cancel()

    for bad in ("", " ", "x" * 4001):
        await expect_error(
            _say(shop, key, mine.visitor_token, bad), grpc.StatusCode.INVALID_ARGUMENT
        )


async def test_the_rate_limit_is_per_key_and_visitor(shop: Shop, clock: FixedClock) -> None:
    key = (await shop.new_key(rpm=3)).key_public
    request = pb.GetWidgetBootstrapRequest()
    for _ in range(3):
        await shop.stub.GetWidgetBootstrap(
            request, metadata=public(key, **{"x-flowyte-visitor": "a"})
        )
    error = await expect_error(
        shop.stub.GetWidgetBootstrap(request, metadata=public(key, **{"x-flowyte-visitor": "a"})),
        grpc.StatusCode.RESOURCE_EXHAUSTED,
    )
    assert error_reason(error)
    # another visitor has a count of their own
    await shop.stub.GetWidgetBootstrap(request, metadata=public(key, **{"x-flowyte-visitor": "b"}))
    clock.advance(timedelta(minutes=1))
    await shop.stub.GetWidgetBootstrap(request, metadata=public(key, **{"x-flowyte-visitor": "a"}))


async def test_a_rollback_brings_the_versions_widget_back(
    shop: Shop, channel: grpc.aio.Channel
) -> None:
    key = (await shop.new_key()).key_public
    agents = agent_grpc.AgentServiceStub(channel)

    async def publish(accent: str) -> None:
        theme = struct_pb2.Struct()
        theme.update({"accent": accent})
        await shop.stub.UpdateWidgetConfig(
            pb.UpdateWidgetConfigRequest(parent=shop.parent, config=pb.WidgetConfig(theme=theme)),
            metadata=shop.auth(),
        )
        await agents.PublishAgent(
            agent_pb.PublishAgentRequest(name=shop.parent), metadata=shop.auth()
        )

    await publish("red")  # version 2 (new_shop published version 1)
    await publish("blue")  # version 3
    await agents.RollbackAgent(
        agent_pb.RollbackAgentRequest(name=shop.parent, version=2), metadata=shop.auth()
    )
    boot = await shop.stub.GetWidgetBootstrap(pb.GetWidgetBootstrapRequest(), metadata=public(key))
    assert boot.config.theme["accent"] == "red"
    draft = await shop.stub.GetWidgetConfig(
        pb.GetWidgetConfigRequest(parent=shop.parent), metadata=shop.auth()
    )
    assert draft.config.theme["accent"] == "red"


async def test_an_ended_session_starts_afresh(shop: Shop, channel: grpc.aio.Channel) -> None:
    key = (await shop.new_key()).key_public
    opened = await _session(shop, key)
    end = (await _say(shop, key, opened.visitor_token, "bye"))[-1].turn_end
    assert end.session.status  # the scripted brain ends the conversation on "bye"
    again = await _session(shop, key, opened.visitor_token)
    assert again.conversation_id != opened.conversation_id
    assert again.visitor_token != opened.visitor_token
    # the old token still names only its own (ended) session
    watched = shop.stub.WatchWidgetSession(
        pb.WatchWidgetSessionRequest(visitor_token=opened.visitor_token), metadata=public(key)
    )
    seen = [p.event.conversation_id async for p in watched if p.WhichOneof("kind") == "event"]
    assert set(seen) == {opened.conversation_id}


async def test_the_agents_inner_workings_stay_out_of_the_browser(
    widget_core: CoreFixture, shop: Shop, demo_store: DemoStoreHandle
) -> None:
    await connect_and_publish(widget_core, shop.key, shop.agent_id, demo_store)
    key = (await shop.new_key()).key_public
    opened = await _session(shop, key)
    pieces = await _say(shop, key, opened.visitor_token, "order #1001 and nobody@nowhere.example")
    events = [p.event for p in pieces if p.WhichOneof("kind") == "event"]
    kinds = {audit_pb2.AuditEventType.Name(e.event_type): e for e in events}
    assert "AUDIT_EVENT_TYPE_TOOL_CALL" in kinds and "AUDIT_EVENT_TYPE_VERIFICATION" in kinds
    # their type and seq only: no skill, order, result or failure count
    assert not kinds["AUDIT_EVENT_TYPE_TOOL_CALL"].payload.fields
    assert not kinds["AUDIT_EVENT_TYPE_VERIFICATION"].payload.fields
    assert kinds["AUDIT_EVENT_TYPE_AGENT_MESSAGE"].payload["text"]
    # and the seqs stay gapless, for a watch to resume from
    seqs = sorted(e.seq for e in events)
    assert seqs == list(range(seqs[0], seqs[0] + len(seqs)))
