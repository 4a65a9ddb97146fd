"""What a Converse stream sends for a turn (or for a line the core says on its own): the
turn's audit events, its reply as deltas, then handoff and transfer, then `turn_end`.

Each reply gets an id (`rpl_…`) and is kept, with how much of it was sent, so an
interrupt can name it and say how much was played. A client that asked for
`reply_deltas` gets each sentence as a ReplyDelta (id, interruptible, offset); any other
gets the same text as `text_delta`s, as before.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from dataclasses import dataclass

import flowyte.v1.conversation_service_pb2 as pb
from core.conversations import Turn
from core.domain import conversations as rules
from core.domain.ids import new_id
from core.store.transcripts import Event

from .conversation_shapes import event_proto, session_proto

# Replies an interrupt may still name; an older one is as unknown as one never sent.
KEPT_REPLIES = 64
# A sentence ends at . ! ? or … (closing quotes and brackets kept), or at a line break;
# only whitespace is ever a cut, so "#1001", "$12.50" or a URL stays whole.
_SENTENCE_END = re.compile(r"(?:[.!?\u2026][\"'\u201d\u2019\u00bb)\]]*\s+|\n\s*)(?=\S)")


@dataclass
class Reply:
    id: str
    text: str
    position: int  # requests read when it was queued: an interrupt read later cuts it
    interruptible: bool
    delivered: int = 0  # characters of it sent before any interrupt


@dataclass
class Piece:
    """One response, and for a piece of spoken text the reply it belongs to."""

    response: pb.ConverseResponse
    reply: Reply | None = None

    @property
    def spoken(self) -> str:
        kind = self.response.WhichOneof("kind")
        if kind == "text_delta":
            return self.response.text_delta
        if kind == "reply_delta":
            return self.response.reply_delta.text
        if kind == "acknowledgement":
            return self.response.acknowledgement.text
        return ""


Out = asyncio.Queue[Piece | BaseException | None]


class Replies:
    """The replies of one call, newest last."""

    def __init__(self, out: Out, reply_deltas: bool):
        self.out = out
        self.reply_deltas = reply_deltas
        self._kept: OrderedDict[str, Reply] = OrderedDict()
        self.last: Reply | None = None

    def get(self, reply_id: str) -> Reply | None:
        return self._kept.get(reply_id)

    def new(self, text: str, position: int, interruptible: bool) -> Reply:
        reply = self.last = Reply(new_id("reply"), text, position, interruptible)
        self._kept[reply.id] = reply
        if len(self._kept) > KEPT_REPLIES:
            self._kept.popitem(last=False)
        return reply

    def queue_turn(self, turn: Turn, position: int, *, interruptible: bool) -> None:
        """A turn's responses, all at once (so nothing else interleaves with them)."""
        put = self.out.put_nowait
        replies = [e for e in turn.events if e.event_type == "agent_message"]
        for event in turn.events:
            if event.event_type != "agent_message":
                put(Piece(pb.ConverseResponse(event=event_proto(event))))
        if not replies:
            return  # a resumed call's start, a transfer answered: nothing was said
        reply = self.new(turn.reply, position, interruptible)
        self._queue_text(reply)
        for event in replies:
            put(Piece(pb.ConverseResponse(event=event_proto(event))))
        if turn.handoff is not None:
            notice = pb.HandoffNotice(handoff_id=turn.handoff.id, reason=turn.handoff.reason)
            put(Piece(pb.ConverseResponse(handoff=notice)))
            if turn.transfer is not None:
                destination, warm = turn.transfer
                transfer = pb.Transfer(destination=destination, warm=warm)
                put(Piece(pb.ConverseResponse(transfer=transfer)))
        end = pb.TurnEnd(text=turn.reply, session=session_proto(turn.session), reply_id=reply.id)
        put(Piece(pb.ConverseResponse(turn_end=end)))

    def queue_human(self, event: Event, session: pb.Session, position: int) -> None:
        """A person's reply into the call's handoff."""
        text = str(event.payload.get("text", ""))
        reply = self.new(text, position, interruptible=True)
        put = self.out.put_nowait
        put(Piece(pb.ConverseResponse(event=event_proto(event))))
        self._queue_text(reply)
        end = pb.TurnEnd(text=text, session=session, reply_id=reply.id)
        put(Piece(pb.ConverseResponse(turn_end=end)))

    def queue_acknowledgement(self, text: str, position: int) -> Reply:
        reply = self.new(text, position, interruptible=True)
        ack = pb.Acknowledgement(reply_id=reply.id, text=text)
        self.out.put_nowait(Piece(pb.ConverseResponse(acknowledgement=ack), reply))
        return reply

    def _queue_text(self, reply: Reply) -> None:
        put = self.out.put_nowait
        if not self.reply_deltas:
            for delta in rules.deltas(reply.text):
                put(Piece(pb.ConverseResponse(text_delta=delta), reply))
            return
        pieces = sentences(reply.text)
        offset = 0
        for index, text in enumerate(pieces):
            piece = pb.ReplyDelta(
                reply_id=reply.id,
                text=text,
                interruptible=reply.interruptible,
                offset=offset,
                last=index == len(pieces) - 1,
            )
            put(Piece(pb.ConverseResponse(reply_delta=piece), reply))
            offset += len(text)


def sentences(text: str) -> list[str]:
    """`text` in sentences, the whitespace after each kept with it; they join back to it."""
    pieces, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        pieces.append(text[start : match.end()])
        start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces
