"""The SIP user agent server: UDP and TCP listeners, transactions, calls, and their media.

    server = SipServer(admit=TrunkAdmission(...), on_call=handle_call, host="0.0.0.0")
    await server.start()          # server.port: the UDP and TCP port
    ...
    await server.close()          # hangs up every call

Supported (RFC 3261 as a UAS): INVITE (100 Trying, 180 Ringing, 200 OK with an SDP answer,
or our offer when the INVITE had none, retransmitted until the ACK), ACK (with the answer to
a late offer), BYE, CANCEL (200, then 487 to the INVITE), OPTIONS (200 with Allow), INFO
(DTMF relay), re-INVITE for hold/resume; as the only requests we send, BYE and REFER (blind
transfer), with the NOTIFYs that report the transfer. Known methods we do
not serve get 405 with Allow, unknown ones 501; a Require we do not support 420; requests
outside any dialog 481. Every INVITE passes `admit(request, source_addr)` first: its
Verdict accepts, or names the rejection (403, 404, a 401 digest challenge). Malformed
requests get 400 when enough of them can be read to answer, else they are dropped; a TCP
message over 64 KB gets 413 and the connection closes. No exception from a message reaches
the sockets (`internal_errors` counts any that a bug would raise). Limits: `max_calls` at
once (then 503), an application that neither answers nor refuses in `ring_timeout` (480),
a call with no RTP for `media_timeout` (BYE), at most 20000 live server transactions (then
a stateless 503).
Not supported: TLS/SIPS, SRTP, acting as a UAC (we never place calls), REFER received,
PRACK (100rel), UPDATE, forking, DNS (RFC 3263:
responses and our BYE go back to the address the request came from), IPv6.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import secrets
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any

from frontends.voice.sip.admission import Verdict, called_number, caller_number
from frontends.voice.sip.call import Call, CallState
from frontends.voice.sip.media import EventQueue, RtpSession
from frontends.voice.sip.message import (
    Request,
    Response,
    SipParseError,
    branch,
    params,
    parse,
    stamp_via,
    tag,
)
from frontends.voice.sip.responses import build_response
from frontends.voice.sip.rtp import parse_dtmf_relay
from frontends.voice.sip.sdp import (
    LATE_OFFER_PLAN,
    LocalSession,
    Offer,
    SdpError,
    choose,
    parse_offer,
)
from frontends.voice.sip.transactions import (
    MAGIC_COOKIE,
    ClientTransaction,
    ServerTransaction,
    Timers,
    transaction_key,
)
from frontends.voice.sip.transport import Address, Source, TcpListener, UdpListener

log = logging.getLogger(__name__)

Admit = Callable[[Request, Address], Verdict | Awaitable[Verdict]]
CallHandler = Callable[[Call], Awaitable[None]]

ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, NOTIFY"
KNOWN_UNSERVED = {
    "REFER",
    "UPDATE",
    "PRACK",
    "SUBSCRIBE",
    "NOTIFY",
    "MESSAGE",
    "REGISTER",
    "PUBLISH",
}
REQUIRED_HEADERS = ("via", "from", "to", "call-id", "cseq")
# Each server transaction lingers up to 64*T1 (32 s) to absorb retransmissions; a flood of
# distinct requests beyond this many at once gets a stateless 503 instead of more memory.
MAX_TRANSACTIONS = 20000


class SipServer:
    """host/port: where to listen (UDP and TCP, one port; 0 picks a free one). media_host:
    where RTP sockets bind (default: host). advertised_host: the address callers reach us
    at, written in Contact, Via and the SDP's c= line (default: host, or 127.0.0.1 for
    0.0.0.0): behind NAT, the public address. timers: T1/T2/T4 (RFC 3261 defaults)."""

    def __init__(
        self,
        *,
        admit: Admit,
        on_call: CallHandler,
        host: str = "127.0.0.1",
        port: int = 0,
        media_host: str | None = None,
        advertised_host: str | None = None,
        timers: Timers | None = None,
        max_calls: int = 200,
        media_timeout: float = 30.0,
        ring_timeout: float = 60.0,
    ) -> None:
        self.admit = admit
        self.on_call = on_call
        self.host = host
        self.port = port
        self.media_host = media_host or host
        self.advertised_host = advertised_host or (host if host != "0.0.0.0" else "127.0.0.1")
        self.timers = timers or Timers()
        self.max_calls = max_calls
        self.media_timeout = media_timeout  # no RTP this long ends a call (0: never)
        self.ring_timeout = ring_timeout
        self.calls: dict[tuple[str, str], Call] = {}
        self.transactions: dict[tuple[str, ...], ServerTransaction] = {}
        self.client_transactions: dict[str, ClientTransaction] = {}
        self.malformed = 0  # messages we could not read (answered 400 or dropped)
        self.internal_errors = 0  # messages whose handling raised: a bug, logged
        self._tasks: set[asyncio.Task[None]] = set()
        self._udp: asyncio.DatagramTransport | None = None
        self._tcp_server: asyncio.Server | None = None
        self._tcp = TcpListener(self.on_message)

    # --- lifecycle -----------------------------------------------------------------------

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        for _ in range(20):  # UDP and TCP on one port number: retry if TCP's is taken
            transport, _ = await loop.create_datagram_endpoint(
                lambda: UdpListener(self.on_message), local_addr=(self.host, self.port)
            )
            port = transport.get_extra_info("sockname")[1]
            try:
                self._tcp_server = await asyncio.start_server(self._tcp.serve, self.host, port)
            except OSError:
                transport.close()
                if self.port:
                    raise
                continue
            self._udp, self.port = transport, port
            return
        raise OSError("no port free for both UDP and TCP")

    async def close(self) -> None:
        """Hang up every call (a BYE each, given a second to be answered), then stop."""
        for call in list(self.calls.values()):
            self.spawn(call.hangup())
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=1.0)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for transaction in list(self.transactions.values()):
            transaction.terminate()
        if self._udp is not None:
            self._udp.close()
        self._tcp.close_all()
        if self._tcp_server is not None:
            self._tcp_server.close()
            await self._tcp_server.wait_closed()

    def spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Run work the server must be able to cancel when it closes."""
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # --- what calls and transactions use ------------------------------------------------------

    def response(
        self,
        request: Request,
        status: int,
        *,
        to_tag: str = "",
        body: bytes = b"",
        content_type: str = "",
        headers: Iterable[tuple[str, str]] = (),
    ) -> Response:
        return build_response(
            request, status, to_tag=to_tag, body=body, content_type=content_type, headers=headers
        )

    def via_for(self, source: Source) -> str:
        return (
            f"SIP/2.0/{source.transport} {self.advertised_host}:{self.port}"
            f";branch={MAGIC_COOKIE}{secrets.token_hex(8)};rport"
        )

    def contact_for(self, source: Source) -> str:
        transport = ";transport=tcp" if source.reliable else ""
        return f"<sip:{self.advertised_host}:{self.port}{transport}>"

    async def send_request(self, request: Request, source: Source) -> Response | None:
        transaction = ClientTransaction(request, source, self.timers)
        self.client_transactions[transaction.branch] = transaction
        try:
            return await transaction.run()
        finally:
            self.client_transactions.pop(transaction.branch, None)

    def forget(self, call: Call) -> None:
        self.calls.pop(call.key, None)

    # --- receiving ------------------------------------------------------------------------

    def on_message(self, data: bytes, source: Source, oversized: bool = False) -> None:
        try:
            self._on_message(data, source, oversized)
        except Exception:  # one bad message must never take the listener down
            self.internal_errors += 1
            log.exception("sip message from %s could not be handled", source.addr)

    def _on_message(self, data: bytes, source: Source, oversized: bool) -> None:
        try:
            message = parse(data, check_length=not oversized)
            problem = 413 if oversized else 0
        except SipParseError:
            self.malformed += 1
            try:
                message = parse(data, check_length=False)
            except SipParseError:
                return  # not even a request line we could answer: drop
            problem = 400
        if isinstance(message, Response):
            self._on_response(message)
            return
        if any(message.get(name) is None for name in REQUIRED_HEADERS):
            problem = problem or 400
        else:
            try:
                _, method = message.cseq
                if method != message.method:
                    problem = problem or 400
            except SipParseError:
                problem = problem or 400
        if problem:
            if message.method != "ACK" and message.get("via"):
                answer = self.response(message, problem)
                stamp_via(answer, source.addr)
                source.send(answer.serialise())
            if oversized:
                source.close()
            return
        self._on_request(message, source)

    def _on_response(self, response: Response) -> None:
        transaction = self.client_transactions.get(branch(response.get("via") or ""))
        if transaction is not None:
            transaction.received(response)

    def _on_request(self, request: Request, source: Source) -> None:
        if request.method == "ACK":
            self._on_ack(request)
            return
        key = transaction_key(request)
        existing = self.transactions.get(key)
        if existing is not None:
            existing.retransmitted()
            return
        if len(self.transactions) >= MAX_TRANSACTIONS:
            source.send(self.response(request, 503, headers=[("Retry-After", "5")]).serialise())
            return
        transaction = ServerTransaction(key, request, source, self.timers, self._done)
        self.transactions[key] = transaction
        require = [r for r in request.get_all("require") if r]
        if require and request.method != "CANCEL":
            transaction.respond(
                self.response(request, 420, headers=[("Unsupported", ", ".join(require))])
            )
        elif request.method == "INVITE":
            self._on_invite(request, source, transaction)
        elif request.method == "CANCEL":
            self._on_cancel(request, transaction)
        elif request.method == "OPTIONS":
            transaction.respond(
                self.response(
                    request,
                    200,
                    to_tag=secrets.token_hex(4),
                    headers=[("Allow", ALLOW), ("Accept", "application/sdp")],
                )
            )
        elif request.method in ("BYE", "INFO", "NOTIFY"):
            self._in_dialog(request, transaction)
        elif request.method in KNOWN_UNSERVED:
            transaction.respond(self.response(request, 405, headers=[("Allow", ALLOW)]))
        else:
            transaction.respond(self.response(request, 501))

    def _done(self, transaction: ServerTransaction) -> None:
        if self.transactions.get(transaction.key) is transaction:
            del self.transactions[transaction.key]

    def _dialog(self, request: Request) -> Call | None:
        call = self.calls.get((request.call_id, tag(request.get("to"))))
        if call is None or call.remote_tag != tag(request.get("from")):
            return None
        return call

    def _on_ack(self, request: Request) -> None:
        transaction = self.transactions.get(transaction_key(request))
        if transaction is not None and (transaction.final_status or 0) >= 300:
            transaction.acknowledged()
            return
        call = self._dialog(request)
        if call is not None:
            try:
                call.acknowledged(request.cseq[0], request.body)
            except SipParseError:
                return

    def _in_dialog(self, request: Request, transaction: ServerTransaction) -> None:
        call = self._dialog(request)
        if call is None:
            transaction.respond(self.response(request, 481))
            return
        if request.method == "BYE":
            transaction.respond(self.response(request, 200))
            call.remote_bye()
            return
        if request.method == "NOTIFY":
            status = 200 if call.notified(request) else 489  # 489 Bad Event
            transaction.respond(self.response(request, status))
            return
        digit = parse_dtmf_relay(request.get("content-type") or "", request.body)
        if digit is None:
            transaction.respond(
                self.response(request, 415, headers=[("Accept", "application/dtmf-relay")])
            )
            return
        transaction.respond(self.response(request, 200))
        call.info_digit(digit)

    def _on_cancel(self, request: Request, transaction: ServerTransaction) -> None:
        invite = self.transactions.get(transaction_key(request, "INVITE"))
        if invite is None:
            transaction.respond(self.response(request, 481))
            return
        transaction.respond(self.response(request, 200))
        if invite.final_status is None:
            to_tag = invite.call.local_tag if invite.call else secrets.token_hex(8)
            invite.respond(self.response(invite.request, 487, to_tag=to_tag))
            if invite.call is not None:
                invite.call.cancelled()

    # --- INVITE -----------------------------------------------------------------------------

    def _on_invite(self, request: Request, source: Source, transaction: ServerTransaction) -> None:
        if tag(request.get("to")):
            self._on_reinvite(request, transaction)
            return
        transaction.respond(self.response(request, 100))
        self.spawn(self._set_up_call(request, source, transaction))

    def _on_reinvite(self, request: Request, transaction: ServerTransaction) -> None:
        call = self._dialog(request)
        if call is None or call.state is CallState.RINGING:
            transaction.respond(self.response(request, 481))
            return
        try:
            offer = parse_offer(request.body)
            plan = choose(offer)
            if plan.codec != call.plan.codec and call.plan.payload_type not in offer.payloads:
                raise SdpError("the codec cannot change mid-call", 488)
        except SdpError as exc:
            transaction.respond(self.response(request, exc.status, to_tag=call.local_tag))
            return
        call.reinvite(request, transaction, offer, plan)

    async def _set_up_call(
        self, request: Request, source: Source, transaction: ServerTransaction
    ) -> None:
        try:
            await self._admit_and_ring(request, source, transaction)
        except Exception:  # a failing admit() or no free RTP port: refuse, never leak
            self.internal_errors += 1
            log.exception("INVITE %s could not be set up", request.call_id)
            if transaction.final_status is None:
                status = 500
                transaction.respond(self.response(request, status, to_tag=secrets.token_hex(8)))
            if transaction.call is not None and transaction.call.state is not CallState.ENDED:
                await transaction.call.hangup()

    async def _admit_and_ring(
        self, request: Request, source: Source, transaction: ServerTransaction
    ) -> None:
        def refuse(status: int, headers: Iterable[tuple[str, str]] = ()) -> None:
            to_tag = secrets.token_hex(8)
            transaction.respond(self.response(request, status, to_tag=to_tag, headers=headers))

        verdict = self.admit(request, source.addr)
        if inspect.isawaitable(verdict):
            verdict = await verdict
        if transaction.final_status is not None:  # cancelled while we were deciding
            return
        if not verdict.accepted:
            refuse(verdict.status, verdict.headers)
            return
        content_type = (request.get("content-type") or "").split(";", 1)[0].strip().lower()
        offer: Offer | None = None
        plan = LATE_OFFER_PLAN  # no offer: ours goes in the 200, the ACK answers it
        if request.body and content_type != "application/sdp":
            refuse(415, [("Accept", "application/sdp")])
            return
        if request.body:
            try:
                offer = parse_offer(request.body)
                plan = choose(offer)
            except SdpError as exc:
                reason = str(exc).replace('"', "'")
                refuse(exc.status, [("Warning", f'399 flowyte "{reason}"')])
                return
        if len(self.calls) >= self.max_calls:
            refuse(503)
            return
        events = EventQueue()
        rtp = await RtpSession.open(self.media_host, plan, events)
        if transaction.final_status is not None:
            rtp.close()
            return
        call = Call(
            self,
            request,
            source,
            transaction,
            offer,
            rtp,
            events,
            LocalSession(self.advertised_host),
            caller=caller_number(request),
            called=called_number(request),
            media_timeout=self.media_timeout,
        )
        self.calls[call.key] = call
        transaction.call = call
        call.ringing()
        await self._run_application(call)

    async def _run_application(self, call: Call) -> None:
        ring_watch = self.spawn(self._unanswered(call))
        try:
            await self.on_call(call)
        except Exception:
            log.exception("call %s: the application failed", call.call_id)
        finally:
            ring_watch.cancel()
            if call.state is not CallState.ENDED:
                await call.hangup()

    async def _unanswered(self, call: Call) -> None:
        """An application that neither answers nor refuses within ring_timeout: 480."""
        await asyncio.sleep(self.ring_timeout)
        if call.state is CallState.RINGING:
            log.info("call %s: not answered in %.0f s", call.call_id, self.ring_timeout)
            await call.reject(480)


__all__ = ["SipServer", "params"]
