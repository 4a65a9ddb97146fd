"""Phone numbers over gRPC: import (E.164, normalised), list, assign, unassign; one number
in one organization at all; other organizations' numbers and agents looking missing;
scopes; the reserved buying RPCs; an agent's deletion unassigning its numbers."""

from __future__ import annotations

from dataclasses import dataclass

import grpc
import pytest

from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import agent_service_pb2_grpc as agent_grpc
from flowyte.v1 import number_service_pb2 as pb
from flowyte.v1 import number_service_pb2_grpc as pb_grpc
from tests.conftest import CoreFixture
from tests.core.helpers import auth, error_fields, error_reason, expect_error

NUMBER = "+15550100100"


@dataclass
class Org:
    key: str
    agent_id: str
    stub: pb_grpc.NumberServiceStub

    async def import_(self, e164: str, agent_id: str = "") -> pb.PhoneNumber:
        reply = await self.stub.ImportNumber(
            pb.ImportNumberRequest(e164=e164, agent_id=agent_id), metadata=auth(self.key)
        )
        return reply.number

    async def listed(self) -> list[pb.PhoneNumber]:
        reply = await self.stub.ListNumbers(pb.ListNumbersRequest(), metadata=auth(self.key))
        return list(reply.numbers)


async def _org(core: CoreFixture, channel: grpc.aio.Channel) -> Org:
    key = await core.new_org_key()
    agent = await agent_grpc.AgentServiceStub(channel).CreateAgent(
        agent_pb.CreateAgentRequest(agent=agent_pb.Agent(display_name="Ava")),
        metadata=auth(key),
    )
    return Org(key, agent.agent.id, pb_grpc.NumberServiceStub(channel))


@pytest.fixture
async def channel(core: CoreFixture):  # type: ignore[no-untyped-def]
    async with core.channel() as opened:
        yield opened


async def test_import_list_assign_unassign(core: CoreFixture, channel: grpc.aio.Channel) -> None:
    org = await _org(core, channel)
    # a US number as people write it becomes E.164
    made = await org.import_("(555) 010-0100")
    assert made.e164 == NUMBER and made.id.startswith("num_")
    assert made.name == f"numbers/{made.id}" and made.agent_id == ""
    assert made.create_time.seconds > 0

    assigned = await org.stub.AssignNumber(
        pb.AssignNumberRequest(name=made.name, agent_id=org.agent_id), metadata=auth(org.key)
    )
    assert assigned.number.agent_id == org.agent_id
    assert [n.agent_id for n in await org.listed()] == [org.agent_id]

    unassigned = await org.stub.UnassignNumber(
        pb.UnassignNumberRequest(name=made.name), metadata=auth(org.key)
    )
    assert unassigned.number.agent_id == ""
    assert [(n.e164, n.agent_id) for n in await org.listed()] == [(NUMBER, "")]

    # imported straight onto an agent
    other = await org.import_("+442079460000", org.agent_id)
    assert other.agent_id == org.agent_id
    assert [n.e164 for n in await org.listed()] == [NUMBER, "+442079460000"]


async def test_numbers_page_in_import_order(core: CoreFixture, channel: grpc.aio.Channel) -> None:
    org = await _org(core, channel)
    numbers = [f"+1555010010{i}" for i in range(5)]
    for number in numbers:
        await org.import_(number)
    seen: list[str] = []
    token = ""
    while True:
        page = await org.stub.ListNumbers(
            pb.ListNumbersRequest(page_size=2, page_token=token), metadata=auth(org.key)
        )
        assert len(page.numbers) <= 2
        seen += [n.e164 for n in page.numbers]
        token = page.next_page_token
        if not token:
            break
    assert seen == numbers


@pytest.mark.parametrize("bad", ["", "12345", "+0123456789", "sip:desk@example.com", "call me"])
async def test_a_number_that_is_not_e164_is_refused_naming_the_field(
    core: CoreFixture, channel: grpc.aio.Channel, bad: str
) -> None:
    org = await _org(core, channel)
    error = await expect_error(org.import_(bad), grpc.StatusCode.INVALID_ARGUMENT)
    assert error_fields(error) == ["e164"]
    assert await org.listed() == []


