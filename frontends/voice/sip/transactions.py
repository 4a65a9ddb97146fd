"""Transactions (RFC 3261 section 17): what makes retransmissions harmless.

A server transaction remembers the last response it sent, so a retransmitted request gets
that response again instead of being treated as new. An INVITE's non-2xx final response is
retransmitted over UDP (timer G: T1 doubling up to T2) until the ACK arrives or 64*T1 pass
(timer H). A finished transaction lingers (timer J, 64*T1 on UDP, at once on TCP; timer I,
T4, after an ACK) to absorb late retransmissions, then removes itself. Retransmitting a 2xx
to an INVITE is the dialog's job (the Call), as the RFC assigns it to the UAS core.

A client transaction sends a request of ours (a BYE, a REFER) and retransmits it over UDP (timer E)
until a final response or 64*T1 (timer F).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from frontends.voice.sip.message import Request, Response, branch, params, stamp_via
from frontends.voice.sip.transport import Source

if TYPE_CHECKING:
    from frontends.voice.sip.call import Call

MAGIC_COOKIE = "z9hG4bK"


@dataclass(frozen=True)
class Timers:
    t1: float = 0.5
    t2: float = 4.0
    t4: float = 5.0

    @property
    def timeout(self) -> float:
        return 64 * self.t1


def transaction_key(request: Request, method: str | None = None) -> tuple[str, ...]:
    """Which transaction a request belongs to (RFC 3261 17.2.3). ACK matches its INVITE;
    CANCEL has its own transaction (pass method="INVITE" to find the INVITE it cancels)."""
    via = request.get("via") or ""
    wanted = method or ("INVITE" if request.method == "ACK" else request.method)
    top = branch(via)
    if top.startswith(MAGIC_COOKIE):
        sent_by = via.split(";", 1)[0].split()[-1] if via.split() else ""
        return ("3261", top, sent_by.lower(), wanted)
    # RFC 2543 peers: no usable branch, so the dialog identifiers and CSeq name it.
    number = (request.get("cseq") or "").split()[:1]
    from_tag = params(request.get("from") or "").get("tag", "")
    return ("2543", request.call_id, from_tag, number[0] if number else "", wanted, via)


class ServerTransaction:
    def __init__(
        self,
        key: tuple[str, ...],
        request: Request,
        source: Source,
        timers: Timers,
        on_done: Callable[[ServerTransaction], None],
    ) -> None:
        self.key = key
        self.request = request
        self.source = source
        self.timers = timers
        self.is_invite = request.method == "INVITE"
        self.final_status: int | None = None
        self.call: Call | None = None
        self.terminated = False
        self._last: bytes | None = None
        self._on_done = on_done
        self._handles: list[asyncio.TimerHandle] = []

    def respond(self, response: Response) -> None:
        if self.terminated or self.final_status is not None:
            return
        stamp_via(response, self.source.addr)
        data = response.serialise()
        self._last = data
        self.source.send(data)
        if response.status < 200:
            return
        self.final_status = response.status
        reliable = self.source.reliable
        if self.is_invite and response.status >= 300:
            if not reliable:
                self._later(self.timers.t1, self._retransmit_final, self.timers.t1)
            self._later(self.timers.timeout, self.terminate)  # timer H
        else:
            # A 2xx or a non-INVITE answer: linger to absorb retransmitted requests.
            self._later(0 if reliable else self.timers.timeout, self.terminate)

    def _later(self, delay: float, callback: Callable[..., Any], *args: Any) -> None:
        self._handles.append(asyncio.get_running_loop().call_later(delay, callback, *args))

    def _retransmit_final(self, interval: float) -> None:
        if self.terminated or self._last is None:
            return
        self.source.send(self._last)
        interval = min(2 * interval, self.timers.t2)
        self._later(interval, self._retransmit_final, interval)

    def retransmitted(self) -> None:
        """The same request again: answer with what we last said (nothing yet: stay quiet)."""
        if self._last is not None and not self.terminated:
            self.source.send(self._last)

    def acknowledged(self) -> None:
        """The ACK for a non-2xx final response: stop retransmitting, linger for T4."""
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()
        self._later(0 if self.source.reliable else self.timers.t4, self.terminate)

    def terminate(self) -> None:
        if self.terminated:
            return
        self.terminated = True
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()
        self._on_done(self)


class ClientTransaction:
    """One request of ours, retransmitted until a final response arrives or time runs out."""

    def __init__(self, request: Request, source: Source, timers: Timers) -> None:
        self.request = request
        self.source = source
        self.timers = timers
        self.branch = branch(request.get("via") or "")
        self.response: asyncio.Future[Response] = asyncio.get_running_loop().create_future()

    def received(self, response: Response) -> None:
        if response.status >= 200 and not self.response.done():
            self.response.set_result(response)

    async def run(self) -> Response | None:
        """The final response, or None after 64*T1 (timer F)."""
        data = self.request.serialise()
        self.source.send(data)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timers.timeout
        interval = self.timers.t1
        while not self.response.done():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            wait = remaining if self.source.reliable else min(interval, remaining)
            done, _ = await asyncio.wait({self.response}, timeout=wait)
            if not done and not self.source.reliable and loop.time() < deadline:
                self.source.send(data)
                interval = min(2 * interval, self.timers.t2)
        return self.response.result()
