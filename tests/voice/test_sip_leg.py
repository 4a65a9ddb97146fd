"""The SIP call as an AudioLeg, on a real SipServer called by sipp: the caller's frames and
keys come out of `received` in the pipeline's types, plays queue behind each other, and a
stop says how much the caller heard (what the core is told on barge-in)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from frontends.voice.leg import FRAME_BYTES, Digit
from frontends.voice.sip import Call
from frontends.voice.sip_leg import SipLeg
from tests.voice.conftest import EchoApp, Endpoint, run_sipp
from tests.voice.media_files import call_packets, tone, write_pcap


async def _chunks(pcm: bytes, size: int = 1000) -> AsyncIterator[bytes]:
    for start in range(0, len(pcm), size):  # any chunking: the leg re-frames it
        yield pcm[start : start + size]


@dataclass
class LegApp(EchoApp):
    """Answers and exercises the leg while sipp plays its audio and keys."""

    frames: list[bytes] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    heard: dict[str, int] = field(default_factory=dict)
    numbers: tuple[str, str] = ("", "")

    def __post_init__(self) -> None:
        super().__init__()

    async def __call__(self, call: Call) -> None:
        await call.answer()
        leg = SipLeg(call)
        self.numbers = (leg.caller_number, leg.called_number)
        listening = asyncio.create_task(self._listen(leg))
        first = leg.play(_chunks(tone(0.4)))
        second = leg.play(_chunks(tone(0.4, hz=660)))
        self.heard["first"] = await first.finished()
        self.heard["second"] = await second.finished()
        self.heard["packets"] = call.rtp.sent_packets
        long = leg.play(_chunks(tone(5.0)))
        never = leg.play(_chunks(tone(1.0)))
        await asyncio.sleep(0.3)
        self.heard["never_stopped"] = never.stop()  # while still queued behind `long`
        self.heard["long_stopped"] = long.stop()
        self.heard["long_finished"] = await long.finished()
        self.heard["never_finished"] = await never.finished()
        await listening  # until the caller hangs up
        self.finished.set()

    async def _listen(self, leg: SipLeg) -> None:
        async for item in leg.received():
            if isinstance(item, Digit):
                self.keys.append(item.key)
            else:
                self.frames.append(item)


async def test_a_sip_call_is_an_audio_leg(
    make_endpoint: Callable[..., Awaitable[Endpoint]], tmp_path: Path
) -> None:
    app = LegApp()
    endpoint = await make_endpoint(app=app)
    write_pcap(tmp_path / "call_audio.pcap", call_packets(0, 96, tone(1.0), "12#"))
    result = await run_sipp("uac_call.xml", endpoint.server.port, tmp_path)
    assert result.returncode == 0, result.output
    await asyncio.wait_for(app.finished.wait(), 10)

    assert app.numbers == ("+15550100", "1000")
    assert app.keys == ["1", "2", "#"]
    assert len(app.frames) >= 45 and all(len(f) == FRAME_BYTES for f in app.frames)
    # plays queue: each played whole (the library would cut the first short if the second
    # started over it), one frame a packet
    assert app.heard["first"] == 400 and app.heard["second"] == 400
    assert app.heard["packets"] == 40
    # a stop mid-play reports what was sent, the same figure its end reports
    assert 100 <= app.heard["long_stopped"] <= 1000
    assert app.heard["long_finished"] == app.heard["long_stopped"]
    # a play still queued behind it when stopped is never heard
    assert app.heard["never_stopped"] == 0 and app.heard["never_finished"] == 0
    assert await endpoint.idle()
