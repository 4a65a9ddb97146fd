"""Transactions and dialogs as a caller notices them: retransmissions absorbed, our 200
repeated until the ACK, a BYE when it never comes, digits over SIP INFO."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable

from frontends.voice.sip import Verdict
from frontends.voice.sip.message import Request, branch, parse, tag
from frontends.voice.sip.rtp import RtpPacket, build_rtp, parse_rtp, telephone_event_payload
from tests.voice.conftest import Endpoint
from tests.voice.sip_peer import Dialog, SipPeer, port_of, sdp, udp_socket


async def test_a_retransmitted_invite_is_the_same_call_not_a_new_one(endpoint: Endpoint) -> None:
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    dialog = Dialog()
    invite = peer.request("INVITE", dialog, body=sdp(port_of(rtp)), branch="z9hG4bKsame1")
    for _ in range(3):
        peer.send(invite)
        await asyncio.sleep(0.05)
    ok = await peer.expect(200)
    dialog.to_tag = tag(ok.get("to"))
    peer.send(peer.request("ACK", dialog))
    peer.send(invite)  # a late retransmission gets the 200 again, still no new call
    again = await peer.expect(200)
    assert tag(again.get("to")) == dialog.to_tag
    assert len(endpoint.app.records) == 1
    assert len(endpoint.server.calls) == 1
    await peer.hang_up(dialog)
    assert await endpoint.idle()
    await peer.close()


async def test_without_an_ack_the_200_is_repeated_with_backoff_then_the_call_ends_with_bye(
    endpoint: Endpoint,
) -> None:
    timers = endpoint.server.timers
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    dialog = Dialog()
    peer.send(peer.request("INVITE", dialog, body=sdp(port_of(rtp))))
    loop = asyncio.get_running_loop()
    seen = []
    deadline = loop.time() + timers.timeout + 3
    while peer.requests.empty() and loop.time() < deadline:
        try:
            response = await asyncio.wait_for(peer.responses.get(), 0.1)
        except TimeoutError:
            continue
        if response.status == 200:
            seen.append(loop.time())
    bye = parse(await asyncio.wait_for(peer.requests.get(), 3))
    assert isinstance(bye, Request) and bye.method == "BYE"
    assert bye.call_id == dialog.call_id
    gaps = [b - a for a, b in itertools.pairwise(seen)]
    assert len(seen) >= 6
    assert gaps[1] > gaps[0] * 1.5  # T1 doubling …
    assert max(gaps) < timers.t2 * 1.5  # … up to T2
    [record] = endpoint.app.records
    assert record.call.end_reason == "no-ack"
    assert not endpoint.server.calls
    await peer.close()


async def test_digits_by_sip_info_arrive_as_digits(endpoint: Endpoint) -> None:
    peer = await SipPeer.open(endpoint.server.port, "TCP")
    rtp = await udp_socket()
    dialog = await peer.call(port_of(rtp))
    for digit in "42#":
        dialog.cseq += 1
        body = f"Signal={digit}\r\nDuration=160\r\n"
        peer.send(peer.request("INFO", dialog, body=body, content_type="application/dtmf-relay"))
        await peer.expect(200)
    dialog.cseq += 1
    peer.send(peer.request("INFO", dialog, body="hello", content_type="text/plain"))
    await peer.expect(415)
    await peer.hang_up(dialog)
    [record] = endpoint.app.records
    assert record.digits == ["4", "2", "#"]
    assert await endpoint.idle()
    await peer.close()


async def test_our_hang_up_sends_bye_and_the_call_leaves_the_table(endpoint: Endpoint) -> None:
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    await peer.call(port_of(rtp))
    [record] = endpoint.app.records
    server_rtp = record.call.rtp.port  # the echo application hangs up on '*':
    assert rtp.transport is not None
    star = RtpPacket(101, True, 1, 800, 5, telephone_event_payload(10, True, 800))
    rtp.transport.sendto(build_rtp(star), ("127.0.0.1", server_rtp))
    bye = parse(await asyncio.wait_for(peer.requests.get(), 3))
    assert isinstance(bye, Request) and bye.method == "BYE"
    assert record.call.end_reason == "hangup"
    assert not endpoint.server.calls
    await peer.close()


async def test_a_caller_whose_network_drops_mid_call_is_hung_up_and_what_they_said_is_kept(
    make_endpoint: Callable[..., Awaitable[Endpoint]],
) -> None:
    endpoint = await make_endpoint(media_timeout=0.6)
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    await peer.call(port_of(rtp))
    [record] = endpoint.app.records
    assert rtp.transport is not None
    for n in range(5):  # a little speech, then nothing: no more RTP, no BYE
        packet = RtpPacket(0, n == 0, n, n * 160, 3, b"\x10" * 160)
        rtp.transport.sendto(build_rtp(packet), ("127.0.0.1", record.call.rtp.port))
    bye = parse(await asyncio.wait_for(peer.requests.get(), 5))
    assert isinstance(bye, Request) and bye.method == "BYE"
    assert record.call.end_reason == "media-timeout"
    assert record.frames == 5
    assert not endpoint.server.calls
    await peer.close()


async def test_a_bye_while_ringing_ends_the_invite_with_487(endpoint: Endpoint) -> None:
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    dialog = Dialog()
    peer.send(peer.request("INVITE", dialog, number="2000", body=sdp(port_of(rtp))))
    ringing = await peer.expect(180)
    dialog.to_tag = tag(ringing.get("to"))
    dialog.cseq += 1
    peer.send(peer.request("BYE", dialog, number="2000"))
    await peer.expect(200)
    await peer.expect(487)
    [record] = endpoint.app.records
    assert record.call.end_reason == "bye"
    assert not endpoint.server.calls
    await peer.close()


async def test_a_failing_admission_check_gets_500_and_leaves_nothing(endpoint: Endpoint) -> None:
    def broken(request: object, source: object) -> Verdict:
        raise RuntimeError("the number directory is down")

    endpoint.server.admit = broken
    peer = await SipPeer.open(endpoint.server.port)
    dialog = Dialog()
    peer.send(peer.request("INVITE", dialog, body=sdp(4000)))
    refused = await peer.expect(500)
    dialog.to_tag = tag(refused.get("to"))
    peer.send(peer.request("ACK", dialog, branch=branch(refused.get("via") or "")))
    assert await endpoint.idle(within=2)
    assert endpoint.server.internal_errors == 1
    await peer.close()


async def test_a_call_the_application_never_answers_gets_480(
    make_endpoint: Callable[..., Awaitable[Endpoint]],
) -> None:
    endpoint = await make_endpoint()
    endpoint.server.ring_timeout = 0.3
    peer = await SipPeer.open(endpoint.server.port)
    dialog = Dialog()
    peer.send(peer.request("INVITE", dialog, number="2000", body=sdp(4000)))  # it lets 2000 ring
    refused = await peer.expect(480, within=3)
    dialog.to_tag = tag(refused.get("to"))
    peer.send(peer.request("ACK", dialog, branch=branch(refused.get("via") or "")))
    [record] = endpoint.app.records
    assert record.call.end_reason == "rejected"
    assert await endpoint.idle(within=2)
    await peer.close()


async def test_a_late_offer_gets_ours_in_the_200_and_the_ack_answers_it(
    endpoint: Endpoint,
) -> None:
    peer = await SipPeer.open(endpoint.server.port)
    rtp = await udp_socket()
    dialog = Dialog()
    peer.send(peer.request("INVITE", dialog))  # no SDP: the trunk wants our offer
    ok = await peer.expect(200)
    assert b"m=audio" in ok.body and b"RTP/AVP 0 8 101" in ok.body
    server_rtp = int(ok.body.split(b"m=audio ")[1].split()[0])
    dialog.to_tag = tag(ok.get("to"))
    answer = sdp(port_of(rtp), payloads="8 101").replace("a=rtpmap:0 PCMU/8000", "")
    peer.send(peer.request("ACK", dialog, body=answer))
    assert rtp.transport is not None
    for n in range(5):  # PCMA, as answered; the echo comes back as PCMA too
        packet = RtpPacket(8, n == 0, n, n * 160, 9, b"\xd5" * 160)
        rtp.transport.sendto(build_rtp(packet), ("127.0.0.1", server_rtp))
    echoed = parse_rtp((await asyncio.wait_for(rtp.queue.get(), 3))[1])
    assert echoed is not None and echoed.payload_type == 8
    [record] = endpoint.app.records
    assert record.call.plan.codec == "PCMA"
    await peer.hang_up(dialog)
    assert await endpoint.idle()
    await peer.close()


async def test_a_late_offer_whose_ack_has_no_answer_ends_with_bye(endpoint: Endpoint) -> None:
    peer = await SipPeer.open(endpoint.server.port)
    dialog = Dialog()
    peer.send(peer.request("INVITE", dialog))
    ok = await peer.expect(200)
    dialog.to_tag = tag(ok.get("to"))
    peer.send(peer.request("ACK", dialog))  # no answer in it
    bye = parse(await asyncio.wait_for(peer.requests.get(), 3))
    assert isinstance(bye, Request) and bye.method == "BYE"
    [record] = endpoint.app.records
    assert record.call.end_reason == "bad-answer"
    assert not endpoint.server.calls
    await peer.close()
