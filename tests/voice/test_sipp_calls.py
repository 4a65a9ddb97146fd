"""Calls from sipp to a real SipServer on 127.0.0.1, over UDP and TCP."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from tests.voice.conftest import Endpoint, run_sipp
from tests.voice.media_files import call_packets, tone, write_pcap


@pytest.mark.parametrize("transport", ["u1", "t1"])
async def test_a_call_is_answered_hears_audio_and_digits_once_each(
    endpoint: Endpoint, tmp_path: Path, transport: str
) -> None:
    write_pcap(tmp_path / "call_audio.pcap", call_packets(0, 96, tone(1.0), "12#"))
    result = await run_sipp("uac_call.xml", endpoint.server.port, tmp_path, transport=transport)
    assert result.returncode == 0, result.output
    [record] = endpoint.app.records
    assert record.call.caller == "+15550100"
    assert record.call.called == "1000"
    assert record.call.end_reason == "bye"
    # Each key press was 5 start packets and 3 end packets: one digit each, in order.
    assert record.digits == ["1", "2", "#"]
    assert record.frames >= 45  # 50 frames of tone were sent
    assert record.played_ms >= 20 * 45  # and echoed back
    assert record.call.rtp.sent_packets >= 45
    assert await endpoint.idle()


@pytest.mark.parametrize("transport", ["u1", "t1"])
async def test_cancel_before_answer_gets_487_and_the_call_is_gone(
    endpoint: Endpoint, tmp_path: Path, transport: str
) -> None:
    result = await run_sipp(
        "uac_cancel.xml", endpoint.server.port, tmp_path, transport=transport, service="2000"
    )
    assert result.returncode == 0, result.output
    [record] = endpoint.app.records
    assert record.call.end_reason == "cancelled"
    assert record.call.rtp.sent_packets == 0
    assert await endpoint.idle()


async def test_options_is_answered_with_allow(endpoint: Endpoint, tmp_path: Path) -> None:
    result = await run_sipp("uac_options.xml", endpoint.server.port, tmp_path)
    assert result.returncode == 0, result.output
    assert not endpoint.app.records
    assert await endpoint.idle()


async def test_a_number_nobody_answers_gets_404(endpoint: Endpoint, tmp_path: Path) -> None:
    result = await run_sipp("uac_refused_404.xml", endpoint.server.port, tmp_path, service="5555")
    assert result.returncode == 0, result.output
    assert not endpoint.app.records
    # The ACK was matched to the 404's transaction (well before its 64*T1 timer H).
    assert await endpoint.idle(within=2 * endpoint.server.timers.timeout / 3)


async def test_a_caller_outside_the_allow_list_gets_403(
    make_endpoint: Callable[..., Awaitable[Endpoint]], tmp_path: Path
) -> None:
    endpoint = await make_endpoint(allowed=("10.0.0.0/8",))
    result = await run_sipp("uac_refused_403.xml", endpoint.server.port, tmp_path)
    assert result.returncode == 0, result.output
    assert not endpoint.app.records
    assert await endpoint.idle()


@pytest.mark.parametrize("transport", ["u1", "t1"])
async def test_a_trunk_with_digest_credentials_is_challenged_then_answered(
    make_endpoint: Callable[..., Awaitable[Endpoint]], tmp_path: Path, transport: str
) -> None:
    endpoint = await make_endpoint(allowed=(), credentials={"trunk1": "s3cret-pass"})
    result = await run_sipp(
        "uac_digest.xml",
        endpoint.server.port,
        tmp_path,
        transport=transport,
        extra=("-au", "trunk1", "-ap", "s3cret-pass"),
    )
    assert result.returncode == 0, result.output
    [record] = endpoint.app.records
    assert record.call.end_reason == "bye"
    assert await endpoint.idle()


async def test_wrong_digest_credentials_are_challenged_again_not_answered(
    make_endpoint: Callable[..., Awaitable[Endpoint]], tmp_path: Path
) -> None:
    endpoint = await make_endpoint(allowed=(), credentials={"trunk1": "s3cret-pass"})
    result = await run_sipp(
        "uac_digest.xml",
        endpoint.server.port,
        tmp_path,
        extra=("-au", "trunk1", "-ap", "wrong"),
        seconds=5,
    )
    assert result.returncode != 0
    assert "401" in result.output
    assert not endpoint.app.records


async def test_twenty_concurrent_calls_all_complete_with_their_own_digits(
    endpoint: Endpoint, tmp_path: Path
) -> None:
    write_pcap(tmp_path / "call_audio.pcap", call_packets(0, 96, tone(1.0), "98"))
    result = await run_sipp(
        "uac_call.xml",
        endpoint.server.port,
        tmp_path,
        calls=20,
        extra=("-r", "20", "-rp", "1000"),
        seconds=60,
    )
    assert result.returncode == 0, result.output
    assert len(endpoint.app.records) == 20
    assert len({r.call.call_id for r in endpoint.app.records}) == 20
    assert len({r.call.rtp.port for r in endpoint.app.records}) == 20
    for record in endpoint.app.records:
        assert record.digits == ["9", "8"]
        assert record.call.end_reason == "bye"
        assert record.frames >= 45
    assert await endpoint.idle()


@pytest.mark.parametrize("transport", ["u1", "t1"])
async def test_zero_transfers_the_caller_by_refer_and_the_call_ends(
    endpoint: Endpoint, tmp_path: Path, transport: str
) -> None:
    write_pcap(tmp_path / "call_audio.pcap", call_packets(0, 96, tone(0.2), "0"))
    result = await run_sipp("uac_transfer.xml", endpoint.server.port, tmp_path, transport=transport)
    assert result.returncode == 0, result.output
    [record] = endpoint.app.records
    assert record.transferred is True
    assert record.call.end_reason == "transferred"
    assert await endpoint.idle()
