"""SIP over UDP and TCP: sockets that hand whole messages to the server, and send replies.

UDP: one datagram is one message. TCP: messages are framed by Content-Length (RFC 3261
18.3); CRLF keep-alives between messages are skipped; a message whose head or body would
pass 64 KB is handed over as `oversized` (the server answers 413 when it can) and the
connection is closed, since its framing can no longer be trusted. Idle connections close
after `idle_seconds`; at most `max_connections` are open at once. Not supported: TLS, SCTP,
WebSocket (RFC 7118), and opening connections to peers (replies go back on the connection
a request came in on; a request we send over TCP needs that connection still open).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from frontends.voice.sip.message import (
    MAX_MESSAGE_BYTES,
    SipParseError,
    content_length,
    split_head,
)

log = logging.getLogger(__name__)

Address = tuple[str, int]


@dataclass(eq=False)
class Source:
    """Where a message came from, and how to answer on the same path."""

    transport: str  # "UDP" or "TCP"
    addr: Address
    local: Address
    sender: Callable[[bytes], None]
    closer: Callable[[], None] | None = None

    @property
    def reliable(self) -> bool:
        return self.transport == "TCP"

    def send(self, data: bytes) -> None:
        try:
            self.sender(data)
        except (OSError, RuntimeError) as exc:  # the peer went away; the call's timers end it
            log.debug("send to %s failed: %s", self.addr, exc)

    def close(self) -> None:
        if self.closer is not None:
            self.closer()


MessageHandler = Callable[[bytes, Source, bool], None]


class UdpListener(asyncio.DatagramProtocol):
    def __init__(self, handler: MessageHandler) -> None:
        self.handler = handler
        self.transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # (the selector loop's datagram transport does not subclass DatagramTransport)
        self.transport = cast(asyncio.DatagramTransport, transport)

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        transport = self.transport
        if transport is None or not data.strip(b"\r\n\0 "):  # keep-alive pings
            return
        peer = (addr[0], addr[1])
        local = transport.get_extra_info("sockname")

        def send(data: bytes) -> None:
            if not transport.is_closing():  # a closed transport raises from inside asyncio
                transport.sendto(data, peer)

        source = Source("UDP", peer, (local[0], local[1]), send)
        self.handler(data, source, False)

    def error_received(self, exc: Exception) -> None:
        log.debug("sip udp socket error: %s", exc)


class TcpListener:
    def __init__(
        self, handler: MessageHandler, idle_seconds: float = 300.0, max_connections: int = 1000
    ) -> None:
        self.handler = handler
        self.idle_seconds = idle_seconds
        self.max_connections = max_connections
        self.connections: set[asyncio.StreamWriter] = set()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if len(self.connections) >= self.max_connections:
            writer.close()
            return
        self.connections.add(writer)
        peer = writer.get_extra_info("peername")
        local = writer.get_extra_info("sockname")

        def send(data: bytes) -> None:
            if not writer.is_closing():  # a BYE after the caller closed: nothing to write to
                writer.write(data)

        source = Source("TCP", (peer[0], peer[1]), (local[0], local[1]), send, writer.close)
        try:
            await self._read_messages(reader, source)
        except (OSError, TimeoutError, asyncio.IncompleteReadError):
            pass
        finally:
            self.connections.discard(writer)
            writer.close()
            with contextlib.suppress(OSError, ConnectionError):
                await writer.wait_closed()

    async def _read_messages(self, reader: asyncio.StreamReader, source: Source) -> None:
        buffer = b""
        while True:
            data = await asyncio.wait_for(reader.read(65536), self.idle_seconds)
            if not data:
                return
            buffer += data
            while True:
                buffer = buffer.lstrip(b"\r\n")
                parts = split_head(buffer)
                if parts is None:
                    if len(buffer) > MAX_MESSAGE_BYTES:
                        self.handler(buffer[:MAX_MESSAGE_BYTES], source, True)
                        return
                    break
                head, rest = parts
                try:
                    length = content_length(head) or 0
                except SipParseError:
                    self.handler(head + b"\r\n\r\n", source, False)  # answered 400
                    return
                consumed = len(buffer) - len(rest)
                if consumed + length > MAX_MESSAGE_BYTES:
                    self.handler(head + b"\r\n\r\n", source, True)
                    return
                if len(rest) < length:
                    break
                message, buffer = buffer[: consumed + length], rest[length:]
                self.handler(message, source, False)

    def close_all(self) -> None:
        for writer in list(self.connections):
            writer.close()
