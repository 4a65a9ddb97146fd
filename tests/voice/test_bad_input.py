"""Bad input while a good call is up: each bad request gets its 4xx (or is dropped when it
cannot be answered), RTP garbage and floods are dropped, and the good call keeps working."""

from __future__ import annotations

import asyncio
import os

import pytest

from frontends.voice.sip.message import branch, tag
from frontends.voice.sip.rtp import RtpPacket, build_rtp, telephone_event_payload
from tests.voice.conftest import Endpoint
from tests.voice.sip_peer import Dialog, Inbox, SipPeer, port_of, sdp, udp_socket


async def good_call(endpoint: Endpoint) -> tuple[SipPeer, Dialog, int, object]:
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    dialog = await peer.call(port_of(rtp))
    return peer, dialog, endpoint.app.records[0].call.rtp.port, rtp


async def still_works(endpoint: Endpoint, peer: SipPeer, dialog: Dialog, rtp: object) -> None:
    """The good call still hears digits (once each) and hangs up cleanly; nothing is left."""
    assert isinstance(rtp, Inbox) and rtp.transport is not None
    record = endpoint.app.records[0]
    before = list(record.digits)
    for n, event in enumerate((7, 3)):
        for end in (False, True, True, True):
            payload = telephone_event_payload(event, end, 800)
            packet = RtpPacket(101, False, 100 + n * 4, 90000 + n * 1000, 42, payload)
            rtp.transport.sendto(build_rtp(packet), ("127.0.0.1", record.call.rtp.port))
    for _ in range(40):
        if len(record.digits) >= len(before) + 2:
            break
        await asyncio.sleep(0.05)
    assert record.digits[len(before) :] == ["7", "3"]
    await peer.hang_up(dialog)
    assert await endpoint.idle()
    assert endpoint.server.internal_errors == 0


BAD_REQUESTS = [
    # (what, builder of the raw text from a fresh dialog, expected status or None: dropped)
    ("truncated body", lambda p, d: p.request("INVITE", d, body=sdp(1))[:-40], 400),
    ("no Call-ID", lambda p, d: p.request("OPTIONS", d).replace("Call-ID:", "X-Was:"), 400),
    ("CSeq method differs", lambda p, d: p.request("OPTIONS", d).replace("1 OPTIONS", "1 X"), 400),
    ("bad SDP", lambda p, d: p.request("INVITE", d, body="v=0\r\nm=audio nope\r\n"), 400),
    ("no common codec", lambda p, d: p.request("INVITE", d, body=sdp(4000, "18")), 488),
    ("not SDP", lambda p, d: p.request("INVITE", d, body="hi", content_type="text/plain"), 415),
    ("REFER", lambda p, d: p.request("REFER", d), 405),
    ("unknown method", lambda p, d: p.request("FROBNICATE", d), 501),
    ("BYE outside a dialog", lambda p, d: p.request("BYE", d), 481),
    ("CANCEL of nothing", lambda p, d: p.request("CANCEL", d), 481),
    ("INFO outside a dialog", lambda p, d: p.request("INFO", d, body="Signal=1"), 481),
    ("Require", lambda p, d: p.request("INVITE", d, body=sdp(1), headers="Require: 100rel"), 420),
    ("garbage", lambda p, d: "\x00\x01 hello there\r\n\r\n", None),
    ("a response nobody asked for", lambda p, d: "SIP/2.0 200 OK\r\nVia: x\r\n\r\n", None),
]  # fmt: skip


@pytest.mark.parametrize("transport", ["UDP", "TCP"])
async def test_each_bad_request_gets_its_status_and_the_good_call_carries_on(
    endpoint: Endpoint, transport: str
) -> None:
    peer, dialog, _, rtp = await good_call(endpoint)
    bad = await SipPeer.open(endpoint.server.port, transport)
    for what, build, status in BAD_REQUESTS:
        if what == "truncated body" and transport == "TCP":
            continue  # on TCP that is a message still arriving: see the test below
        request_dialog = Dialog()
        text = build(bad, request_dialog)
        bad.send(text)
        if status is None:
            await asyncio.sleep(0.1)
            assert bad.responses.empty(), what
            continue
        response = await bad.expect(status)
        if status == 405:
            assert "INVITE" in (response.get("allow") or "")
        if text.startswith("INVITE"):  # acknowledge the refusal, as a caller does
            request_dialog.to_tag = tag(response.get("to"))
            ack = bad.request("ACK", request_dialog, branch=branch(response.get("via") or ""))
            bad.send(ack)
    assert len(endpoint.app.records) == 1  # none of them became a call
    await bad.close()
    await still_works(endpoint, peer, dialog, rtp)
    await peer.close()


