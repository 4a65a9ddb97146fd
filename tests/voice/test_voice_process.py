"""`python -m frontends.voice` as a real process in front of a real core, called with sipp.

The core decides which calls are answered: an INVITE to a number assigned to a published
agent is answered and becomes a call the core lists (with the digits the caller keyed
reaching it); any other number gets 404 before anyone answers; a source that is not an
allowed trunk gets 403; no key, no process.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from google.protobuf import json_format

from core.domain.scopes import CALLER_ID_SCOPE
from flowyte.roles import parse_ready
from flowyte.v1 import agent_service_pb2 as agent_pb
from flowyte.v1 import audit_pb2
from flowyte.v1 import number_service_pb2 as number_pb
from flowyte.v1 import number_service_pb2_grpc as number_grpc
from tests.conftest import ALL_SCOPES, CoreFixture
from tests.conversations.conftest import new_agent
from tests.core.helpers import auth
from tests.serving import REPO, STOP_TIMEOUT, clean_env
from tests.voice.conftest import free_port, run_sipp
from tests.voice.media_files import call_packets, tone, write_pcap

DIALLED = "+15550100100"
CALLER = "+15550100"  # what uac_call.xml puts in From
GREETING = "Thanks for calling Example Outfitters."


@dataclass
class Voice:
    process: subprocess.Popen[str]
    port: int
    key: str
    agent_id: str


def _start(core_target: str, key: str | None, **env: str) -> subprocess.Popen[str]:
    extra = {"FLOWYTE_VOICE_KEY": key} if key is not None else {}
    return subprocess.Popen(
        [sys.executable, "-m", "frontends.voice", "--core", core_target, "--port", "0"],
        cwd=REPO,
        env=clean_env(**extra, **env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


async def _ready(process: subprocess.Popen[str]) -> dict[str, object]:
    assert process.stdout is not None
    while line := await asyncio.to_thread(process.stdout.readline):
        if (ready := parse_ready(line)) is not None:
            return ready
    _, err = process.communicate(timeout=STOP_TIMEOUT)
    pytest.fail(f"the voice frontend exited ({process.returncode}) before it was ready:\n{err}")


@asynccontextmanager
async def _voice(
    core: CoreFixture,
    call_control: agent_pb.CallControl | None = None,
    handoff: agent_pb.HandoffConfig | None = None,
    **env: str,
) -> AsyncIterator[Voice]:
    org = await core.new_org()
    key = await core.new_key(org, ALL_SCOPES)  # the merchant's
    # the voice frontend's own: exactly the scopes its documentation asks for
    voice_key = await core.new_key(org, [CALLER_ID_SCOPE, "chat:write"], name="voice")
    agent_id = await new_agent(
        core, key, greeting=GREETING, call_control=call_control, handoff_config=handoff
    )
    async with core.channel() as channel:
        await number_grpc.NumberServiceStub(channel).ImportNumber(
            number_pb.ImportNumberRequest(e164=DIALLED, agent_id=agent_id), metadata=auth(key)
        )
    process = _start(core.target, voice_key, **env)
    try:
        ready = await _ready(process)
        assert ready["role"] == "voice"
        host, _, port = str(ready["sip"]).rpartition(":")
        assert host == "127.0.0.1"
        yield Voice(process, int(port), key, agent_id)
    finally:
        process.terminate()
        await asyncio.to_thread(process.communicate, timeout=STOP_TIMEOUT)
    assert process.returncode == 0


async def _calls(core: CoreFixture, voice: Voice) -> list[number_pb.Call]:
    async with core.channel() as channel:
        listed = await number_grpc.NumberServiceStub(channel).ListCalls(
            number_pb.ListCallsRequest(parent=f"agents/{voice.agent_id}"),
            metadata=auth(voice.key),
        )
    return list(listed.calls)


async def _eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10.0) -> bool:
    deadline = asyncio.get_running_loop().time() + seconds
    while not await check():
        if asyncio.get_running_loop().time() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def test_options_and_a_call_to_an_assigned_number_is_answered_and_listed(
    core: CoreFixture, tmp_path: Path
) -> None:
    async with _voice(core) as voice:
        options = await run_sipp("uac_options.xml", voice.port, tmp_path)
        assert options.returncode == 0, options.output

        write_pcap(tmp_path / "call_audio.pcap", call_packets(0, 96, tone(0.5), "12#"))
        result = await run_sipp("uac_call.xml", voice.port, tmp_path, service=DIALLED)
        assert result.returncode == 0, result.output

        assert await _eventually(lambda: _ended(core, voice))
        [call] = await _calls(core, voice)
        assert call.to == DIALLED and getattr(call, "from") == CALLER
        events = [
            (audit_pb2.AuditEventType.Name(e.event_type), json_format.MessageToDict(e.payload))
            for e in call.events
        ]
        assert events[0] == ("AUDIT_EVENT_TYPE_CALL_STARTED", {"callerNumber": CALLER}), events
        # the caller's keyed entry reached the core as their turn, and their BYE ended it
        assert ("AUDIT_EVENT_TYPE_USER_UTTERANCE", {"text": "", "dtmf": "12#"}) in events
        assert events[-1] == ("AUDIT_EVENT_TYPE_CALL_ENDED", {"reason": "caller_hung_up"})


async def test_the_core_hanging_up_ends_the_call_with_our_bye(
    core: CoreFixture, tmp_path: Path
) -> None:
    one_second = agent_pb.CallControl(max_duration_seconds=1)
    async with _voice(core, one_second) as voice:
        result = await run_sipp("uac_hung_up_on.xml", voice.port, tmp_path, service=DIALLED)
        assert result.returncode == 0, result.output

        assert await _eventually(lambda: _ended(core, voice))
        [call] = await _calls(core, voice)
        last = call.events[-1]
        assert last.event_type == audit_pb2.AUDIT_EVENT_TYPE_CALL_ENDED
        # the agent's maximum length ended it, not the caller (who only answered our BYE)
        assert json_format.MessageToDict(last.payload) == {"reason": "max_duration"}


async def test_a_transfer_the_call_cannot_place_is_reported_failed_to_the_core(
    core: CoreFixture, tmp_path: Path
) -> None:
    desk = agent_pb.HandoffConfig(transfer_destination="+15035550199")
    # Keys only (no speech engines): the caller here hangs up 0.2 s in, before a spoken
    # transfer line would end; the pipeline's transfer is tested in test_call_pipeline.py.
    async with _voice(core, handoff=desk, FLOWYTE_VOICE_SPEECH="off") as voice:
        write_pcap(tmp_path / "call_audio.pcap", call_packets(0, 96, tone(0.2), "0#"))
        result = await run_sipp("uac_call.xml", voice.port, tmp_path, service=DIALLED)
        assert result.returncode == 0, result.output
        assert await _eventually(lambda: _ended(core, voice))
        [call] = await _calls(core, voice)
        events = [
            (audit_pb2.AuditEventType.Name(e.event_type), json_format.MessageToDict(e.payload))
            for e in call.events
        ]
        assert ("AUDIT_EVENT_TYPE_USER_UTTERANCE", {"dtmf": "0#", "text": ""}) in events
        [result] = [payload for name, payload in events if name.endswith("TRANSFER_RESULT")]
        assert (result["destination"], result["outcome"]) == ("+15035550199", "failed")
        # the core took it from there: the caller is told, the handoff stays open
        assert any(p.get("reason") == "transfer_failed" for _, p in events)
        assert events[-1] == ("AUDIT_EVENT_TYPE_CALL_ENDED", {"reason": "caller_hung_up"})


async def _ended(core: CoreFixture, voice: Voice) -> bool:
    calls = await _calls(core, voice)
    return bool(calls) and calls[0].outcome != number_pb.CALL_OUTCOME_UNSPECIFIED


async def test_an_unknown_number_gets_404_and_no_call(core: CoreFixture, tmp_path: Path) -> None:
    async with _voice(core) as voice:
        result = await run_sipp("uac_refused_404.xml", voice.port, tmp_path, service="+15550199999")
        assert result.returncode == 0, result.output
        assert await _calls(core, voice) == []


async def test_an_offer_we_cannot_answer_gets_488_and_the_core_records_no_call(
    core: CoreFixture, tmp_path: Path
) -> None:
    async with _voice(core) as voice:
        result = await run_sipp("uac_refused_488.xml", voice.port, tmp_path, service=DIALLED)
        assert result.returncode == 0, result.output
        assert await _calls(core, voice) == []


async def test_a_source_outside_the_trunk_allow_list_gets_403(
    core: CoreFixture, tmp_path: Path
) -> None:
    async with _voice(core, FLOWYTE_SIP_TRUNKS="192.0.2.0/24") as voice:
        result = await run_sipp("uac_refused_403.xml", voice.port, tmp_path, service=DIALLED)
        assert result.returncode == 0, result.output
        assert await _calls(core, voice) == []


async def test_a_trunk_with_digest_credentials_is_challenged_then_answered(
    core: CoreFixture, tmp_path: Path
) -> None:
    trunk = {"FLOWYTE_SIP_TRUNKS": "", "FLOWYTE_SIP_CREDENTIALS": "trunk1:s3cret-pass"}
    async with _voice(core, **trunk) as voice:
        credentials = ("-au", "trunk1", "-ap", "s3cret-pass")
        result = await run_sipp(
            "uac_digest.xml", voice.port, tmp_path, service=DIALLED, extra=credentials
        )
        assert result.returncode == 0, result.output
        assert await _eventually(lambda: _listed(core, voice, 1))


async def _listed(core: CoreFixture, voice: Voice, count: int) -> bool:
    return len(await _calls(core, voice)) == count


async def test_bad_trunk_credentials_setting_refuses_to_start(core: CoreFixture) -> None:
    process = _start(core.target, "flowyte_sk_live_x", FLOWYTE_SIP_CREDENTIALS="trunk1")
    out, err = await asyncio.to_thread(process.communicate, timeout=STOP_TIMEOUT)
    assert process.returncode == 2 and "READY" not in out
    [line] = err.strip().splitlines()
    assert "FLOWYTE_SIP_CREDENTIALS must be user:password" in line


async def test_without_its_key_the_voice_frontend_refuses_to_start(core: CoreFixture) -> None:
    process = _start(core.target, None)
    out, err = await asyncio.to_thread(process.communicate, timeout=STOP_TIMEOUT)
    assert process.returncode == 2
    assert "READY" not in out
    [line] = err.strip().splitlines()
    assert "FLOWYTE_VOICE_KEY is not set" in line


async def test_with_its_core_unreachable_a_call_gets_503(tmp_path: Path) -> None:
    dead_core = f"127.0.0.1:{free_port(socket.SOCK_STREAM)}"
    process = _start(dead_core, "flowyte_sk_live_unused", FLOWYTE_VOICE_SPEECH="off")
    try:
        port = int(str((await _ready(process))["sip"]).rpartition(":")[2])
        result = await run_sipp("uac_refused_503.xml", port, tmp_path, service=DIALLED)
        assert result.returncode == 0, result.output
        options = await run_sipp("uac_options.xml", port, tmp_path)  # and it still serves
        assert options.returncode == 0, options.output
    finally:
        process.terminate()
        await asyncio.to_thread(process.communicate, timeout=STOP_TIMEOUT)
    assert process.returncode == 0
