"""Converse: a whole conversation over one bidi stream (a phone or browser call).

The first request carries the config; the core starts (or resumes) the session, answers
`session`, then the agent's greeting. Each `text` or `dtmf_digits` request is a turn
through the same service path as StreamMessage (the caller's words stored first); its reply
comes as the words' event, text deltas as the brain lets them out, the turn's other events
once stored, then `handoff` and `transfer` when it handed off, then `turn_end`, and
`hang_up` when the conversation is over. A person's reply into the session's handoff (on
any replica) arrives live the same way.

Three things run at once: a reader takes requests off the stream, a worker runs the turns
one after another, and a follower waits on the live-event bus for people's replies. Their
output meets in one queue that this generator drains. An `interrupt` (barge-in) drops the
remaining deltas of every reply queued before it, the moment it is read, and is recorded
as a `barge_in` audit event after the reply it cut.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import flowyte.v1.conversation_service_pb2 as pb
from core.conversations import Conversations, Turn
from core.conversations.session_view import AnySession
from core.conversations.streaming import Finished
from core.domain import conversations as rules
from core.domain import validation
from core.domain.errors import (
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from core.domain.scopes import CALLER_ID_SCOPE
from core.store.tables import SessionRow
from core.store.transcripts import Event

from .conversation_shapes import channel_of, event_proto, session_proto, streamed_piece

# How often a stream re-reads its transcript even without a notification: the bus is the
# fast path, this bounds what a lost notification could cost.
RESYNC_SECONDS = 5.0
_FOLLOW_PAGE = 200
_ENDING: set[asyncio.Future[SessionRow]] = set()  # end_call tasks outliving their stream


@dataclass
class _Reply:
    text: str
    position: int  # requests read when it was queued: an interrupt read later cuts it
    delivered: int = 0  # characters of it sent before any interrupt


@dataclass
class _Piece:
    """One response, and for a text delta the reply it belongs to."""

    response: pb.ConverseResponse
    reply: _Reply | None = None


@dataclass
class _Call:
    org_id: str
    session: AnySession
    out: asyncio.Queue[_Piece | BaseException | None] = field(default_factory=asyncio.Queue)
    work: asyncio.Queue[tuple[int, str, str] | None] = field(default_factory=asyncio.Queue)
    received: int = 0  # requests read so far (the config is position 0)
    cut_before: int = -1  # replies at positions below this lose their remaining deltas
    last_reply: _Reply | None = None
    hang_up: str = ""  # why the call is over, once it is


async def converse(
    conversations: Conversations,
    org_id: str,
    requests: AsyncIterator[pb.ConverseRequest],
    *,
    vouches_for_callers: bool,
) -> AsyncIterator[pb.ConverseResponse]:
    """`vouches_for_callers`: the caller's key is the voice frontend's (it holds
    calls:caller_id), so the caller number it sends may verify the caller."""
    first = await anext(aiter(requests), None)
    if first is None or first.WhichOneof("kind") != "config":
        raise InvalidArgument("the first request must carry the config", field="config")
    row = await _open(conversations, org_id, first.config, vouches_for_callers)
    call = _Call(org_id, row)
    yield pb.ConverseResponse(session=session_proto(row))
    greeting = await conversations.calls.start_call(org_id, row.id)
    call.session = greeting.session
    _queue_turn(call, greeting, 0)

    tasks = [
        asyncio.create_task(_read(call, requests)),
        asyncio.create_task(_work(conversations, call)),
        asyncio.create_task(_follow(conversations, call, greeting.session.last_seq)),
    ]
    reason = "caller_hung_up"
    try:
        while True:
            piece = await call.out.get()
            if piece is None:
                reason = call.hang_up or "caller_hung_up"
                break
            if isinstance(piece, BaseException):
                reason = "error"
                raise piece
            if piece.reply is not None:
                if piece.reply.position < call.cut_before:
                    continue  # barged in on: stop speaking
                piece.reply.delivered += len(piece.response.text_delta)
            yield piece.response
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        # Shielded: a cancelled RPC (the caller's line dropped) still ends the session.
        ending = asyncio.ensure_future(conversations.calls.end_call(org_id, row.id, reason))
        _ENDING.add(ending)
        ending.add_done_callback(_ENDING.discard)
        with contextlib.suppress(Exception, asyncio.CancelledError):
            await asyncio.shield(ending)


async def _open(
    conversations: Conversations, org_id: str, config: pb.ConverseConfig, vouches_for_callers: bool
) -> AnySession:
    # With caller_id verification on, the session's caller number alone discloses that
    # caller's orders: only the voice frontend, which read it off the line, may give one.
    if config.caller_number and not vouches_for_callers:
        raise _caller_number_refused("send caller_number")
    caller = validation.destination(config.caller_number, "config.caller_number")
    if config.session_id:
        row = await conversations.sessions.get(org_id, config.session_id)
        if row.status == "ended":
            raise FailedPrecondition("this session has ended", "SESSION_ENDED")
        if row.caller_number and not vouches_for_callers:
            raise _caller_number_refused("resume a call that has a caller number")
        return row
    if not config.agent_id:
        if config.called_number:
            # Numbers are assigned to agents by NumberService; until then no number has one.
            raise NotFound("an agent assigned to the called number")
        raise InvalidArgument(
            "give agent_id (or called_number, or session_id to resume)", field="config.agent_id"
        )
    channel = "voice" if config.channel == 0 else channel_of(config.channel)
    return await conversations.sessions.create(
        org_id,
        config.agent_id,
        draft_mode=config.draft_mode,
        channel=channel,
        caller_number=caller,
    )


def _caller_number_refused(action: str) -> PermissionDenied:
    return PermissionDenied(
        f"only a key with the {CALLER_ID_SCOPE} scope (the voice frontend's) may {action}",
        "MISSING_SCOPE",
    )


async def _read(call: _Call, requests: AsyncIterator[pb.ConverseRequest]) -> None:
    try:
        async for request in requests:
            call.received += 1
            position = call.received
            kind = request.WhichOneof("kind")
            if kind == "interrupt":
                call.cut_before = position
                await call.work.put((position, "interrupt", ""))
            elif kind == "text":
                await call.work.put((position, "text", request.text))
            elif kind == "dtmf_digits":
                await call.work.put((position, "dtmf", request.dtmf_digits))
            elif kind == "config":
                raise InvalidArgument("only the first request carries the config", field="config")
            else:
                raise InvalidArgument("carry text, dtmf_digits or interrupt", field="kind")
    except asyncio.CancelledError:
        raise
    except DomainError as error:
        call.out.put_nowait(error)
    except Exception:  # the caller's side broke: the call is over
        pass
    finally:
        with contextlib.suppress(asyncio.QueueFull):
            call.work.put_nowait(None)


async def _work(conversations: Conversations, call: _Call) -> None:
    try:
        while (item := await call.work.get()) is not None:
            position, kind, value = item
            if kind == "interrupt":
                await _barge_in(conversations, call)
                continue
            text, dtmf = (value, "") if kind == "text" else ("", value)
            # The stream was opened (or resumed) with a caller number only by the voice
            # frontend's key (_open), so its turns may use it. The reply is spoken as the
            # brain lets it out; the turn's end follows once it is stored.
            reply = call.last_reply = _Reply("", position)
            pieces = conversations.turns.stream(
                call.org_id, call.session.id, text, dtmf=dtmf, vouches_for_callers=True
            )
            async with contextlib.aclosing(pieces):
                async for piece in pieces:
                    if isinstance(piece, Finished):
                        turn = piece.turn
                        reply.text = turn.reply
                        break
                    response = pb.ConverseResponse(**streamed_piece(piece))
                    call.out.put_nowait(_Piece(response, reply if response.text_delta else None))
            call.session = turn.session
            _queue_turn(call, turn, position, reply)
            if turn.session.status == "ended":
                call.hang_up = "conversation_over"
                call.out.put_nowait(
                    _Piece(pb.ConverseResponse(hang_up=pb.HangUp(reason="conversation_over")))
                )
                break
    except asyncio.CancelledError:
        raise
    except BaseException as error:  # handed to the stream to raise
        call.out.put_nowait(error)
        return
    call.out.put_nowait(None)


async def _barge_in(conversations: Conversations, call: _Call) -> None:
    reply = call.last_reply
    payload: dict[str, Any] = {}
    if reply is not None:
        payload = {"deliveredChars": reply.delivered, "replyChars": len(reply.text)}
    await conversations.calls.record(call.org_id, call.session.id, "barge_in", payload)


def _queue_turn(call: _Call, turn: Turn, position: int, streamed: _Reply | None = None) -> None:
    """A turn's responses, all at once (so nothing else interleaves with them); after a
    `streamed` turn, whose events and deltas went out as it happened, only its end."""
    reply = call.last_reply = streamed or _Reply(turn.reply, position)
    put = call.out.put_nowait
    replies = [e for e in turn.events if e.event_type == "agent_message"]
    for event in [] if streamed else turn.events:
        if event.event_type != "agent_message":
            put(_Piece(pb.ConverseResponse(event=event_proto(event))))
    for delta in [] if streamed else rules.deltas(turn.reply):
        put(_Piece(pb.ConverseResponse(text_delta=delta), reply))
    for event in [] if streamed else replies:
        put(_Piece(pb.ConverseResponse(event=event_proto(event))))
    if not replies:
        return  # a resumed call's start: nothing was said
    if turn.handoff is not None:
        notice = pb.HandoffNotice(handoff_id=turn.handoff.id, reason=turn.handoff.reason)
        put(_Piece(pb.ConverseResponse(handoff=notice)))
        if turn.transfer is not None:
            destination, warm = turn.transfer
            put(
                _Piece(
                    pb.ConverseResponse(transfer=pb.Transfer(destination=destination, warm=warm))
                )
            )
    end = pb.TurnEnd(text=turn.reply, session=session_proto(turn.session))
    put(_Piece(pb.ConverseResponse(turn_end=end)))


async def _follow(conversations: Conversations, call: _Call, after: int) -> None:
    """People's replies into this session (through its handoff, on any replica), spoken
    as they are committed."""
    with conversations.runtime.live.watch(call.session.id) as watcher:
        while True:
            await watcher.wait(RESYNC_SECONDS)
            while True:
                rows, more = await conversations.transcripts.events(
                    call.org_id, call.session.id, after, _FOLLOW_PAGE
                )
                for event in rows:
                    after = event.seq
                    if event.event_type == "agent_message" and event.payload.get("from") == "human":
                        await _queue_human(conversations, call, event)
                if more is None:
                    break


async def _queue_human(conversations: Conversations, call: _Call, event: Event) -> None:
    session = await conversations.sessions.get(call.org_id, call.session.id)
    text = str(event.payload.get("text", ""))
    reply = call.last_reply = _Reply(text, call.received)
    put = call.out.put_nowait
    put(_Piece(pb.ConverseResponse(event=event_proto(event))))
    for delta in rules.deltas(text):
        put(_Piece(pb.ConverseResponse(text_delta=delta), reply))
    put(_Piece(pb.ConverseResponse(turn_end=pb.TurnEnd(text=text, session=session_proto(session)))))
