"""A call by the number it dialled: Converse with only `called_number` reaches the agent the
number is assigned to, on its published version; other numbers are NOT_FOUND. The call is
then listed under the agent's calls (gRPC and REST) with its caller and called numbers,
start, duration by the core's clock, outcome and events."""

from __future__ import annotations

from datetime import timedelta

import aiohttp
import grpc
import pytest
from google.protobuf import field_mask_pb2

from core.domain.scopes import CALLER_ID_SCOPE
from demostore import DemoStoreHandle
from flowyte.clock import FixedClock
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import agent_service_pb2_grpc as agent_grpc
from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as chat_pb
from flowyte.v1 import conversation_service_pb2_grpc as chat_grpc
from flowyte.v1 import number_service_pb2 as pb
from flowyte.v1 import number_service_pb2_grpc as pb_grpc
from frontends.gateway import start_gateway
from tests.conftest import ALL_SCOPES, CoreFixture
from tests.core.helpers import auth, error_fields, error_reason
from tests.gateway.conftest import Api

from .conftest import new_agent
from .test_converse import DESK, Call, _voice_agent, kind, said

DIALLED = "+15550100100"
CALLER = "+15035550101"
V1 = "Hi, this is the published line."
DRAFT = "Hello from a draft nobody published."


async def _published_agent_with_a_number(core: CoreFixture, key: str) -> str:
    """An agent published with V1's greeting whose draft now says DRAFT, and DIALLED
    assigned to it."""
    agent_id = await new_agent(core, key, greeting=V1)
    async with core.channel() as channel:
        await agent_grpc.AgentServiceStub(channel).UpdateAgent(
            agent_pb.UpdateAgentRequest(
                agent=agent_pb.Agent(name=f"agents/{agent_id}", greeting=DRAFT),
                update_mask=field_mask_pb2.FieldMask(paths=["greeting"]),
            ),
            metadata=auth(key),
        )
        await pb_grpc.NumberServiceStub(channel).ImportNumber(
            pb.ImportNumberRequest(e164=DIALLED, agent_id=agent_id), metadata=auth(key)
        )
    return agent_id


async def _open(channel: grpc.aio.Channel, key: str, config: chat_pb.ConverseConfig) -> Call:
    call = Call(chat_grpc.ConversationServiceStub(channel).Converse(metadata=auth(key)))
    await call.send(config=config)
    return call


async def _refused(channel: grpc.aio.Channel, key: str, config: chat_pb.ConverseConfig) -> str:
    call = await _open(channel, key, config)
    with pytest.raises(grpc.aio.AioRpcError) as refused:
        await call.stream.read()
    return refused.value.code().name + " " + ",".join(error_fields(refused.value))


async def _calls(
    core: CoreFixture, key: str, agent_id: str, **page: object
) -> pb.ListCallsResponse:
    async with core.channel() as channel:
        return await pb_grpc.NumberServiceStub(channel).ListCalls(
            pb.ListCallsRequest(parent=f"agents/{agent_id}", **page),  # type: ignore[arg-type]
            metadata=auth(key),
        )


async def test_a_called_number_reaches_the_published_version_and_the_call_is_listed(
    pinned_core: CoreFixture, clock: FixedClock, http: aiohttp.ClientSession
) -> None:
    core = pinned_core
    key = await core.new_org_key([*ALL_SCOPES, CALLER_ID_SCOPE])
    agent_id = await _published_agent_with_a_number(core, key)
    opened_at = clock.now()

    async with core.channel() as channel:
        call = await _open(
            channel,
            key,
            chat_pb.ConverseConfig(
                called_number="(555) 010-0100",  # as a trunk may spell it
                caller_number=CALLER,
                channel=audit_pb2.CHANNEL_VOICE,
            ),
        )
        session = (await call.next()).session
        assert session.agent_id == agent_id and session.agent_version == 1
        assert not session.draft_mode and session.channel == audit_pb2.CHANNEL_VOICE
        greeting = await call.turn()
        assert said(greeting).startswith(V1) and DRAFT not in said(greeting)

        clock.advance(timedelta(seconds=42))  # the caller talks for a while
        await call.send(text="thanks, bye")
        goodbye = await call.turn()
        assert goodbye[-1].turn_end.session.status == chat_pb.SESSION_STATUS_ENDED
        await call.rest()

        # a call that hangs up on the greeting: abandoned, and it lasted no time
        second = await _open(channel, key, chat_pb.ConverseConfig(called_number=DIALLED))
        short = (await second.next()).session
        await second.turn()
        await second.stream.done_writing()
        await second.rest()

        # a chat with the same agent is no call
        await chat_grpc.ConversationServiceStub(channel).CreateSession(
            chat_pb.CreateSessionRequest(agent_id=agent_id), metadata=auth(key)
        )

    listed = await _calls(core, key, agent_id)
    assert [c.session_id for c in listed.calls] == [short.id, session.id]  # newest first
    hung_up, finished = listed.calls
    assert hung_up.outcome == pb.CALL_OUTCOME_ABANDONED
    assert hung_up.duration.ToMilliseconds() == 0
    assert getattr(hung_up, "from") == "" and hung_up.to == DIALLED

    assert finished.id == "cal_" + session.id.removeprefix("ses_")
    assert finished.name == f"agents/{agent_id}/calls/{finished.id}"
    assert getattr(finished, "from") == CALLER and finished.to == DIALLED
    assert finished.outcome == pb.CALL_OUTCOME_COMPLETED
    assert finished.duration.ToTimedelta() == timedelta(seconds=42)
    assert finished.start_time.ToDatetime().timestamp() == pytest.approx(
        opened_at.timestamp(), abs=0.001
    )
    assert finished.transfer_destination == ""
    kinds = [kind(e) for e in finished.events]
    assert kinds[0] == "CALL_STARTED" and kinds[-1] == "CALL_ENDED"
    assert "USER_UTTERANCE" in kinds
    assert finished.events[-1].payload["reason"] == "conversation_over"

    # paged like the other lists
    first = await _calls(core, key, agent_id, page_size=1)
    assert [c.session_id for c in first.calls] == [short.id] and first.next_page_token
    rest = await _calls(core, key, agent_id, page_size=1, page_token=first.next_page_token)
    assert [c.session_id for c in rest.calls] == [session.id] and not rest.next_page_token

    # the same over REST
    gateway = await start_gateway(core.target, port=0)
    try:
        api = Api(http, gateway.url + "/api/v1", key)
        reply = await api.get(f"/agents/{agent_id}/calls?limit=1")
        assert reply.body["nextCursor"]
        (shown,) = reply.data
        assert shown["sessionId"] == short.id and shown["outcome"] == "abandoned"
        older = await api.get(f"/agents/{agent_id}/calls?limit=1&cursor={reply.body['nextCursor']}")
        (shown,) = older.data
        assert older.body["nextCursor"] is None
        assert shown["id"] == finished.id and shown["outcome"] == "completed"
        assert shown["from"] == CALLER and shown["to"] == DIALLED
        assert shown["duration"] == "42s" and shown["transferDestination"] is None
        assert shown["events"][-1]["eventType"] == "call_ended"
        reader = await core.new_key(await core.org_of(key), ["agents:read"])
        refused = await api.as_(reader).get(f"/agents/{agent_id}/calls")
        assert refused.status == 403
    finally:
        await gateway.stop()


