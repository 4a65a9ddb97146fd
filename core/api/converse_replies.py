"""What a Converse stream sends for a turn (or for a line the core says on its own): the
turn's audit events, its reply as deltas, then handoff and transfer, then `turn_end`.

Each reply gets an id (`rpl_…`) and is kept, with how much of it was sent, so an
interrupt can name it and say how much was played. A client that asked for
`reply_deltas` gets each sentence as a ReplyDelta (id, interruptible, offset); any other
gets the same text as `text_delta`s, as before.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass

import flowyte.v1.conversation_service_pb2 as pb
from core.conversations import Turn
from core.domain import conversations as rules
from core.domain.ids import new_id
from core.domain.sentences import sentences
from core.store.transcripts import Event

from .conversation_shapes import event_proto, session_proto

# Replies an interrupt may still name; an older one is as unknown as one never sent.
KEPT_REPLIES = 64


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

    def queue_turn(
        self,
        turn: Turn,
        position: int,
        *,
        interruptible: bool,
        live: Reply | None = None,
        sent: frozenset[int] = frozenset(),
    ) -> None:
        """A turn's responses, all at once (so nothing else interleaves with them). After a
        turn whose reply began while the brain was writing (`live`, those pieces sent), the
        rest of it; events whose seq is in `sent` went out already."""
        put = self.out.put_nowait
        replies = [e for e in turn.events if e.event_type == "agent_message"]
        for event in turn.events:
            if event.event_type != "agent_message" and event.seq not in sent:
                put(Piece(pb.ConverseResponse(event=event_proto(event))))
        if not replies:
            return  # a resumed call's start, a transfer answered: nothing was said
        if live is not None and turn.reply.startswith(live.text):
            reply, offset = live, len(live.text)
            reply.text = turn.reply
        else:  # nothing went out, or what did was withdrawn (the events say so)
            reply, offset = self.new(turn.reply, position, interruptible), 0
        self._queue_text(reply, offset)
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

    def queue_live(self, reply: Reply, text: str) -> None:
        """A sentence of a reply the brain is still writing: whether it is the last one, or
        the turn ends the call, is not known yet, so it is never `last` and may be cut."""
        offset = len(reply.text)
        reply.text += text
        if not self.reply_deltas:
            self.out.put_nowait(Piece(pb.ConverseResponse(text_delta=text), reply))
            return
        piece = pb.ReplyDelta(
            reply_id=reply.id, text=text, interruptible=True, offset=offset, last=False
        )
        self.out.put_nowait(Piece(pb.ConverseResponse(reply_delta=piece), reply))

    def _queue_text(self, reply: Reply, offset: int = 0) -> None:
        """`reply`'s text from `offset` on; with reply deltas, its last piece says so (empty
        when every sentence went out while the brain was writing)."""
        put = self.out.put_nowait
        rest = reply.text[offset:]
        if not self.reply_deltas:
            for delta in rules.deltas(rest):
                put(Piece(pb.ConverseResponse(text_delta=delta), reply))
            return
        pieces = sentences(rest) or [""]
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
