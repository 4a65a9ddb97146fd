"""How fast a phone call is answered and hears its first audio, from the caller's side.

Starts the SIP server (frontends.voice.sip, an application that answers at once and plays a
greeting) and a bare UDP echo (the floor: one datagram there and back, no SIP) in processes
of their own, then places `--calls` calls one at a time over UDP on 127.0.0.1 and prints
p50/p95 of: INVITE sent -> 200 OK received (answer), 200 OK received (ACK sent at once) ->
first RTP packet of the greeting (greeting), and the floor's round trip, with what the
server adds over the floor. The issue's target for the greeting is 300 ms from the answer
(the speech pipeline's own share comes on top of what is measured here).

Checked on every answer: the 200 carries an SDP answer with PCMU and the caller's
telephone-event number 96; the first RTP packet is PCMU (payload type 0) with a 20 ms
payload; the echo returns the bytes sent. Run: .venv/bin/python bench/sip_answer.py
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

from measure import Timed, aborting, expect

REPO = Path(__file__).resolve().parent.parent

SERVER = """
import asyncio, sys
from frontends.voice.sip import SipServer, TrunkAdmission
from frontends.voice.sip.g711 import pcm16_to_ulaw
GREETING = b"\\x10\\x00" * 8000  # one second of a quiet PCM16 tone stand-in

async def greet(call):
    await call.answer()
    await call.play(GREETING)
    await call.ended.wait()

