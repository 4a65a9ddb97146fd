"""Sessions, channels, audit events and streamed turns as the contract spells them: shared by
the unary ConversationService methods, the streams (StreamMessage, Converse, the widget's
StreamWidgetMessage) and the handoff inbox."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flowyte.v1.audit_pb2 as audit_pb
import flowyte.v1.conversation_service_pb2 as pb
from core.conversations.session_view import AnySession
from core.conversations.streaming import Delta, Said, TurnPiece
from core.domain import conversations as rules
from core.domain.errors import InvalidArgument
from core.store.transcripts import Event

from .convert import timestamp

_STATUSES = {
    "active": pb.SESSION_STATUS_ACTIVE,
    "handed_off": pb.SESSION_STATUS_HANDED_OFF,
    "ended": pb.SESSION_STATUS_ENDED,
}


# Proto enums by the store's words (typed Any: the stubs type enum values as their classes).
_CHANNELS: dict[str, Any] = {
    c: audit_pb.Channel.Value(f"CHANNEL_{c.upper()}") for c in rules.CHANNELS
}
_CHANNEL_NAMES = {number: name for name, number in _CHANNELS.items()}
_EVENT_TYPES: dict[str, Any] = {
    t: audit_pb.AuditEventType.Value(f"AUDIT_EVENT_TYPE_{t.upper()}") for t in rules.EVENT_TYPES
}


def channel_proto(channel: str) -> Any:
    return _CHANNELS.get(channel, audit_pb.CHANNEL_UNSPECIFIED)


def channel_of(value: int) -> str:
    if value == audit_pb.CHANNEL_UNSPECIFIED:
        return "chat"
    if value not in _CHANNEL_NAMES:
        raise InvalidArgument("unknown channel", field="channel")
    return _CHANNEL_NAMES[value]


def event_proto(row: Event) -> audit_pb.AuditEvent:
    event = audit_pb.AuditEvent(
        id=row.id,
        conversation_id=row.session_id,
        seq=row.seq,
        ts_ms=row.ts_ms,
        channel=channel_proto(row.channel),
        event_type=_EVENT_TYPES.get(row.event_type, audit_pb.AUDIT_EVENT_TYPE_UNSPECIFIED),
        trace_id=row.trace_id,
    )
    event.create_time.FromMilliseconds(row.ts_ms)
    event.payload.update(row.payload)  # the C Struct filler: ParseDict is pure Python
    return event


def session_proto(row: AnySession) -> pb.Session:
    return pb.Session(
        name=f"sessions/{row.id}",
        id=row.id,
        agent_id=row.agent_id,
        agent_version=row.agent_version,
        channel=channel_proto(row.channel),
        draft_mode=row.draft_mode,
        status=_STATUSES[row.status],
        handoff_id=row.handoff_id,
        create_time=timestamp(row.created_ms),
        end_time=timestamp(row.ended_ms),
    )


def streamed_piece(
    piece: TurnPiece, event: Callable[[Event], audit_pb.AuditEvent] = event_proto
) -> dict[str, Any]:
    """A piece of a turn as it happens (core/conversations/streaming.py), as a streamed
    response's fields: an event, a piece of the reply, or the turn's end."""
    if isinstance(piece, Said):
        return {"event": event(piece.event)}
    if isinstance(piece, Delta):
        return {"text_delta": piece.text}
    turn = piece.turn
    return {"turn_end": pb.TurnEnd(text=turn.reply, session=session_proto(turn.session))}
