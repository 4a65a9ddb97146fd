"""A Converse request (after the config) as the call's worker takes it: checked, and in
the domain's words. A partial speech result is no input at all (None): it only says that
the caller is speaking."""

from __future__ import annotations

from dataclasses import dataclass

import flowyte.v1.conversation_service_pb2 as pb
from core.domain import call_inputs, validation
from core.domain import conversations as rules
from core.domain.errors import InvalidArgument

from .converse_replies import Replies, Reply

_OUTCOMES = {
    pb.TRANSFER_OUTCOME_ANSWERED: "answered",
    pb.TRANSFER_OUTCOME_NO_ANSWER: "no_answer",
    pb.TRANSFER_OUTCOME_FAILED: "failed",
    pb.TRANSFER_OUTCOME_REJECTED: "rejected",
}


@dataclass(frozen=True)
class Said:
    """Words or keys for a turn; `confidence` is the recogniser's (0: none given, as for
    typed text and keys)."""

    text: str = ""
    dtmf: str = ""
    confidence: float = 0.0


@dataclass(frozen=True)
class Cut:
    """An interrupt, and the reply it names with how much of it was played (None: it names
    none, and what was sent counts)."""

    reply: Reply | None = None
    played: int = 0


@dataclass(frozen=True)
class Silence:
    ms: int


@dataclass(frozen=True)
class TransferOutcome:
    outcome: str
    destination: str
    sip_status: int


Input = Said | Cut | Silence | TransferOutcome


def parse(request: pb.ConverseRequest, replies: Replies) -> Input | None:
    """The input `request` carries; InvalidArgument for a bad one (naming its field)."""
    kind = request.WhichOneof("kind")
    if kind == "text":
        return Said(text=request.text)  # checked by the turn, as SendMessage's content
    if kind == "dtmf_digits":
        return Said(dtmf=rules.dtmf_digits(request.dtmf_digits))
    if kind == "dtmf":
        return Said(dtmf=call_inputs.keyed_entry(request.dtmf.digits, request.dtmf.finish_digit))
    if kind == "speech":
        speech = request.speech
        text = call_inputs.speech(speech.text, speech.is_final, speech.confidence, speech.language)
        return Said(text=text, confidence=speech.confidence) if speech.is_final else None
    if kind == "interrupt":
        return _cut(request.interrupt, replies)
    if kind == "no_input":
        return Silence(call_inputs.silence(request.no_input.silence_ms))
    if kind == "transfer_result":
        result = request.transfer_result
        outcome = call_inputs.transfer_outcome(_OUTCOMES.get(result.outcome, ""))
        destination = validation.destination(result.destination, "transfer_result.destination")
        if result.sip_status and not 100 <= result.sip_status <= 699:
            raise InvalidArgument(
                "must be a SIP status code (100 to 699)", field="transfer_result.sip_status"
            )
        return TransferOutcome(outcome, destination, result.sip_status)
    if kind == "config":
        raise InvalidArgument("only the first request carries the config", field="config")
    raise InvalidArgument(
        "carry text, speech, dtmf, dtmf_digits, interrupt, no_input or transfer_result",
        field="kind",
    )


def _cut(interrupt: pb.Interrupt, replies: Replies) -> Cut:
    if not interrupt.reply_id:
        if interrupt.played_chars:
            raise InvalidArgument("needs the reply_id it counts in", field="interrupt.reply_id")
        return Cut()
    reply = replies.get(interrupt.reply_id)
    if reply is None:
        raise InvalidArgument("names no reply of this call", field="interrupt.reply_id")
    return Cut(reply, call_inputs.played(interrupt.played_chars, reply.delivered))
