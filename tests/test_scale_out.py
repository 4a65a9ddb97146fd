"""Two cores and two gateways on one PostgreSQL, each a process started by name: the
gateways balance over the cores, and when one core is killed outright in the middle of a
conversation the conversation goes on through the other, nothing lost and nothing doubled."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from flowyte.demo_setup import connect_demo_store
from flowyte.roles import parse_ready
from tests.conftest import POSTGRES_URL, _drop_schema, _postgres_schema_url
from tests.serving import REPO, STOP_TIMEOUT, clean_env

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="replicas share PostgreSQL")

ORDER, EMAIL, TRACKING = "#2001", "maya.patel@example.com", "1Z4F82E90342187651"


@pytest.fixture
async def shared_database() -> AsyncIterator[str]:
    schema = f"t_scale_{id(object()):x}"
    url = await _postgres_schema_url(schema)
    try:
        yield url
    finally:
        await _drop_schema(schema)


class Roles:
    """Role processes started by name, each with what its READY line said."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.processes: list[subprocess.Popen[str]] = []

    def start(self, module: str, *args: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
        process = subprocess.Popen(
            [sys.executable, "-m", module, *args],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.processes.append(process)
        assert process.stdout is not None
        for line in process.stdout:
            if (ready := parse_ready(line)) is not None:
                return process, ready
        pytest.fail(f"python -m {module} exited ({process.wait()}) before it was ready")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@contextmanager
def roles(env: dict[str, str]) -> Iterator[Roles]:
    started = Roles(env)
    try:
        yield started
    finally:
        started.stop()


async def test_a_core_killed_mid_conversation_loses_and_doubles_nothing(
    shared_database: str, tmp_path: Path
) -> None:
    env = clean_env(FLOWYTE_DATABASE_URL=shared_database)
    data = str(tmp_path)  # the demo's generated master key, shared by both cores
    with roles(env) as started:
        first, core_a = started.start("core", "--demo", "--grpc-port", "0", "--data-dir", data)
        _, core_b = started.start("core", "--demo", "--grpc-port", "0", "--data-dir", data)
        _, store = started.start("demostore", "--port", "0")
        demo = core_b["demo"]  # the same demo organization and agent, a key of its own
        assert demo["agentId"] == core_a["demo"]["agentId"]
        await connect_demo_store(
            core_a["grpc"],
            demo["apiKey"],
            demo["agentId"],
            store["shop"],
            store["accessToken"],
            store["url"],
        )
        both = ["--core", core_a["grpc"], "--core", core_b["grpc"]]
        gateways = [started.start("frontends.gateway", *both, "--port", "0")[1] for _ in "ab"]
        apis = [g["url"] + "/api/v1" for g in gateways]
        headers = {"Authorization": f"Bearer {demo['apiKey']}"}

        async with aiohttp.ClientSession(headers=headers) as http:

            async def say(api: str, session: str, text: str) -> str:
                url = f"{api}/chat/sessions/{session}/messages"
                async with http.post(url, json={"content": text}) as reply:
                    body = await reply.json()
                    assert reply.status == 200, body
                return str(body["data"]["reply"]["content"])

            async with http.post(
                f"{apis[0]}/chat/sessions", json={"agentId": demo["agentId"]}
            ) as r:
                session = (await r.json())["data"]["id"]
            said = [f"where is my order {ORDER}?", f"my email is {EMAIL}"]
            await say(apis[0], session, said[0])
            assert TRACKING in await say(apis[1], session, said[1])

            first.send_signal(signal.SIGKILL)  # no goodbye: its connections just drop
            first.wait(timeout=STOP_TIMEOUT)
            for api in (apis[0], apis[1], apis[0]):
                said.append("and the tracking number?")
                assert TRACKING in await say(api, session, said[-1])

            async with http.get(f"{apis[1]}/chat/sessions/{session}/messages") as r:
                events = (await r.json())["data"]
        heard = [e["payload"]["text"] for e in events if e["eventType"] == "user_utterance"]
        answered = [e for e in events if e["eventType"] == "agent_message"]
        assert heard == said  # every message once, in order
        assert len(answered) == len(said)  # and one answer each


def test_several_core_addresses_must_be_ip_addresses() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "frontends.gateway", "--core", "a.example:1", "--core", "b:2"],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "must be IP addresses" in done.stderr
