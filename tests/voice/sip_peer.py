"""A caller written out by hand for what sipp cannot do: raw SIP text over UDP or TCP (also
malformed), a UDP socket for its RTP, and a record of when each packet arrived."""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import dataclass, field
from typing import cast

from frontends.voice.sip.message import Response, parse, split_head, tag


class Inbox(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.queue: asyncio.Queue[tuple[float, bytes, tuple[str, int]]] = asyncio.Queue()
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.queue.put_nowait((asyncio.get_running_loop().time(), data, addr))


async def udp_socket() -> Inbox:
    loop = asyncio.get_running_loop()
    _, inbox = await loop.create_datagram_endpoint(Inbox, local_addr=("127.0.0.1", 0))
    return inbox


def port_of(inbox: Inbox) -> int:
    assert inbox.transport is not None
    return int(inbox.transport.get_extra_info("sockname")[1])


def sdp(rtp_port: int, payloads: str = "0 101", address: str = "127.0.0.1", extra: str = "") -> str:
    lines = [
        "v=0",
        f"o=peer 1 1 IN IP4 {address}",
        "s=-",
        f"c=IN IP4 {address}",
        "t=0 0",
        f"m=audio {rtp_port} RTP/AVP {payloads}",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000",
    ]
    if extra:
        lines.append(extra)
    return "\r\n".join(lines) + "\r\n"


@dataclass
class Dialog:
    call_id: str = field(default_factory=lambda: secrets.token_hex(6) + "@peer")
    from_tag: str = field(default_factory=lambda: secrets.token_hex(4))
    to_tag: str = ""
    cseq: int = 1


class SipPeer:
    def __init__(self, server_port: int, transport: str) -> None:
        self.server = ("127.0.0.1", server_port)
        self.transport = transport
        self.responses: asyncio.Queue[Response] = asyncio.Queue()
        self.requests: asyncio.Queue[bytes] = asyncio.Queue()
        self.local_port = 0
        self._udp: Inbox | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._tasks: list[asyncio.Task[None]] = []

    @classmethod
    async def open(cls, server_port: int, transport: str = "UDP") -> SipPeer:
        peer = cls(server_port, transport)
        if transport == "UDP":
            peer._udp = await udp_socket()
            peer.local_port = port_of(peer._udp)
            peer._tasks.append(asyncio.ensure_future(peer._pump_udp()))
        else:
            reader, writer = await asyncio.open_connection(*peer.server)
            peer._writer = writer
            peer.local_port = writer.get_extra_info("sockname")[1]
            peer._tasks.append(asyncio.ensure_future(peer._pump_tcp(reader)))
        return peer

    def _take(self, data: bytes) -> None:
        if data.startswith(b"SIP/2.0"):
            message = parse(data)
            assert isinstance(message, Response)
            self.responses.put_nowait(message)
        else:
            self.requests.put_nowait(data)

    async def _pump_udp(self) -> None:
        assert self._udp is not None
        while True:
            _, data, _ = await self._udp.queue.get()
            self._take(data)

    async def _pump_tcp(self, reader: asyncio.StreamReader) -> None:
        buffer = b""
        while data := await reader.read(65536):
            buffer += data
            while (parts := split_head(buffer)) is not None:
                head, rest = parts
                length = next(
                    (int(line.split(b":")[1]) for line in head.split(b"\r\n")
                     if line.lower().startswith(b"content-length:")), 0,
                )  # fmt: skip
                if len(rest) < length:
                    break
                self._take(head + b"\r\n\r\n" + rest[:length])
                buffer = rest[length:]
        self.requests.put_nowait(b"")  # the server closed the connection

    def send(self, data: bytes | str) -> None:
        raw = data.encode() if isinstance(data, str) else data
        if self._udp is not None:
            assert self._udp.transport is not None
            self._udp.transport.sendto(raw, self.server)
        else:
            assert self._writer is not None
            self._writer.write(raw)

    async def expect(self, status: int, within: float = 3.0) -> Response:
        """The next response with this status, skipping provisional ones."""
        async with asyncio.timeout(within):
            while True:
                response = await self.responses.get()
                if response.status == status:
                    return response
                assert response.status < 200, f"got {response.status}, wanted {status}"

    def request(
        self,
        method: str,
        dialog: Dialog,
        *,
        number: str = "1000",
        body: str = "",
        branch: str = "",
        headers: str = "",
        content_type: str = "application/sdp",
    ) -> str:
        transport = self.transport
        to = f"<sip:{number}@127.0.0.1>" + (f";tag={dialog.to_tag}" if dialog.to_tag else "")
        lines = [
            f"{method} sip:{number}@127.0.0.1:{self.server[1]} SIP/2.0",
            f"Via: SIP/2.0/{transport} 127.0.0.1:{self.local_port};branch="
            f"{branch or 'z9hG4bK' + secrets.token_hex(6)};rport",
            f"From: <sip:+15550123@127.0.0.1>;tag={dialog.from_tag}",
            f"To: {to}",
            f"Call-ID: {dialog.call_id}",
            f"CSeq: {dialog.cseq} {method}",
            f"Contact: <sip:peer@127.0.0.1:{self.local_port}>",
            "Max-Forwards: 70",
        ]
        if headers:
            lines.append(headers)
        if body:
            lines.append(f"Content-Type: {content_type}")
        lines.append(f"Content-Length: {len(body.encode())}")
        return "\r\n".join(lines) + "\r\n\r\n" + body

    async def call(self, rtp_port: int, number: str = "1000") -> Dialog:
        """INVITE, wait for 200, ACK: an answered call."""
        dialog = Dialog()
        self.send(self.request("INVITE", dialog, number=number, body=sdp(rtp_port)))
        ok = await self.expect(200)
        dialog.to_tag = tag(ok.get("to"))
        self.send(self.request("ACK", dialog, number=number))
        return dialog

    async def hang_up(self, dialog: Dialog) -> None:
        dialog.cseq += 1
        self.send(self.request("BYE", dialog))
        await self.expect(200)

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._udp is not None and self._udp.transport is not None:
            self._udp.transport.close()
        if self._writer is not None:
            self._writer.close()