async def main():
    admit = TrunkAdmission(numbers=lambda n: n == "1000", allowed_networks=["127.0.0.1"])
    server = SipServer(admit=admit, on_call=greet)
    await server.start()
    print(server.port, flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""

ECHO = """
import asyncio

class Echo(asyncio.DatagramProtocol):
    def connection_made(self, transport):
        self.transport = transport
    def datagram_received(self, data, addr):
        self.transport.sendto(data, addr)

async def main():
    loop = asyncio.get_running_loop()
    transport, _ = await loop.create_datagram_endpoint(Echo, local_addr=("127.0.0.1", 0))
    print(transport.get_extra_info("sockname")[1], flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"""


class Inbox(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes] = asyncio.Queue()

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.queue.put_nowait(data)


def start(code: str) -> tuple[subprocess.Popen[str], int]:
    process = subprocess.Popen(
        [sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    return process, int(process.stdout.readline())


def request(
    method: str, port: int, local: int, call_id: str, to_tag: str, cseq: int, body: str = ""
) -> bytes:
    lines = [
        f"{method} sip:1000@127.0.0.1:{port} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bK{secrets.token_hex(6)}",
        "From: <sip:+15550100@127.0.0.1>;tag=bench",
        "To: <sip:1000@127.0.0.1>" + (f";tag={to_tag}" if to_tag else ""),
        f"Call-ID: {call_id}",
        f"CSeq: {cseq} {method}",
        f"Contact: <sip:bench@127.0.0.1:{local}>",
        "Max-Forwards: 70",
    ]
    if body:
        lines.append("Content-Type: application/sdp")
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


def to_tag(response: bytes) -> str:
    for line in response.split(b"\r\n"):
        if line.lower().startswith(b"to:") and b"tag=" in line:
            return line.split(b"tag=")[1].split(b";")[0].decode()
    return ""


async def next_final(queue: asyncio.Queue[bytes]) -> bytes:
    while True:
        data = await asyncio.wait_for(queue.get(), 5)
        if not data.startswith(b"SIP/2.0 1"):
            return data


async def run(calls: int) -> int:
    loop = asyncio.get_running_loop()
    server, sip_port = start(SERVER)
    echo, echo_port = start(ECHO)
    try:
        sip_sock, sip = await loop.create_datagram_endpoint(Inbox, local_addr=("127.0.0.1", 0))
        rtp_sock, rtp = await loop.create_datagram_endpoint(Inbox, local_addr=("127.0.0.1", 0))
        floor_sock, floor = await loop.create_datagram_endpoint(Inbox, local_addr=("127.0.0.1", 0))
        local = sip_sock.get_extra_info("sockname")[1]
        rtp_port = rtp_sock.get_extra_info("sockname")[1]
        sdp = (
            "v=0\r\no=b 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            f"m=audio {rtp_port} RTP/AVP 0 96\r\na=rtpmap:96 telephone-event/8000\r\n"
        )
        state: dict[str, str] = {}

        def send_sip(method: str, tag: str, cseq: int, body: str = "") -> None:
            data = request(method, sip_port, local, state["call_id"], tag, cseq, body)
            sip_sock.sendto(data, ("127.0.0.1", sip_port))

        async def invite() -> bytes:
            state["call_id"] = secrets.token_hex(8)
            send_sip("INVITE", "", 1, sdp)
            return await next_final(sip.queue)

        def check_answer(answer: bytes) -> None:
            expect(
                answer.startswith(b"SIP/2.0 200") and b"RTP/AVP 0 96" in answer,
                "INVITE",
                "200 OK with an SDP answer naming PCMU and telephone-event 96",
                answer[:400],
            )
            state["to_tag"] = to_tag(answer)

        async def ack_to_audio() -> bytes:
            send_sip("ACK", state["to_tag"], 1)
            return await asyncio.wait_for(rtp.queue.get(), 5)

        def check_audio(packet: bytes) -> None:
            expect(
                len(packet) == 172 and packet[1] & 0x7F == 0,
                "first RTP packet after ACK",
                "PCMU (payload type 0), 160 bytes of payload",
                packet[:16].hex(),
            )

        payload = request("OPTIONS", sip_port, local, "floor", "", 1, sdp)

        async def bounce() -> bytes:
            floor_sock.sendto(payload, ("127.0.0.1", echo_port))
            return await asyncio.wait_for(floor.queue.get(), 5)

        def check_floor(answer: bytes) -> None:
            expect(answer == payload, "UDP echo", "the bytes sent", answer[:80])

        timed_answer = Timed(invite, check_answer)
        timed_greeting = Timed(ack_to_audio, check_audio)
        timed_floor = Timed(bounce, check_floor)
        answers, greetings, floors = [], [], []
        for n in range(calls + 3):  # the first three warm up
            f = await timed_floor()
            a = await timed_answer()
            g = await timed_greeting()
            send_sip("BYE", state["to_tag"], 2)
            await next_final(sip.queue)
            await asyncio.sleep(0.05)
            while not rtp.queue.empty():
                rtp.queue.get_nowait()
            if n >= 3:
                answers.append(a)
                greetings.append(g)
                floors.append(f)

        def pct(values: list[float], q: float) -> float:
            ordered = sorted(values)
            return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

        floor_p50 = statistics.median(floors)
        print(f"calls: {calls} over UDP on 127.0.0.1, one at a time")
        floor_p95 = pct(floors, 0.95)
        print(f"floor (bare UDP echo round trip): p50 {floor_p50:.3f} ms, p95 {floor_p95:.3f} ms")
        for name, values in (
            ("INVITE -> 200 OK", answers),
            ("200 OK -> first greeting RTP", greetings),
        ):
            p50 = statistics.median(values)
            print(
                f"{name}: p50 {p50:.3f} ms, p95 {pct(values, 0.95):.3f} ms, "
                f"{p50 - floor_p50:+.3f} ms over the floor at p50"
            )
        total = pct(answers, 0.95) + pct(greetings, 0.95)
        print(f"INVITE -> first greeting audio at p95: {total:.1f} ms (target: 300 ms)")
        return 0
    finally:
        server.terminate()
        echo.terminate()
        server.wait(5)
        echo.wait(5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    args = parser.parse_args()
    started = time.perf_counter()
    code = asyncio.run(run(args.calls))
    print(f"ran in {time.perf_counter() - started:.1f} s")
    return code


if __name__ == "__main__":
    sys.exit(aborting(main))
