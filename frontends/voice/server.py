"""Running the voice frontend: the speech engines, the SIP server, and the core behind them.

Each INVITE passes the gate (trunk allow-list or digest, then the core's Converse on the
called number: gate.py) while the caller hears ringing; an accepted call is answered and
runs as `run_call(leg, stream)` (keys_only.py) until either side ends it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flowyte.client import FlowyteClient, call_metadata
from flowyte.v1 import conversation_service_pb2 as pb
from flowyte.v1 import conversation_service_pb2_grpc as pb_grpc
from frontends.voice.call import Call as VoiceCall
from frontends.voice.gate import CoreGate
from frontends.voice.keys_only import run_call
from frontends.voice.sip import Call, CallEnded, SipServer, TrunkAdmission
from frontends.voice.sip_leg import SipLeg

if TYPE_CHECKING:  # imported when started: keys-only calls run without the voice extra
    from frontends.voice.speech import SpeechEngines

log = logging.getLogger(__name__)


@dataclass
class VoiceSettings:
    core: str
    api_key: str
    host: str = "127.0.0.1"
    port: int = 5070
    advertised_host: str | None = None
    trunks: tuple[str, ...] = ("127.0.0.1",)
    credentials: dict[str, str] = field(default_factory=dict)
    speech: bool = True  # start the speech engines (the pipeline's; a keys-only call needs none)


@dataclass
class VoiceHandle:
    sip: SipServer
    gate: CoreGate
    client: FlowyteClient
    engines: SpeechEngines | None

    @property
    def sip_address(self) -> str:
        return f"{self.sip.advertised_host}:{self.sip.port}"

    async def stop(self) -> None:
        await self.sip.close()  # a BYE to every call; their run_call ends with it
        self.gate.close()
        if self.engines is not None:
            await self.engines.close()
        await self.client.close()


async def start_voice(settings: VoiceSettings) -> VoiceHandle:
    client = FlowyteClient(settings.core)
    conversations = pb_grpc.ConversationServiceStub(client.channel)  # no deadline: calls last
    trunks = TrunkAdmission(
        numbers=lambda _number: True,  # the core decides which numbers exist
        allowed_networks=settings.trunks,
        credentials=settings.credentials,
    )
    gate = CoreGate(conversations, call_metadata(settings.api_key), trunks)
    engines: SpeechEngines | None = None
    try:
        if settings.speech:
            from frontends.voice.speech import SpeechEngines

            engines = await SpeechEngines.start()
        sip = SipServer(
            admit=gate,
            on_call=lambda call: _answer(gate, call, engines),
            host=settings.host,
            port=settings.port,
            advertised_host=settings.advertised_host,
        )
        gate.full = lambda: len(sip.calls) >= sip.max_calls
        await sip.start()
    except BaseException:
        gate.close()
        if engines is not None:
            await engines.close()
        await client.close()
        raise
    return VoiceHandle(sip, gate, client, engines)


async def _answer(gate: CoreGate, call: Call, engines: SpeechEngines | None) -> None:
    opened = gate.claim(call)
    if opened is None:  # admitted, but its stream expired or broke: nothing to talk to
        await call.reject(503)
        return
    try:
        await call.answer()
    except CallEnded:  # cancelled while the core was opening the session
        opened.stream.cancel()
        return
    log.info("call %s answered for %s", call.call_id, opened.session.name)
    try:
        if engines is None:  # no speech engines (FLOWYTE_VOICE_SPEECH off): keys only
            reason = await run_call(SipLeg(call), opened.stream, engines=engines)
        else:
            pipeline = VoiceCall(
                SipLeg(call),
                engines,
                gate.conversations,
                gate.metadata,
                on_transfer=lambda transfer: _refer(call, transfer),
                opened=(opened.stream, opened.session.name),
            )
            outcome = await pipeline.run()
            reason = outcome.hang_up_reason or outcome.ending.value
        log.info("call %s ended: %s", call.call_id, reason)
    finally:
        opened.stream.cancel()
        with contextlib.suppress(Exception):
            await asyncio.shield(call.hangup())


async def _refer(call: Call, transfer: pb.Transfer) -> pb.TransferResult:
    """The core's transfer, placed by REFER on the caller's trunk (blind: a warm transfer,
    briefing a person first, is the next issue's). An E.164 destination goes as a tel: URI
    (RFC 3966), for the trunk to route."""
    destination = transfer.destination
    target = destination if destination.startswith("sip:") else f"tel:{destination}"
    answered = await call.transfer(target)
    outcome = pb.TRANSFER_OUTCOME_ANSWERED if answered else pb.TRANSFER_OUTCOME_FAILED
    return pb.TransferResult(outcome=outcome, destination=destination)
