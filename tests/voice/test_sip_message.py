"""Reading and writing SIP messages: the forms real trunks send, and what must be refused."""

from __future__ import annotations

import pytest

from frontends.voice.sip.message import (
    Request,
    Response,
    SipParseError,
    params,
    parse,
    stamp_via,
    uri_of,
    user_of,
)

INVITE = (
    b"INVITE sip:1000@10.0.0.1 SIP/2.0\r\n"
    b"v: SIP/2.0/UDP 10.0.0.9:5060;branch=z9hG4bKa, SIP/2.0/UDP 10.0.0.8;branch=z9hG4bKb\r\n"
    b"VIA: SIP/2.0/TCP 10.0.0.7;branch=z9hG4bKc\r\n"
    b'f: "Ann, B" <sip:+15550100@carrier.example;user=phone>;tag=x1\r\n'
    b"t: <sip:1000@10.0.0.1>\r\n"
    b"i: abc@host\r\n"
    b"cseq: 7 INVITE\r\n"
    b"Subject: folded\r\n  across lines\r\n"
    b"c: application/sdp\r\n"
    b"l: 4\r\n"
    b"\r\n"
    b"v=0\r\nEXTRA"
)


def test_compact_and_case_insensitive_headers_multiple_vias_and_folding() -> None:
    message = parse(INVITE)
    assert isinstance(message, Request)
    assert (message.method, message.uri) == ("INVITE", "sip:1000@10.0.0.1")
    assert [params(v)["branch"] for v in message.get_all("Via")] == [
        "z9hG4bKa",
        "z9hG4bKb",
        "z9hG4bKc",
    ]
    assert message.call_id == "abc@host"
    assert message.cseq == (7, "INVITE")
    assert message.get("subject") == "folded across lines"
    assert params(message.get("from") or "")["tag"] == "x1"
    assert user_of(uri_of(message.get("From") or "")) == "+15550100"
    assert message.body == b"v=0\r"  # Content-Length frames the body; the rest is not ours


def test_serialised_message_parses_back_the_same() -> None:
    response = Response(status=200, reason="OK")
    response.add("Via", "SIP/2.0/UDP a;branch=z9hG4bK1")
    response.add("Call-ID", "x@y")
    response.add("CSeq", "1 INVITE")
    response.body = b"hello"
    data = response.serialise()
    assert b"Content-Length: 5\r\n\r\nhello" in data
    again = parse(data)
    assert isinstance(again, Response)
    assert (again.status, again.call_id, again.body) == (200, "x@y", b"hello")


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"INVITE sip:a@b SIP/2.0\r\nVia: x\r\n",  # no end of headers
        b"INVITE sip:a@b SIP/2.0\r\nl: 10\r\n\r\nshort",  # truncated body
        b"INVITE sip:a@b SIP/3.0\r\n\r\n",
        b"INVITE nocolon SIP/2.0\r\n\r\n",
        b"SIP/2.0 99 Too Low\r\n\r\n",
        b"INVITE sip:a@b SIP/2.0\r\nno colon here\r\n\r\n",
        b"INVITE sip:a@b SIP/2.0\r\nContent-Length: -1\r\n\r\n",
        b"INVITE sip:a@b SIP/2.0\r\nX: \xff\xfe\r\n\r\n",
        b"INV\x00ITE sip:a@b SIP/2.0\r\n\r\n",
        b"A" * 70000,
    ],
)
def test_what_is_not_a_sip_message_is_refused_with_parse_error(data: bytes) -> None:
    with pytest.raises(SipParseError):
        parse(data)


def test_a_truncated_request_can_still_be_read_to_answer_it() -> None:
    message = parse(b"BYE sip:a@b SIP/2.0\r\nCall-ID: 1\r\nl: 10\r\n\r\nshort", check_length=False)
    assert isinstance(message, Request) and message.call_id == "1"


def test_bad_cseq_is_a_parse_error() -> None:
    message = parse(b"OPTIONS sip:a@b SIP/2.0\r\nCSeq: x OPTIONS\r\n\r\n")
    with pytest.raises(SipParseError):
        _ = message.cseq


def test_tel_uri_and_user_params() -> None:
    assert user_of("tel:+15550100;phone-context=x") == "+15550100"
    assert user_of("sip:+15550100;npdi@host") == "+15550100"
    assert user_of("sip:host.example") == ""


def test_the_top_via_learns_where_the_request_really_came_from() -> None:
    response = Response(status=200, reason="OK")
    response.add("Via", "SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;rport")
    response.add("Via", "SIP/2.0/UDP proxy.example;branch=z9hG4bK0")
    response.add("Call-ID", "c")
    stamp_via(response, ("203.0.113.9", 40123))
    top, second = response.get_all("via")
    assert params(top) == {"branch": "z9hG4bK1", "rport": "40123", "received": "203.0.113.9"}
    assert second == "SIP/2.0/UDP proxy.example;branch=z9hG4bK0"
    assert response.call_id == "c"
    same = Response(status=200, reason="OK")
    same.add("Via", "SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK2")
    stamp_via(same, ("203.0.113.9", 5060))
    assert same.get("via") == "SIP/2.0/UDP 203.0.113.9:5060;branch=z9hG4bK2"
