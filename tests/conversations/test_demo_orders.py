"""The demo store's orders say what the README promises, on whatever date the suite runs.

The README's table of the bundled demo data is read here, row by row, and each order is
asked about over REST as a shopper would, against the demo store as `make run` starts it:
its data moved to the present by the process's clock. CI runs this a year ahead too.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from demostore import DemoStoreHandle, start_demo_store
from frontends.gateway import start_gateway
from tests.conftest import CoreFixture
from tests.gateway.conftest import Api

from .conftest import connect_and_publish, new_agent

README = Path(__file__).resolve().parents[2] / "README.md"
ROW = re.compile(r"^\| (#20\d\d) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", re.M)


def promised() -> list[tuple[str, str, str, str]]:
    """(order, a verifying detail, what the answer says, who takes it) per README row."""
    rows = []
    for order, verify, says, person in ROW.findall(README.read_text(encoding="utf-8")):
        detail = verify.split(" or ")[0].strip()
        said = re.split(r"[,:(]", says, maxsplit=1)[0].strip()
        rows.append((order, detail, said, person.strip()))
    return rows


def test_the_readme_lists_every_demo_order() -> None:
    assert [row[0] for row in promised()] == [f"#{n}" for n in range(2001, 2016)]


@pytest.fixture
async def demo_api(core: CoreFixture, http: aiohttp.ClientSession) -> AsyncIterator[Api]:
    store: DemoStoreHandle = await start_demo_store()  # the bundled data, as `make run` has it
    gateway = await start_gateway(core.target, port=0)
    key = await core.new_org_key()
    agent_id = await new_agent(core, key, publish=False)
    await connect_and_publish(core, key, agent_id, store)
    try:
        api = Api(http, gateway.url + "/api/v1", key)
        api.agent_id = agent_id  # type: ignore[attr-defined]
        yield api
    finally:
        await gateway.stop()
        await store.stop()


async def test_every_demo_order_reads_as_the_readme_says(demo_api: Api) -> None:
    agent_id = demo_api.agent_id  # type: ignore[attr-defined]
    for order, detail, said, person in promised():
        session = (await demo_api.post("/chat/sessions", {"agentId": agent_id})).data["id"]
        await demo_api.post(f"/chat/sessions/{session}/messages", {"content": f"where is {order}"})
        told = await demo_api.post(
            f"/chat/sessions/{session}/messages", {"content": f"it's {detail}"}
        )
        assert told.status == 200, told.body
        reply = told.data["reply"]["content"]
        assert said in reply, (order, reply)
        handoff = told.data["session"].get("handoffId")
        if person.startswith("yes"):
            reason = re.search(r"`(\w+)`", person)
            assert handoff and reason, (order, reply)
            taken = (await demo_api.get(f"/handoffs/{handoff}")).data
            assert taken["reason"] == reason.group(1), (order, taken["reason"])
        else:
            assert not handoff, (order, reply)
            assert ("person" in reply) is (person == "offered"), (order, reply)
