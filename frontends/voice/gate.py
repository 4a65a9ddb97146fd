"""Who gets answered: the trunk check, then the core's word on the number, before ringing ends.

Every INVITE passes `CoreGate` (the SIP server's `admit`): a source that is not an allowed
trunk gets 403 (or a digest challenge, when credentials are configured); otherwise the
core's `Converse` stream is opened with the called number (the Request-URI's user) and the
caller's (P-Asserted-Identity, else From) on the voice frontend's own key. The core's
answer decides the SIP one: the session → accept (the open stream waits for the call to be
claimed by `on_call`), NOT_FOUND or an invalid number → 404, a core that is down or busy →
503, anything else → 500.

Opening the stream starts the call in the core, so what the SIP server would refuse after
an accepted admit (an SDP offer it cannot answer, no room for another call) is refused here
first, and no call is recorded for it. A stream nobody claims (the caller cancelled while
the core was deciding) is closed after `claim_seconds`: the core records a call abandoned.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

import grpc
import grpc.aio

from flowyte.v1 import audit_pb2
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from frontends.voice.sip import ACCEPT, Call, TrunkAdmission, Verdict, called_number, caller_number
from frontends.voice.sip.message import Request, tag
from frontends.voice.sip.sdp import SdpError, choose, parse_offer

log = logging.getLogger(__name__)

ConverseStream: TypeAlias = grpc.aio.StreamStreamCall[pb.ConverseRequest, pb.ConverseResponse]
# What the core accepts as a caller's number (validation.destination): anything else, such
# as "anonymous" or a trunk's internal extension, is sent as no number rather than refused.
_CALLER_NUMBER = re.compile(r"\+[1-9][0-9]{1,14}|1?[2-9][0-9]{9}")
_UNAVAILABLE = {
    grpc.StatusCode.UNAVAILABLE,
    grpc.StatusCode.DEADLINE_EXCEEDED,
    grpc.StatusCode.RESOURCE_EXHAUSTED,
}
_NO_SUCH_NUMBER = {grpc.StatusCode.NOT_FOUND, grpc.StatusCode.INVALID_ARGUMENT}


@dataclass
class OpenCall:
    """A call the core accepted: its Converse stream, after the config and the session."""

    stream: ConverseStream
    session: pb.Session


def verdict_for(code: grpc.StatusCode) -> Verdict:
    if code in _NO_SUCH_NUMBER:
        return Verdict(404)
    if code in _UNAVAILABLE:
        return Verdict(503)
    return Verdict(500)


class CoreGate:
    def __init__(
        self,
        conversations: pb_grpc.ConversationServiceStub,
        metadata: grpc.aio.Metadata,
        trunks: TrunkAdmission,
        *,
        open_seconds: float = 5.0,
        claim_seconds: float = 5.0,
    ) -> None:
        self.conversations = conversations
        self.metadata = metadata
        self._trunks = trunks
        self._open_seconds = open_seconds
        self._claim_seconds = claim_seconds
        self._opened: dict[tuple[str, str], tuple[OpenCall, asyncio.TimerHandle]] = {}
        self.full: Callable[[], bool] = lambda: False  # the SIP server at max_calls
        self.refusals: dict[int, int] = {}  # SIP status → how many, for logs and tests

    async def __call__(self, request: Request, source: tuple[str, int]) -> Verdict:
        verdict = self._trunks(request, source)
        if verdict.accepted:
            verdict = self._answerable(request)
        if verdict.accepted:
            verdict = await self._open(request)
        if not verdict.accepted:
            self.refusals[verdict.status] = self.refusals.get(verdict.status, 0) + 1
        return verdict

    def _answerable(self, request: Request) -> Verdict:
        if self.full():
            return Verdict(503)
        content_type = (request.get("content-type") or "").split(";", 1)[0].strip().lower()
        if request.body and content_type == "application/sdp":
            try:
                choose(parse_offer(request.body))
            except SdpError as error:
                return Verdict(error.status)
        return ACCEPT  # no offer (a late one) or another type: the server answers those

    async def _open(self, request: Request) -> Verdict:
        caller = caller_number(request)
        config = pb.ConverseConfig(
            called_number=called_number(request),
            caller_number=caller if _CALLER_NUMBER.fullmatch(caller) else "",
            channel=audit_pb2.CHANNEL_VOICE,
            reply_deltas=True,
        )
        stream: ConverseStream = self.conversations.Converse(metadata=self.metadata)
        try:
            async with asyncio.timeout(self._open_seconds):
                await stream.write(pb.ConverseRequest(config=config))
                first = await stream.read()
        except grpc.aio.AioRpcError as error:
            stream.cancel()
            if error.code() not in _NO_SUCH_NUMBER:
                log.warning("the core refused a call: %s", error.code().name)
            return verdict_for(error.code())
        except TimeoutError:
            stream.cancel()
            log.warning("the core did not answer a call's Converse in %gs", self._open_seconds)
            return Verdict(503)
        if first is grpc.aio.EOF or first.WhichOneof("kind") != "session":
            stream.cancel()
            return Verdict(500)
        key = (request.call_id, tag(request.get("from")))
        loop = asyncio.get_running_loop()
        expiry = loop.call_later(self._claim_seconds, self._expire, key)
        self._opened[key] = (OpenCall(stream, first.session), expiry)
        return ACCEPT

    def claim(self, call: Call) -> OpenCall | None:
        """The open stream of a call `admit` accepted; None if there is none (any more)."""
        entry = self._opened.pop((call.call_id, call.remote_tag), None)
        if entry is None:
            return None
        entry[1].cancel()
        return entry[0]

    def _expire(self, key: tuple[str, str]) -> None:
        entry = self._opened.pop(key, None)
        if entry is not None:
            entry[0].stream.cancel()

    def close(self) -> None:
        for key in list(self._opened):
            self._expire(key)
