"""RTP as the caller hears it: sent to where their RTP comes from, paced at 20 ms without
drift, cut short by barge-in with the played time reported, silent on hold."""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Awaitable, Callable

from frontends.voice.sip import AudioFrame, Call, PlayResult
from frontends.voice.sip.g711 import pcm16_to_ulaw
from frontends.voice.sip.message import tag
from frontends.voice.sip.rtp import RtpPacket, build_rtp, parse_rtp
from tests.voice.conftest import EchoApp, Endpoint
from tests.voice.media_files import tone
from tests.voice.sip_peer import Dialog, SipPeer, port_of, sdp, udp_socket


class Greeter(EchoApp):
    """Plays a greeting at once; stops it when the caller speaks (barge-in)."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.greeting = tone(seconds, 300)
        self.result: asyncio.Future[PlayResult] = asyncio.get_event_loop().create_future()

    async def __call__(self, call: Call) -> None:
        await call.answer()
        player = asyncio.ensure_future(call.play(self.greeting))
        async for event in call.events():
            if isinstance(event, AudioFrame):
                call.stop_playback()
                break
        self.result.set_result(await player)
        await call.ended.wait()


async def test_audio_goes_where_the_callers_rtp_comes_from_not_the_sdp_address(
    endpoint: Endpoint,
) -> None:
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    dialog = Dialog()
    # The SDP names port 9 (as a caller behind NAT might); its RTP really comes from `rtp`.
    peer.send(peer.request("INVITE", dialog, body=sdp(9)))
    ok = await peer.expect(200)
    dialog.to_tag = tag(ok.get("to"))
    peer.send(peer.request("ACK", dialog))
    answer_port = int(ok.body.split(b"m=audio ")[1].split()[0])
    assert rtp.transport is not None
    for n in range(10):
        packet = RtpPacket(0, n == 0, n, n * 160, 7, pcm16_to_ulaw(tone(0.02)))
        rtp.transport.sendto(build_rtp(packet), ("127.0.0.1", answer_port))
    async with asyncio.timeout(3):
        echoed = [parse_rtp((await rtp.queue.get())[1]) for _ in range(10)]
    assert all(p is not None and p.payload_type == 0 for p in echoed)
    sequences = [p.sequence for p in echoed if p]
    assert sequences == [(sequences[0] + i) & 0xFFFF for i in range(10)]
    await peer.hang_up(dialog)
    assert await endpoint.idle()
    await peer.close()


async def test_frames_are_paced_at_20_ms_on_a_schedule_that_does_not_drift(
    make_endpoint: Callable[..., Awaitable[Endpoint]],
) -> None:
    app = Greeter(seconds=3.0)
    endpoint = await make_endpoint(app=app)
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    dialog = await peer.call(port_of(rtp))
    arrivals = []
    async with asyncio.timeout(10):
        for _ in range(150):
            at, data, _ = await rtp.queue.get()
            packet = parse_rtp(data)
            assert packet is not None
            arrivals.append((at, packet.timestamp))
    first_at, first_ts = arrivals[0]
    # Each frame's send time is start + n * 20 ms: lateness never accumulates, so the
    # 150th frame is as close to its slot as the first (a sleep(0.02) loop would drift).
    lateness = [at - first_at - n * 0.020 for n, (at, _) in enumerate(arrivals)]
    drift = statistics.median(lateness[-25:]) - statistics.median(lateness[:25])
    assert abs(drift) < 0.010, drift  # medians: a busy machine's jitter is not drift
    assert max(abs(x) for x in lateness) < 0.25, max(lateness)  # and no burst or stall
    assert [(ts - first_ts) & 0xFFFFFFFF for _, ts in arrivals] == [160 * n for n in range(150)]
    await peer.hang_up(dialog)
    await peer.close()


async def test_barge_in_stops_playback_and_reports_what_was_played(
    make_endpoint: Callable[..., Awaitable[Endpoint]],
) -> None:
    app = Greeter(seconds=5.0)
    endpoint = await make_endpoint(app=app)
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    dialog = await peer.call(port_of(rtp))
    async with asyncio.timeout(5):
        for _ in range(25):  # half a second of greeting
            await rtp.queue.get()
    assert rtp.transport is not None
    server_rtp = endpoint.server.calls[next(iter(endpoint.server.calls))].rtp.port
    speech = RtpPacket(0, True, 1, 0, 99, pcm16_to_ulaw(tone(0.02, 200)))
    rtp.transport.sendto(build_rtp(speech), ("127.0.0.1", server_rtp))
    result = await asyncio.wait_for(app.result, 3)
    await asyncio.sleep(0.2)
    heard = 25 + rtp.queue.qsize()
    assert result.stopped
    assert result.played_ms == heard * 20
    assert 500 <= result.played_ms < 2000
    await peer.hang_up(dialog)
    assert await endpoint.idle()
    await peer.close()


async def test_hold_is_answered_recvonly_and_no_audio_is_sent_while_held(
    make_endpoint: Callable[..., Awaitable[Endpoint]],
) -> None:
    app = Greeter(seconds=4.0)
    endpoint = await make_endpoint(app=app)
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    dialog = await peer.call(port_of(rtp))
    await asyncio.wait_for(rtp.queue.get(), 3)
    dialog.cseq += 1
    peer.send(peer.request("INVITE", dialog, body=sdp(port_of(rtp), extra="a=sendonly")))
    ok = await peer.expect(200)
    assert b"a=recvonly" in ok.body
    peer.send(peer.request("ACK", dialog))
    await asyncio.sleep(0.1)
    while not rtp.queue.empty():
        rtp.queue.get_nowait()
    await asyncio.sleep(0.3)
    assert rtp.queue.empty()
    await peer.hang_up(dialog)
    assert await endpoint.idle()
    await peer.close()
