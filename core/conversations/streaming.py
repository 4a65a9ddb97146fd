"""A turn as a stream sends it, piece by piece, while it happens.

In order: the customer's words as stored (`Said`, committed before the brain starts), the
reply in sentences (`Delta`) as the brain lets them out, then, once the turn is stored, the
rest of the reply, the turn's other events, the reply's own event and the finished turn.
A replayed turn comes in the same order, its reply cut into the same sentences
(core/domain/sentences.py), so a retry of a finished turn sends what the turn sent.

A brain's pieces that the reply it returns does not start with (a model that failed
mid-reply, a sentence a check refused after earlier ones went out) are withdrawn: the
turn stores an `error` event `reply_withdrawn` (a storefront sees it too), a stream sends
it before the reply that replaces them, and that reply opens with an apology for starting
again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from core.domain.sentences import sentences
from core.store.transcripts import Event

from .records import Turn

WITHDRAWN = "reply_withdrawn"  # the `reason` of the error event that withdraws pieces


@dataclass(frozen=True, slots=True)
class Said:
    """A stored event of the turn."""

    event: Event


@dataclass(frozen=True, slots=True)
class Delta:
    """A piece of the reply: a sentence (with the whitespace after it). `live` while the
    brain is still writing (whether the turn hands off or ends is not known yet); otherwise
    the turn is stored and the piece is part of the reply as it stands."""

    text: str
    live: bool = False


@dataclass(frozen=True, slots=True)
class Finished:
    """The turn is stored: the last piece."""

    turn: Turn


TurnPiece = Said | Delta | Finished


class ReplyQueue:
    """The reply sink of a streamed turn (core.engine.turn.ReplySink): what the brain lets
    out, kept in order for the stream to send while the brain goes on."""

    def __init__(self) -> None:
        self._queue: asyncio.Queue[str | None] = asyncio.Queue()
        self._sent: list[str] = []

    def send(self, piece: str) -> None:
        if piece:
            self._sent.append(piece)
            self._queue.put_nowait(piece)

    def close(self, *_: object) -> None:
        """The brain is done (a done-callback of its task)."""
        self._queue.put_nowait(None)

    async def next(self) -> str | None:
        return await self._queue.get()

    @property
    def sent(self) -> str:
        return "".join(self._sent)


def went_out(sent: str, reply: str) -> str:
    """How much of `reply` the pieces `sent` cover: all of them, or, when the reply is
    what was sent less whitespace at its end (a model's answer ending in a line break,
    which the reply is stripped of), the whole reply."""
    if len(sent) > len(reply) and sent.startswith(reply) and sent[len(reply) :].isspace():
        return reply
    return sent


def after_the_words(events: Sequence[Event], reply: str, sent: str = "") -> Iterator[TurnPiece]:
    """A stored turn's pieces after its utterance: of its reply what `sent` (the pieces
    already let out) does not cover; `events` are its stored events after the utterance,
    a withdrawal first when there is one."""
    rest = events
    if rest and _withdraws(rest[0]):
        yield Said(rest[0])
        rest = rest[1:]
        sent = ""
    assert reply.startswith(sent), "what went out is the reply's start, or was withdrawn"
    for piece in sentences(reply[len(sent) :]):
        yield Delta(piece)
    for event in rest:
        if event.event_type != "agent_message":
            yield Said(event)
    for event in rest:
        if event.event_type == "agent_message":
            yield Said(event)


def replayed(turn: Turn) -> Iterator[TurnPiece]:
    """A finished turn sent again, as it was first sent (a withdrawal aside: the replay
    sends the reply that replaced the withdrawn pieces, never those)."""
    words = [e for e in turn.events if e.event_type == "user_utterance"]
    for event in words:
        yield Said(event)
    # In seq order, a withdrawal first: it was the first event written after the words.
    rest = [e for e in turn.events if e.event_type != "user_utterance"]
    yield from after_the_words(rest, turn.reply)
    yield Finished(turn)


def _withdraws(event: Event) -> bool:
    return event.event_type == "error" and event.payload.get("reason") == WITHDRAWN