async def test_numbers_that_reach_no_agent_are_not_found(core: CoreFixture) -> None:
    key = await core.new_org_key()
    agent_id = await _published_agent_with_a_number(core, key)
    other = await core.new_org_key()
    await new_agent(core, other)
    async with core.channel() as channel:
        numbers = pb_grpc.NumberServiceStub(channel)
        await numbers.ImportNumber(pb.ImportNumberRequest(e164="+15550100101"), metadata=auth(key))
        for config in (
            chat_pb.ConverseConfig(called_number="+15550100199"),  # nobody's
            chat_pb.ConverseConfig(called_number="+15550100101"),  # imported, not assigned
        ):
            assert await _refused(channel, key, config) == "NOT_FOUND "
        # a number of another organization: as if it did not exist
        assert await _refused(channel, other, chat_pb.ConverseConfig(called_number=DIALLED)) == (
            "NOT_FOUND "
        )
        assert await _refused(
            channel, key, chat_pb.ConverseConfig(called_number="not a number")
        ) == ("INVALID_ARGUMENT config.called_number")
        # a number's callers never reach a draft
        assert await _refused(
            channel, key, chat_pb.ConverseConfig(called_number=DIALLED, draft_mode=True)
        ) == ("INVALID_ARGUMENT config.draft_mode")
    # no refused call left a session behind
    assert not (await _calls(core, key, agent_id)).calls


async def test_an_unpublished_agents_number_says_so(core: CoreFixture) -> None:
    key = await core.new_org_key()
    agent_id = await new_agent(core, key, publish=False)
    async with core.channel() as channel:
        await pb_grpc.NumberServiceStub(channel).ImportNumber(
            pb.ImportNumberRequest(e164=DIALLED, agent_id=agent_id), metadata=auth(key)
        )
        call = await _open(channel, key, chat_pb.ConverseConfig(called_number=DIALLED))
        with pytest.raises(grpc.aio.AioRpcError) as refused:
            await call.stream.read()
    assert refused.value.code() == grpc.StatusCode.FAILED_PRECONDITION
    assert error_reason(refused.value) == "NO_PUBLISHED_VERSION"


async def test_a_call_handed_to_a_person_is_listed_as_transferred(
    core: CoreFixture, demo_store: DemoStoreHandle
) -> None:
    voice = await _voice_agent(core, demo_store, caller_id=False)
    async with core.channel() as channel:
        await pb_grpc.NumberServiceStub(channel).ImportNumber(
            pb.ImportNumberRequest(e164=DIALLED, agent_id=voice.agent_id), metadata=auth(voice.key)
        )
        call = await _open(channel, voice.key, chat_pb.ConverseConfig(called_number=DIALLED))
        session = (await call.next()).session
        await call.turn()
        await call.send(text="a person, please")
        asked = await call.turn()
        (transfer,) = [p.transfer for p in asked if p.WhichOneof("kind") == "transfer"]
        assert transfer.destination == DESK
        # the voice frontend reports that the desk picked up: the agent's part is over
        await call.send(
            transfer_result=chat_pb.TransferResult(
                outcome=chat_pb.TRANSFER_OUTCOME_ANSWERED, destination=transfer.destination
            )
        )
        rest = await call.rest()
        assert rest[-1].hang_up.reason == "transferred"

    (listed,) = (await _calls(core, voice.key, voice.agent_id)).calls
    assert listed.session_id == session.id and listed.to == DIALLED
    assert listed.outcome == pb.CALL_OUTCOME_TRANSFERRED
    assert listed.transfer_destination == DESK
    assert "HANDOFF" in [kind(e) for e in listed.events]
