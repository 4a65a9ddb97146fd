"""Calls from sipp to a real SipServer on 127.0.0.1, over UDP and TCP."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.voice.conftest import Endpoint, needs_sipp, run_sipp
from tests.voice.media_files import call_packets, tone, write_pcap

pytestmark = needs_sipp


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