async def test_an_oversized_tcp_message_gets_413_and_its_connection_closes(
    endpoint: Endpoint,
) -> None:
    peer, dialog, _, rtp = await good_call(endpoint)
    big = await SipPeer.open(endpoint.server.port, "TCP")
    big.send(big.request("INVITE", Dialog(), body=sdp(1) + "a=x-pad:" + "x" * 70000 + "\r\n"))
    await big.expect(413)
    assert await asyncio.wait_for(big.requests.get(), 3) == b""  # closed by the server
    cut = await SipPeer.open(endpoint.server.port, "TCP")
    cut.send(cut.request("INVITE", Dialog(), body=sdp(1))[:-40])
    await asyncio.sleep(0.1)
    await cut.close()  # the caller drops mid-message: nothing is answered, nothing kept
    endless = await SipPeer.open(endpoint.server.port, "TCP")
    endless.send("OPTIONS sip:a@b SIP/2.0\r\nX: " + "y" * 70000)  # a head that never ends
    assert await asyncio.wait_for(endless.requests.get(), 3) == b""
    await big.close()
    await endless.close()
    await still_works(endpoint, peer, dialog, rtp)
    await peer.close()


async def test_an_rtp_flood_of_garbage_is_dropped_and_memory_stays_bounded(
    endpoint: Endpoint,
) -> None:
    peer, dialog, server_rtp, rtp = await good_call(endpoint)
    stranger = await udp_socket()
    assert stranger.transport is not None
    call = endpoint.app.records[0].call
    target = ("127.0.0.1", server_rtp)
    assert isinstance(rtp, Inbox) and rtp.transport is not None
    for n in range(5):  # the caller's own audio comes first, as it does after the ACK
        packet = RtpPacket(0, n == 0, n, n * 160, 1, b"\x7f" * 160)
        rtp.transport.sendto(build_rtp(packet), target)
    await asyncio.sleep(0.1)
    for n in range(20000):
        stranger.transport.sendto(os.urandom(n % 300), target)
        if n % 5 == 0:  # valid-looking audio from an address that is not the caller's
            packet = RtpPacket(0, False, n & 0xFFFF, n * 160, 66, b"\xff" * 160)
            stranger.transport.sendto(build_rtp(packet), target)
        if n % 50 == 0:
            await asyncio.sleep(0)  # let the server's loop read
    stranger.transport.sendto(b"\x80" * 65000, target)
    await asyncio.sleep(0.3)
    # Most of a flood is dropped by the kernel's socket buffer; what the loop reads is
    # dropped by the session: garbage, and audio from an address that is not the caller's.
    assert call.rtp.dropped_packets > 100
    assert call.rtp.latched == ("127.0.0.1", port_of(rtp))  # not taken over by the stranger
    assert endpoint.app.records[0].frames == 5  # none of the stranger's audio got through
    await still_works(endpoint, peer, dialog, rtp)
    stranger.transport.close()
    await peer.close()


async def test_a_flood_from_the_caller_cannot_grow_the_event_queue(endpoint: Endpoint) -> None:
    from frontends.voice.sip.media import EVENT_QUEUE_SIZE, AudioFrame, Digit, EventQueue

    queue = EventQueue()
    for _ in range(EVENT_QUEUE_SIZE * 10):
        queue.put_audio(AudioFrame(b"\0" * 320))
    queue.put_digit(Digit("5", "rfc4733"))  # a digit still gets in, displacing audio
    assert queue.dropped_frames == EVENT_QUEUE_SIZE * 9 + 1
    items = [await queue.get() for _ in range(EVENT_QUEUE_SIZE)]
    assert items[-1] == Digit("5", "rfc4733")