async def test_a_number_belongs_to_one_organization_at_all(
    core: CoreFixture, channel: grpc.aio.Channel
) -> None:
    first, second = await _org(core, channel), await _org(core, channel)
    await first.import_(NUMBER, first.agent_id)
    again = await expect_error(first.import_("555-010-0100"), grpc.StatusCode.ALREADY_EXISTS)
    elsewhere = await expect_error(second.import_(NUMBER), grpc.StatusCode.ALREADY_EXISTS)
    # the same answer whichever organization holds it: it names no one
    assert again.details() == elsewhere.details()
    assert error_fields(elsewhere) == ["e164"]
    assert await second.listed() == []
    assert [n.agent_id for n in await first.listed()] == [first.agent_id]


async def test_other_organizations_numbers_and_agents_look_missing(
    core: CoreFixture, channel: grpc.aio.Channel
) -> None:
    mine, theirs = await _org(core, channel), await _org(core, channel)
    their_number = await theirs.import_(NUMBER)
    my_number = await mine.import_("+15550100101")

    for call in (
        mine.stub.AssignNumber(
            pb.AssignNumberRequest(name=their_number.name, agent_id=mine.agent_id),
            metadata=auth(mine.key),
        ),
        mine.stub.UnassignNumber(
            pb.UnassignNumberRequest(name=their_number.name), metadata=auth(mine.key)
        ),
        # my number onto their agent, by assignment or at import
        mine.stub.AssignNumber(
            pb.AssignNumberRequest(name=my_number.name, agent_id=theirs.agent_id),
            metadata=auth(mine.key),
        ),
        mine.import_("+15550100102", theirs.agent_id),
        mine.stub.ListCalls(
            pb.ListCallsRequest(parent=f"agents/{theirs.agent_id}"), metadata=auth(mine.key)
        ),
    ):
        error = await expect_error(call, grpc.StatusCode.NOT_FOUND)
        assert error_reason(error) == "NOT_FOUND"
    # nothing changed on either side
    assert [(n.e164, n.agent_id) for n in await mine.listed()] == [("+15550100101", "")]
    assert [(n.e164, n.agent_id) for n in await theirs.listed()] == [(NUMBER, "")]


async def test_scopes(core: CoreFixture, channel: grpc.aio.Channel) -> None:
    org = await _org(core, channel)
    made = await org.import_(NUMBER)
    reader = await core.new_key(await core.org_of(org.key), ["numbers:read"])
    stub = pb_grpc.NumberServiceStub(channel)
    listed = await stub.ListNumbers(pb.ListNumbersRequest(), metadata=auth(reader))
    assert [n.e164 for n in listed.numbers] == [NUMBER]
    for call in (
        stub.ImportNumber(pb.ImportNumberRequest(e164="+15550100101"), metadata=auth(reader)),
        stub.AssignNumber(
            pb.AssignNumberRequest(name=made.name, agent_id=org.agent_id), metadata=auth(reader)
        ),
        stub.UnassignNumber(pb.UnassignNumberRequest(name=made.name), metadata=auth(reader)),
        stub.ListCalls(pb.ListCallsRequest(parent=f"agents/{org.agent_id}"), metadata=auth(reader)),
    ):
        error = await expect_error(call, grpc.StatusCode.PERMISSION_DENIED)
        assert error_reason(error) == "MISSING_SCOPE"
    assert [n.agent_id for n in await org.listed()] == [""]


async def test_buying_numbers_is_reserved(core: CoreFixture, channel: grpc.aio.Channel) -> None:
    org = await _org(core, channel)
    for call in (
        org.stub.SearchNumbers(pb.SearchNumbersRequest(area_code="555"), metadata=auth(org.key)),
        org.stub.ReserveNumber(pb.ReserveNumberRequest(e164=NUMBER), metadata=auth(org.key)),
        org.stub.PurchaseNumber(pb.PurchaseNumberRequest(e164=NUMBER), metadata=auth(org.key)),
    ):
        error = await expect_error(call, grpc.StatusCode.PERMISSION_DENIED)
        assert error_reason(error) == "RESERVED"
    assert await org.listed() == []


async def test_deleting_an_agent_unassigns_its_numbers(
    core: CoreFixture, channel: grpc.aio.Channel
) -> None:
    org = await _org(core, channel)
    await org.import_(NUMBER, org.agent_id)
    await agent_grpc.AgentServiceStub(channel).DeleteAgent(
        agent_pb.DeleteAgentRequest(name=f"agents/{org.agent_id}"), metadata=auth(org.key)
    )
    # the number stays the organization's, ready for another agent
    assert [(n.e164, n.agent_id) for n in await org.listed()] == [(NUMBER, "")]
