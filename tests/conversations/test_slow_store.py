"""A store slower than the core's store client allows: the gateway waits for the core, the
customer hears "trouble reaching the store", and what they said is in the transcript.

The store client's timeout is made short here (0.3 s against a store answering in 0.5 s);
the gateway's deadline is derived from the same Deadlines, as in `flowyte serve`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from core.server import start_core
from demostore import DemoStoreHandle, start_demo_store
from flowyte.deadlines import Deadlines
from frontends.gateway import start_gateway
from tests.conftest import BACKENDS, CoreFixture, _database_url_for, core_settings
from tests.gateway.conftest import Api
from tests.shopify.fixtures import store_example

from .conftest import connect_and_publish, new_agent

SHORT = Deadlines(store_attempt=0.3, store_backoff_cap=0.05)
SAID = "where is order #1001? my email is ava.chen@example.com"


@pytest.fixture(params=BACKENDS)
async def short_core(
    request: pytest.FixtureRequest, tmp_path: Path, master_key: str
) -> AsyncIterator[CoreFixture]:
    request.node.add_marker(pytest.mark.backend(request.param))
    urls = _database_url_for(request.param, tmp_path)
    url = await urls.__anext__()
    handle = await start_core(core_settings(tmp_path, url, master_key, deadlines=SHORT))
    try:
        yield CoreFixture(handle, request.param)
    finally:
        await handle.stop(0)
        await urls.aclose()


@pytest.fixture
async def slow_store() -> AsyncIterator[DemoStoreHandle]:
    handle = await start_demo_store(store_example(), latency_ms=500)
    try:
        yield handle
    finally:
        await handle.stop()


async def test_a_store_slower_than_the_client_allows_still_gets_an_answer_and_a_transcript(
    short_core: CoreFixture, slow_store: DemoStoreHandle, http: aiohttp.ClientSession
) -> None:
    key = await short_core.new_org_key()
    agent_id = await new_agent(short_core, key, publish=False)
    await connect_and_publish(short_core, key, agent_id, slow_store)
    gateway = await start_gateway(short_core.target, port=0, deadlines=SHORT)
    try:
        api = Api(http, gateway.url + "/api/v1", key)
        session_id = (await api.post("/chat/sessions", {"agentId": agent_id})).data["id"]
        told = await api.post(f"/chat/sessions/{session_id}/messages", {"content": SAID})
        assert told.status == 200, told.body
        assert "trouble reaching the store" in told.data["reply"]["content"]
        transcript = (await api.get(f"/chat/sessions/{session_id}/messages")).data
    finally:
        await gateway.stop()
    said = [e["payload"]["text"] for e in transcript if e["eventType"] == "user_utterance"]
    assert said == [SAID]
    errors = [e["payload"] for e in transcript if e["eventType"] == "error"]
    assert [e["reason"] for e in errors] == ["STORE_TEMPORARILY_UNAVAILABLE"]


def test_every_wait_outlasts_the_one_it_waits_for() -> None:
    for deadlines in (
        Deadlines(),
        SHORT,
        Deadlines.from_env({"FLOWYTE_STORE_TIMEOUT_SECONDS": "45"}),
    ):
        assert deadlines.store_attempt < deadlines.store_lookup < deadlines.turn
        assert deadlines.turn < deadlines.frontend_call() < deadlines.frontend_call(turns=3)
    assert Deadlines.from_env({"FLOWYTE_STORE_TIMEOUT_SECONDS": "45"}).store_attempt == 45
    for bad in ("soon", "0", "-1", "nan", "inf"):
        with pytest.raises(ValueError, match="FLOWYTE_STORE_TIMEOUT_SECONDS"):
            Deadlines.from_env({"FLOWYTE_STORE_TIMEOUT_SECONDS": bad})
