"""The SDP answer: the caller's payload numbers, our address, and 488 when nothing fits."""

from __future__ import annotations

import pytest

from frontends.voice.sip.sdp import LocalSession, SdpError, choose, parse_offer


def offer(m: str, *attrs: str, c: str = "c=IN IP4 192.0.2.10") -> bytes:
    return "\r\n".join(["v=0", "o=- 1 1 IN IP4 x", "s=-", c, "t=0 0", m, *attrs, ""]).encode()


def test_answer_keeps_the_callers_payload_numbers_and_names_our_address() -> None:
    body = offer(
        "m=audio 40000 RTP/AVP 18 8 0 96",
        "a=rtpmap:18 G729/8000",
        "a=rtpmap:96 telephone-event/8000",
    )
    plan = choose(parse_offer(body))
    assert (plan.codec, plan.payload_type, plan.dtmf_payload_type) == ("PCMA", 8, 96)
    assert (plan.remote_address, plan.remote_port) == ("192.0.2.10", 40000)
    answer = LocalSession("203.0.113.5").answer(plan, 31000).decode()
    assert "c=IN IP4 203.0.113.5" in answer
    assert "m=audio 31000 RTP/AVP 8 96" in answer
    assert "a=rtpmap:96 telephone-event/8000" in answer
    assert "G729" not in answer


def test_dynamic_pcmu_number_and_media_level_connection() -> None:
    body = offer(
        "m=audio 40000 RTP/AVP 101 100",
        "c=IN IP4 198.51.100.7",
        "a=rtpmap:101 PCMU/8000",
        "a=rtpmap:100 telephone-event/8000",
        c="c=IN IP4 192.0.2.10",
    )
    plan = choose(parse_offer(body))
    assert (plan.codec, plan.payload_type, plan.dtmf_payload_type) == ("PCMU", 101, 100)
    assert plan.remote_address == "198.51.100.7"


def test_hold_offers_are_answered_in_the_matching_direction() -> None:
    body = offer("m=audio 40000 RTP/AVP 0", "a=sendonly")
    parsed = parse_offer(body)
    plan = choose(parsed)
    assert plan.on_hold
    assert b"a=recvonly" in LocalSession("10.0.0.1").answer(plan, 1, parsed.direction)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (offer("m=audio 40000 RTP/AVP 18 9", "a=rtpmap:18 G729/8000"), 488),
        (offer("m=video 40000 RTP/AVP 96"), 488),
        (offer("m=audio 40000 RTP/SAVP 0"), 488),
        (offer("m=audio 40000 RTP/AVP 0", c="c=IN IP6 ::1"), 488),
        (offer("m=audio port RTP/AVP 0"), 400),
        (offer("m=audio 40000 RTP/AVP 0", c="c=IN IP4 999.1.1.1"), 400),
        (offer("m=audio 40000 RTP/AVP 0", c=""), 400),
        (b"this is not sdp", 400),
        (b"\xff\xfe", 400),
    ],
)
def test_offers_we_cannot_use_are_refused_with_a_status(body: bytes, status: int) -> None:
    with pytest.raises(SdpError) as caught:
        choose(parse_offer(body))
    assert caught.value.status == status
