"""Thousands of malformed messages (mutated valid requests, truncations, random bytes) over
UDP and TCP into a running server: none may raise inside it, and afterwards it still answers
OPTIONS, still completes a normal sipp call, and has nothing left in its tables."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontends.voice.sip import SipServer, TrunkAdmission
from frontends.voice.sip.message import SipParseError, parse
from tests.voice.conftest import FAST, EchoApp, run_sipp
from tests.voice.media_files import call_packets, tone, write_pcap

SDP = (
    "v=0\r\no=f 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 9 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendrecv\r\n"
)
METHODS = ("INVITE", "OPTIONS", "BYE", "CANCEL", "ACK", "INFO", "REFER", "XYZ")


def template(method: str, n: int, body: str = "") -> bytes:
    return (
        f"{method} sip:1000@127.0.0.1 SIP/2.0\r\n"
        f"Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKfz{n};rport\r\n"
        f"v: SIP/2.0/TCP 10.0.0.1;branch=z9hG4bKx{n}\r\n"
        f'From: "F" <sip:+1555@127.0.0.1>;tag=f{n}\r\n'
        f"To: <sip:1000@127.0.0.1>\r\n"
        f"Call-ID: fuzz-{n}\r\n"
        f"CSeq: 1 {method}\r\n"
        f"Contact: <sip:f@127.0.0.1:9>\r\n"
        f"Content-Type: application/sdp\r\n"
        f"Content-Length: {len(body.encode())}\r\n\r\n{body}"
    ).encode()


SPECIAL = [b"\r", b"\n", b"\r\n", b":", b";", b",", b"<", b">", b'"', b"=", b" ", b"\x00"]
SPECIAL += [b"\xff", b"\t", b"SIP/2.0", b"tag=", b"Content-Length: 99999", b"\r\n\r\n"]


@st.composite
def malformed(draw: st.DrawFn) -> bytes:
    method = draw(st.sampled_from(METHODS))
    n = draw(st.integers(0, 10**9))
    base = template(method, n, SDP if method == "INVITE" else "")
    kind = draw(st.sampled_from(["bytes", "truncate", "flip", "insert", "lines", "body"]))
    if kind == "bytes":
        return draw(st.binary(min_size=1, max_size=1500))
    if kind == "truncate":
        return base[: draw(st.integers(1, len(base) - 1))]
    if kind == "flip":
        flipped = bytearray(base)
        for _ in range(draw(st.integers(1, 12))):
            flipped[draw(st.integers(0, len(flipped) - 1))] = draw(st.integers(0, 255))
        return bytes(flipped)
    if kind == "insert":
        data = base
        for _ in range(draw(st.integers(1, 6))):
            at = draw(st.integers(0, len(data)))
            data = data[:at] + draw(st.sampled_from(SPECIAL)) + data[at:]
        return data
    if kind == "lines":
        head, _, body = base.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        picked = draw(st.lists(st.sampled_from(lines), min_size=1, max_size=14))
        return b"\r\n".join(picked) + b"\r\n\r\n" + body
    # A well-formed request whose SDP body is mangled: reaches the SDP parser.
    mangled = bytearray(SDP.encode())
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(mangled) - 1))
        mangled[at] = draw(st.sampled_from(b"0 =.\r\n/:ax\xff"))
    return template("INVITE", n, mangled.decode("latin-1"))


# A fixed seed keeps CI repeatable; FLOWYTE_FUZZ_EXPLORE=1 draws new examples each run.
EXPLORE = bool(os.environ.get("FLOWYTE_FUZZ_EXPLORE"))


@settings(max_examples=3000, deadline=None, database=None, derandomize=not EXPLORE)
@given(malformed())
def test_the_parser_raises_only_its_own_error(data: bytes) -> None:
    with contextlib.suppress(SipParseError):
        message = parse(data)
        with contextlib.suppress(SipParseError):
            _ = message.cseq


class ServerThread:
    """The server on a loop of its own, so a synchronous fuzzer can hammer it."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.app = EchoApp()
        self.server: SipServer | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> SipServer:
        self._thread.start()
        admission = TrunkAdmission(numbers=lambda n: n == "1000", allowed_networks=["127.0.0.1"])
        self.server = SipServer(admit=admission, on_call=self.app, timers=FAST, max_calls=50)
        asyncio.run_coroutine_threadsafe(self.server.start(), self.loop).result(5)
        return self.server

    def run(self, coro: object, within: float) -> object:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(within)  # type: ignore[arg-type]

    def __exit__(self, *exc: object) -> None:
        assert self.server is not None
        self.run(self.server.close(), 10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
        self.loop.close()


@pytest.fixture
def threaded_server() -> Iterator[ServerThread]:
    holder = ServerThread()
    with holder:
        yield holder


def options_answered(port: int) -> bool:
    """OPTIONS over UDP, retransmitted every 0.5 s as a SIP client does (timer E): the flood
    may have filled the server's socket buffer, and UDP drops what does not fit."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(0.5)
        sock.bind(("127.0.0.1", 0))
        via = f"127.0.0.1:{sock.getsockname()[1]};".encode()
        request = template("OPTIONS", 424242).replace(b"127.0.0.1:9;", via)
        for _ in range(10):
            sock.sendto(request, ("127.0.0.1", port))
            with contextlib.suppress(TimeoutError):
                while True:
                    data = sock.recv(65536)
                    if b"fuzz-424242" in data:
                        return data.startswith(b"SIP/2.0 200 ") and b"Allow: INVITE" in data
    return False


def test_after_thousands_of_malformed_messages_the_endpoint_still_serves(
    threaded_server: ServerThread, tmp_path: Path
) -> None:
    server = threaded_server.server
    assert server is not None
    port = server.port
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    sent = itertools.count()

    @settings(
        derandomize=not EXPLORE,
        max_examples=1500,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(malformed())
    def send_both_ways(data: bytes) -> None:
        udp.sendto(data, ("127.0.0.1", port))
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 2) as tcp:
            tcp.sendall(data)
        next(sent)
        next(sent)

    send_both_ways()
    for _ in range(500):  # and plain noise, up to the largest datagram
        size = next(sent) * 7919 % 65000 + 1
        udp.sendto(bytes(i * 31 % 256 for i in range(size)), ("127.0.0.1", port))
    udp.close()

    assert next(sent) > 3000
    assert server.internal_errors == 0
    assert server.malformed > 500  # the parser really saw garbage, and answered or dropped it
    assert options_answered(port)
    write_pcap(tmp_path / "call_audio.pcap", call_packets(0, 96, tone(0.5), "42"))
    result = threaded_server.run(run_sipp("uac_call.xml", port, tmp_path, service="1000"), 60)
    assert getattr(result, "returncode", None) == 0, getattr(result, "output", "")
    [sipp_call] = [r for r in threaded_server.app.records if r.call.caller == "+15550100"]
    assert sipp_call.digits == ["4", "2"]
    # Calls the fuzz started (valid INVITEs among the mutations) end on their own: no ACK
    # ever came for them. Nothing is left behind.
    assert threaded_server.run(_idle(server, 30), 40)


async def _idle(server: SipServer, within: float) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while loop.time() < deadline:
        if not (server.calls or server.transactions or server.client_transactions):
            return True
        await asyncio.sleep(0.1)
    return False
