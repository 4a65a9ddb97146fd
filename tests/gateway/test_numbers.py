"""/numbers over REST: import (201, normalised), list, assign, unassign; what a bad number, a
duplicate, another organization's number or agent, a missing scope and the reserved buying
routes answer."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from frontends.gateway import GatewayHandle
from tests.conftest import CoreFixture

from .conftest import Api


async def _org(core: CoreFixture, gateway: GatewayHandle, http: aiohttp.ClientSession) -> Any:
    api = Api(http, gateway.url + "/api/v1", await core.new_org_key())
    agent = (await api.post("/agents", {"name": "Ava"})).data
    return api, agent["id"]


@pytest.fixture
async def org(core: CoreFixture, gateway: GatewayHandle, http: aiohttp.ClientSession) -> Any:
    return await _org(core, gateway, http)


async def test_import_list_assign_unassign(org: Any) -> None:
    api, agent_id = org
    made = await api.post("/numbers/import", {"e164": "555.010.0100"})
    assert made.status == 201
    number = made.data
    assert number["e164"] == "+15550100100" and number["id"].startswith("num_")
    assert number["agentId"] is None and number["createdAt"]

    assigned = await api.post(f"/numbers/{number['id']}/assign", {"agentId": agent_id})
    assert assigned.data["agentId"] == agent_id
    listed = await api.get("/numbers")
    assert [n["agentId"] for n in listed.data] == [agent_id] and listed.body["nextCursor"] is None

    unassigned = await api.delete(f"/numbers/{number['id']}/assign")
    assert unassigned.data["agentId"] is None
    assert [n["agentId"] for n in (await api.get("/numbers")).data] == [None]

    onto = await api.post("/numbers/import", {"e164": "+442079460000", "agentId": agent_id})
    assert onto.data["agentId"] == agent_id
    first = await api.get("/numbers?limit=1")
    assert [n["e164"] for n in first.data] == ["+15550100100"]
    rest = await api.get(f"/numbers?limit=1&cursor={first.body['nextCursor']}")
    assert [n["e164"] for n in rest.data] == ["+442079460000"]


async def test_a_bad_number_is_a_400_naming_the_field(org: Any) -> None:
    api, _ = org
    for bad in ("12345", "sip:desk@example.com"):
        reply = await api.post("/numbers/import", {"e164": bad})
        assert reply.status == 400 and reply.fields == ["e164"], reply.body
    missing = await api.post("/numbers/import", {})
    assert missing.status == 400 and missing.fields == ["e164"], missing.body
    assert (await api.get("/numbers")).data == []


async def test_a_duplicate_import_is_a_409_in_any_organization(
    org: Any, core: CoreFixture, gateway: GatewayHandle, http: aiohttp.ClientSession
) -> None:
    api, _ = org
    other, _ = await _org(core, gateway, http)
    assert (await api.post("/numbers/import", {"e164": "+15550100100"})).status == 201
    again = await api.post("/numbers/import", {"e164": "(555) 010-0100"})
    elsewhere = await other.post("/numbers/import", {"e164": "+15550100100"})
    assert again.status == elsewhere.status == 409
    assert again.body["detail"] == elsewhere.body["detail"]
    assert (await other.get("/numbers")).data == []


async def test_other_organizations_numbers_and_agents_are_404(
    org: Any, core: CoreFixture, gateway: GatewayHandle, http: aiohttp.ClientSession
) -> None:
    api, agent_id = org
    other, their_agent = await _org(core, gateway, http)
    theirs = (await other.post("/numbers/import", {"e164": "+15550100100"})).data
    mine = (await api.post("/numbers/import", {"e164": "+15550100101"})).data
    replies = [
        await api.post(f"/numbers/{theirs['id']}/assign", {"agentId": agent_id}),
        await api.delete(f"/numbers/{theirs['id']}/assign"),
        await api.post(f"/numbers/{mine['id']}/assign", {"agentId": their_agent}),
        await api.post("/numbers/import", {"e164": "+15550100102", "agentId": their_agent}),
        await api.get(f"/agents/{their_agent}/calls"),
    ]
    assert [r.status for r in replies] == [404] * len(replies), [r.body for r in replies]
    assert [n["agentId"] for n in (await other.get("/numbers")).data] == [None]
    assert [n["e164"] for n in (await api.get("/numbers")).data] == ["+15550100101"]


async def test_missing_scope_and_reserved_routes_are_403(
    org: Any, core: CoreFixture, http: aiohttp.ClientSession
) -> None:
    api, agent_id = org
    reader = api.as_(await core.new_key(await core.org_of(api.key), ["numbers:read"]))
    assert (await reader.get("/numbers")).status == 200
    refused = await reader.post("/numbers/import", {"e164": "+15550100100"})
    assert refused.status == 403 and refused.code == "missing_scope"
    assert (await reader.get(f"/agents/{agent_id}/calls")).status == 403

    for reply in (
        await api.get("/numbers/search?areaCode=555"),
        await api.post("/numbers/reserve", {"e164": "+15550100100"}),
        await api.post("/numbers/purchase", {"e164": "+15550100100"}),
    ):
        assert reply.status == 403 and reply.code == "reserved", reply.body
        assert "carrier" in reply.body["detail"]
    assert (await api.get("/numbers")).data == []
