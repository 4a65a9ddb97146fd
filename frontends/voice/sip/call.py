"""One phone call as the application sees it, and the SIP dialog underneath it.

The application gets a `Call` in its `on_call` handler while the caller hears ringing. It
answers (`await call.answer()`), reads `call.events()` (the caller's 20 ms PCM16 frames at
8 kHz and their digits, from RFC 4733 or SIP INFO), plays audio with `await call.play(pcm)`
(which `call.stop_playback()` cuts short for barge-in, reporting how many ms were played),
and ends with `await call.hangup()` (a BYE) or `await call.transfer(uri)` (a blind REFER
transfer; the call is hung up once the caller's side reports the new call answered).
`call.caller` is P-Asserted-Identity's or From's user, `call.called` the Request-URI's (or
To's) user. `call.ended` is set however the call ends (their BYE, our hang-up, CANCEL, no
ACK for our 200, a transfer, no RTP for `media_timeout` seconds: the caller's network
dropped), and `call.end_reason` says which; the events stream then ends
and the call leaves the server's table.

Our 200 OK is retransmitted (T1 doubling up to T2) until the ACK; with no ACK after 64*T1
the call is ended with a BYE. A re-INVITE in the dialog is answered with the same codec
(hold and resume, a new media address); a re-INVITE that changes the codec is not
supported (it keeps the negotiated one when offered, else gets 488). Attended transfer
(Replaces) is not supported.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import secrets
from collections.abc import AsyncIterable, AsyncIterator, Coroutine, Iterable
from typing import Any, Protocol

from frontends.voice.sip.media import CallEvent, Digit, EventQueue, PlayResult, RtpSession
from frontends.voice.sip.message import Request, Response, tag, uri_of
from frontends.voice.sip.sdp import LocalSession, MediaPlan, Offer, SdpError, choose, parse_offer
from frontends.voice.sip.transactions import ServerTransaction, Timers
from frontends.voice.sip.transport import Source

log = logging.getLogger(__name__)


class CallEnded(Exception):
    """The call ended before what was asked could happen (e.g. answering a cancelled call)."""


class CallState(enum.Enum):
    RINGING = "ringing"
    ANSWERED = "answered"  # 200 sent, waiting for the ACK
    CONFIRMED = "confirmed"
    ENDED = "ended"


class Signalling(Protocol):
    """What a call needs from the server that owns it."""

    timers: Timers

    def response(
        self,
        request: Request,
        status: int,
        *,
        to_tag: str = "",
        body: bytes = b"",
        content_type: str = "",
        headers: Iterable[tuple[str, str]] = (),
    ) -> Response: ...

    def via_for(self, source: Source) -> str: ...

    def contact_for(self, source: Source) -> str: ...

    async def send_request(self, request: Request, source: Source) -> Response | None: ...

    def forget(self, call: Call) -> None: ...

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]: ...


class Call:
    def __init__(
        self,
        server: Signalling,
        invite: Request,
        source: Source,
        transaction: ServerTransaction,
        offer: Offer | None,
        rtp: RtpSession,
        events: EventQueue,
        local: LocalSession,
        caller: str,
        called: str,
        media_timeout: float = 0.0,
    ) -> None:
        self.call_id = invite.call_id
        self.caller = caller
        self.called = called
        self.remote_addr = source.addr
        self.transport = source.transport
        self.local_tag = secrets.token_hex(8)
        self.remote_tag = tag(invite.get("from"))
        self.state = CallState.RINGING
        self.end_reason = ""
        self.ended = asyncio.Event()
        self.rtp = rtp
        self._server = server
        self._invite = invite
        self._source = source
        self._transaction = transaction
        self._offer = offer
        self._events = events
        self._local = local
        self._remote_target = uri_of(invite.get("contact") or invite.get("from") or "")
        self._route = list(invite.get_all("record-route"))
        self._local_cseq = secrets.randbelow(10000) + 1
        self._pending_ack: tuple[int, asyncio.Task[None]] | None = None
        self._refer_outcome: asyncio.Future[int] | None = None
        self._media_timeout = media_timeout

    @property
    def key(self) -> tuple[str, str]:
        return (self.call_id, self.local_tag)

    @property
    def plan(self) -> MediaPlan:
        return self.rtp.plan

    # --- the application's side -------------------------------------------------------------

    async def answer(self) -> None:
        if self.state is not CallState.RINGING:
            raise CallEnded(self.end_reason or self.state.value)
        if self._offer is None:  # late offer: ours now, their answer in the ACK
            body = self._local.offer(self.rtp.port)
        else:
            body = self._local.answer(self.plan, self.rtp.port, self._offer.direction)
        response = self._ok(self._invite, body)
        self.state = CallState.ANSWERED
        self._transaction.respond(response)
        self._await_ack(self._invite, response.serialise())
        if self._media_timeout > 0:
            self._server.spawn(self._watch_media())

    async def reject(self, status: int = 486) -> None:
        """Refuse a call that is still ringing (486 Busy Here by default)."""
        if self.state is CallState.RINGING:
            self._transaction.respond(
                self._server.response(self._invite, status, to_tag=self.local_tag)
            )
            self._end("rejected")

    async def events(self) -> AsyncIterator[CallEvent]:
        while True:
            event = await self._events.get()
            if event is None:
                return
            yield event

    async def play(self, audio: Iterable[bytes] | AsyncIterable[bytes] | bytes) -> PlayResult:
        if self.state is CallState.ENDED:
            return PlayResult(0, stopped=True)
        return await self.rtp.play(audio)

    def stop_playback(self) -> None:
        self.rtp.stop_playback()

    async def hangup(self) -> None:
        if self.state is CallState.RINGING:
            await self.reject(480)
            return
        if self.state is CallState.ENDED:
            return
        self._end("hangup")
        await self._send_bye()

    # --- the server's side ------------------------------------------------------------------

    def ringing(self) -> None:
        self._transaction.respond(
            self._server.response(
                self._invite,
                180,
                to_tag=self.local_tag,
                headers=[("Contact", self._server.contact_for(self._source))],
            )
        )

    def acknowledged(self, cseq: int, body: bytes = b"") -> None:
        if self._pending_ack is None or self._pending_ack[0] != cseq:
            return
        self._pending_ack[1].cancel()
        self._pending_ack = None
        if self.state is CallState.ANSWERED:
            self.state = CallState.CONFIRMED
        if self._offer is None and self.state is CallState.CONFIRMED:
            self._late_answer(body)

    def _late_answer(self, body: bytes) -> None:
        """The ACK's answer to our offer; without a usable one the call cannot have media."""
        try:
            self._offer = parse_offer(body)
            plan = choose(self._offer)
        except SdpError:
            log.info("call %s: the ACK did not answer our offer, hanging up", self.call_id)
            self._end("bad-answer")
            self._server.spawn(self._send_bye())
            return
        self.rtp.plan = plan

    def remote_bye(self) -> None:
        if self.state is CallState.RINGING:  # a BYE in the early dialog ends the INVITE too
            self._transaction.respond(
                self._server.response(self._invite, 487, to_tag=self.local_tag)
            )
        self._end("bye")

    def cancelled(self) -> None:
        self._end("cancelled")

    def info_digit(self, digit: str) -> None:
        self._events.put_digit(Digit(digit, "info"))

    def reinvite(
        self, request: Request, transaction: ServerTransaction, offer: Offer, plan: MediaPlan
    ) -> None:
        """Hold, resume or a new media address; the codec stays what was agreed."""
        if self._pending_ack is not None:
            transaction.respond(self._server.response(request, 491, to_tag=self.local_tag))
            return
        self._offer = offer
        moved = (plan.remote_address, plan.remote_port) != (
            self.plan.remote_address,
            self.plan.remote_port,
        )
        self.rtp.plan = MediaPlan(
            codec=self.plan.codec,
            payload_type=self.plan.payload_type,
            dtmf_payload_type=self.plan.dtmf_payload_type,
            remote_address=plan.remote_address,
            remote_port=plan.remote_port,
            on_hold=plan.on_hold,
        )
        if moved:
            self.rtp.latched = None
        if request.get("contact"):
            self._remote_target = uri_of(request.get("contact") or "")
        body = self._local.answer(self.plan, self.rtp.port, offer.direction)
        response = self._ok(request, body)
        transaction.respond(response)
        self._await_ack(request, response.serialise())

    def _ok(self, request: Request, body: bytes) -> Response:
        return self._server.response(
            request,
            200,
            to_tag=self.local_tag,
            body=body,
            content_type="application/sdp",
            headers=[("Contact", self._server.contact_for(self._source))],
        )

    def _await_ack(self, request: Request, data: bytes) -> None:
        number = request.cseq[0]
        task = self._server.spawn(self._retransmit_2xx(data))
        self._pending_ack = (number, task)

    async def _retransmit_2xx(self, data: bytes) -> None:
        timers = self._server.timers
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timers.timeout
        interval = timers.t1
        while loop.time() < deadline:
            await asyncio.sleep(min(interval, max(0.0, deadline - loop.time())))
            if loop.time() < deadline and not self._source.reliable:
                self._source.send(data)
            interval = min(2 * interval, timers.t2)
        self._pending_ack = None
        log.info("call %s: no ACK for our 200, hanging up", self.call_id)
        if self.state is not CallState.ENDED:
            self._end("no-ack")
            await self._send_bye()

    async def _watch_media(self) -> None:
        """End a call whose caller vanished without a BYE (their network dropped): no RTP
        for media_timeout seconds while not on hold ends it with a BYE."""
        loop = asyncio.get_running_loop()
        quiet_since = loop.time()
        while self.state is not CallState.ENDED:
            await asyncio.sleep(self._media_timeout / 4)
            heard = max(self.rtp.last_received, quiet_since)
            if self.plan.on_hold:
                quiet_since = loop.time()
            elif loop.time() - heard > self._media_timeout and self.state is not CallState.ENDED:
                log.info(
                    "call %s: no RTP for %.0f s, hanging up", self.call_id, self._media_timeout
                )
                self._end("media-timeout")
                await self._send_bye()

    def _request(self, method: str) -> Request:
        """A request of ours inside the dialog (RFC 3261 12.2.1.1)."""
        self._local_cseq += 1
        request = Request(method=method, uri=self._remote_target or self._invite.uri)
        request.add("Via", self._server.via_for(self._source))
        for route in self._route:
            request.add("Route", route)
        request.add("Max-Forwards", "70")
        to = self._invite.get("to") or ""
        request.add("From", to if tag(to) else f"{to};tag={self.local_tag}")
        request.add("To", self._invite.get("from") or "")
        request.add("Call-ID", self.call_id)
        request.add("CSeq", f"{self._local_cseq} {method}")
        return request

    async def _send_bye(self) -> None:
        response = await self._server.send_request(self._request("BYE"), self._source)
        log.debug("call %s: BYE answered %s", self.call_id, response and response.status)

    async def transfer(self, target: str, within: float = 30.0) -> bool:
        """Blind transfer by REFER (RFC 3515): True once the caller's side reports the new
        call answered (a NOTIFY with a 2xx sipfrag), and then this call is hung up. False
        when the REFER is refused or the transfer fails or times out; the call goes on."""
        if self.state not in (CallState.ANSWERED, CallState.CONFIRMED):
            raise CallEnded(self.end_reason or self.state.value)
        request = self._request("REFER")
        request.add("Refer-To", f"<{target}>")
        request.add("Referred-By", self._server.contact_for(self._source))
        request.add("Contact", self._server.contact_for(self._source))
        self._refer_outcome = asyncio.get_running_loop().create_future()
        response = await self._server.send_request(request, self._source)
        if response is None or not 200 <= response.status < 300:
            return False
        try:
            status = await asyncio.wait_for(asyncio.shield(self._refer_outcome), within)
        except TimeoutError:
            return False
        finally:
            self._refer_outcome = None
        if not 200 <= status < 300:
            return False
        if self.state is not CallState.ENDED:
            self._end("transferred")
            await self._send_bye()
        return True

    def notified(self, request: Request) -> bool:
        """A NOTIFY about our REFER: its sipfrag's final status settles the transfer."""
        if (request.get("event") or "").split(";", 1)[0].strip().lower() != "refer":
            return False
        line = request.body.split(b"\n", 1)[0].split()
        if len(line) >= 2 and line[0] == b"SIP/2.0" and line[1].isdigit():
            status = int(line[1])
            outcome = self._refer_outcome
            if status >= 200 and outcome is not None and not outcome.done():
                outcome.set_result(status)
        return True

    def _end(self, reason: str) -> None:
        if self.state is CallState.ENDED:
            return
        self.state = CallState.ENDED
        self.end_reason = reason
        if self._pending_ack is not None and self._pending_ack[1] is not asyncio.current_task():
            self._pending_ack[1].cancel()
        self._pending_ack = None
        self.rtp.close()
        self._events.close()
        if self._refer_outcome is not None and not self._refer_outcome.done():
            self._refer_outcome.set_result(487)
        self.ended.set()
        with contextlib.suppress(Exception):
            self._server.forget(self)
