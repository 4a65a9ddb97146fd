"""Converse: a whole conversation over one bidi stream (a phone or browser call).

The first request carries the config; the core starts (or resumes) the session, answers
`session`, then the agent's greeting. Each final input (typed text, recognised speech, a
keyed entry) is a turn through the same service path as StreamMessage: the caller's words
are stored first and their event goes out at once; a brain that writes as it goes (an LLM)
has its sentences spoken meanwhile (interruptible, never `last`: whether the turn ends the
call is not known yet); once the turn is stored come its other events, the rest of the
reply, its `agent_message`, `handoff` and `transfer` when it handed off, then `turn_end`,
and `hang_up` when the conversation is over. A person's reply into the session's handoff
(on any replica) arrives live the same way, after `person_joined`.

The core applies the agent's callControl itself (core/domain/call_control.py): silence
reported by the channel (`no_input`) brings the idle reminder, then the agent's action on
no response; the maximum call length, by the core's clock, ends the call with a goodbye. A
final speech result heard below FLOWYTE_SPEECH_MIN_CONFIDENCE makes the agent ask for it
again instead of acting on it; a turn waiting on a slow store lookup gets an
`acknowledgement` to say meanwhile (see `_acknowledge_when_slow`).

Four things run at once: a reader takes requests off the stream, a worker runs the turns
(and the core's own lines) one after another, a follower waits on the live-event bus for
people's replies, and a timer watches the clock. Their output meets in one queue that this
generator drains. An `interrupt` (barge-in) drops the remaining deltas of every reply
queued before it, the moment it is read; one naming its reply records what of it was
heard (`reply_interrupted`), one naming none a `barge_in` with what was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import flowyte.v1.conversation_service_pb2 as pb
from core.conversations import Conversations, Turn
from core.conversations.lookup_watch import LookupWatch, watching
from core.conversations.session_view import AnySession
from core.conversations.streaming import Delta, Finished
from core.conversations.streaming import Said as Stored
from core.domain import call_inputs, validation
from core.domain.call_control import CallControl, OnSilence
from core.domain.errors import (
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    PermissionDenied,
)
from core.domain.scopes import CALLER_ID_SCOPE
from core.store.tables import SessionRow
from core.store.transcripts import Event

from .conversation_shapes import channel_of, event_proto, session_proto
from .converse_inputs import Cut, Input, Said, Silence, TransferOutcome, parse
from .converse_replies import Out, Piece, Replies, Reply

# How often a stream re-reads its transcript even without a notification: the bus is the
# fast path, this bounds what a lost notification could cost.
RESYNC_SECONDS = 5.0
# How often a call with a maximum length looks at the core's clock. The clock is a port (a
# test moves it), so the timer polls it rather than sleeping until a deadline.
CLOCK_POLL_SECONDS = 1.0
_FOLLOW_PAGE = 200
_ENDING: set[asyncio.Future[SessionRow]] = set()  # end_call tasks outliving their stream
_TIME_UP = "time_up"  # the timer's wake-up for the worker


@dataclass
class _Call:
    org_id: str
    session: AnySession
    control: CallControl
    started: datetime  # by the core's clock
    replies: Replies
    out: Out
    ack_text: str
    work: asyncio.Queue[tuple[int, Input] | str | None] = field(default_factory=asyncio.Queue)
    received: int = 0  # requests read so far (the config is position 0)
    cut_before: int = -1  # replies at positions below this lose their remaining deltas
    # The positions of the caller's last words (or keys, or barge-in) and of the silence
    # that last brought the idle reminder: reminded since they spoke when the second is later.
    spoke_at: int = 0
    reminded_at: int = -1
    joined: set[str] = field(default_factory=set)  # handoffs a person has joined
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
    yield pb.ConverseResponse(session=session_proto(row))
    greeting = await conversations.calls.start_call(org_id, row.id)
    snapshot = await conversations.sessions.snapshot(greeting.session)
    out: Out = asyncio.Queue()
    call = _Call(
        org_id,
        greeting.session,
        CallControl.of(snapshot),
        conversations.runtime.clock.now(),
        Replies(out, first.config.reply_deltas),
        out,
        await conversations.call_lines.line(org_id, row.id, "call.one_moment"),
    )
    call.replies.queue_turn(greeting, 0, interruptible=False)

    tasks = [
        asyncio.create_task(_read(call, requests)),
        asyncio.create_task(_work(conversations, call)),
        asyncio.create_task(_follow(conversations, call, greeting.session.last_seq)),
        asyncio.create_task(_watch_clock(conversations, call)),
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
                piece.reply.delivered += len(piece.spoken)
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
    called = (
        validation.phone_number(config.called_number, "config.called_number")
        if config.called_number
        else ""
    )
    agent_id = config.agent_id
    if not agent_id:
        if not called:
            raise InvalidArgument(
                "give agent_id (or called_number, or session_id to resume)",
                field="config.agent_id",
            )
        if config.draft_mode:
            # A number's callers reach what the merchant published, never a draft.
            raise InvalidArgument(
                "a called number reaches the published version; give agent_id to run the draft",
                field="config.draft_mode",
            )
        # The agent the organization assigned the number to (NumberService); an unknown
        # number, an unassigned one and another organization's are all NOT_FOUND.
        agent_id = await conversations.numbers.agent_for(org_id, called)
    channel = "voice" if config.channel == 0 else channel_of(config.channel)
    return await conversations.sessions.create(
        org_id,
        agent_id,
        draft_mode=config.draft_mode,
        channel=channel,
        caller_number=caller,
        called_number=called,
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
            item = parse(request, call.replies)
            if not isinstance(item, Silence | TransferOutcome):
                call.spoke_at = position  # the caller spoke (or is speaking: a partial result)
            if item is None:
                continue
            if isinstance(item, Cut):
                call.cut_before = position
            await call.work.put((position, item))
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
            if item == _TIME_UP or _over_time(conversations, call):
                await _time_up(conversations, call)
                break
            assert not isinstance(item, str)
            position, value = item
            if not await _handle(conversations, call, position, value):
                break
    except asyncio.CancelledError:
        raise
    except BaseException as error:  # handed to the stream to raise
        call.out.put_nowait(error)
        return
    call.out.put_nowait(None)


async def _handle(conversations: Conversations, call: _Call, position: int, value: Input) -> bool:
    """One input; False when the call is over."""
    lines = conversations.call_lines
    if isinstance(value, Cut):
        await _interrupted(conversations, call, value)
        return True
    if isinstance(value, Said):
        minimum = conversations.runtime.settings.speech_min_confidence
        if value.text and not call_inputs.heard_clearly(value.confidence, minimum):
            turn = await lines.say_again(call.org_id, call.session.id, value.confidence)
            return _spoken(call, turn, position, interruptible=True)
        turn, live, sent = await _turn(conversations, call, position, value)
        ends = turn.session.status == "ended"
        call.session = turn.session
        call.replies.queue_turn(
            turn,
            position,
            interruptible=not ends and turn.transfer is None,
            live=live,
            sent=sent,
        )
        return not ends or _hang_up(call, "conversation_over")
    if isinstance(value, Silence):
        action = call.control.on_silence(value.ms, call.reminded_at > call.spoke_at)
        if action is OnSilence.NOTHING:
            return True
        turn = await lines.silence(call.org_id, call.session.id, value.ms, action)
        if action is OnSilence.REMIND:
            call.reminded_at = position
            return _spoken(call, turn, position, interruptible=True)
        _spoken(call, turn, position, interruptible=False)
        # Handed to a person (and transferred where the agent's rules say), or goodbye.
        return turn.handoff is not None or _hang_up(call, "no_response")
    turn = await lines.transfer_result(
        call.org_id, call.session.id, value.outcome, value.destination, value.sip_status
    )
    _spoken(call, turn, position, interruptible=True)
    return value.outcome != "answered" or _hang_up(call, "transferred")


def _spoken(call: _Call, turn: Turn, position: int, *, interruptible: bool) -> bool:
    call.session = turn.session
    call.replies.queue_turn(turn, position, interruptible=interruptible)
    return True


def _hang_up(call: _Call, reason: str) -> bool:
    call.hang_up = reason
    call.out.put_nowait(Piece(pb.ConverseResponse(hang_up=pb.HangUp(reason=reason))))
    return False


async def _turn(
    conversations: Conversations, call: _Call, position: int, said: Said
) -> tuple[Turn, Reply | None, frozenset[int]]:
    """The caller's turn: their words' event at once, the reply's sentences as the brain
    writes them (an LLM brain's; the built-in one's reply comes whole once stored), and an
    acknowledgement meanwhile if the store is slow. Returns the turn, the reply begun while
    the brain was writing, and the seqs of the events already sent."""
    watch = LookupWatch()
    acker = asyncio.create_task(_acknowledge_when_slow(conversations, call, watch, position))
    live: Reply | None = None
    sent: set[int] = set()
    try:
        with watching(watch):
            # The stream was opened (or resumed) with a caller number only by the voice
            # frontend's key (_open), so its turns may use it.
            pieces = conversations.turns.stream(
                call.org_id,
                call.session.id,
                said.text,
                dtmf=said.dtmf,
                vouches_for_callers=True,
            )
            async with contextlib.aclosing(pieces):
                async for piece in pieces:
                    if isinstance(piece, Finished):
                        turn = piece.turn
                        break
                    if isinstance(piece, Delta) and piece.live:
                        if live is None:
                            live = call.replies.new("", position, interruptible=True)
                        call.replies.queue_live(live, piece.text)
                    elif isinstance(piece, Stored) and live is None and not sent:
                        # The words, stored before the brain starts; the rest of a stored
                        # turn goes out whole with its end (Replies.queue_turn).
                        sent.add(piece.event.seq)
                        call.out.put_nowait(
                            Piece(pb.ConverseResponse(event=event_proto(piece.event)))
                        )
    finally:
        acker.cancel()
        await asyncio.gather(acker, return_exceptions=True)
    acked = None if acker.cancelled() else acker.result()
    if acked is not None:
        await conversations.call_lines.acknowledged(
            call.org_id, call.session.id, acked.id, acked.text
        )
    return turn, live, frozenset(sent)


async def _acknowledge_when_slow(
    conversations: Conversations, call: _Call, watch: LookupWatch, position: int
) -> Reply | None:
    """Says "one moment" once a store lookup of the turn has taken the core's
    `slow_lookup_ack_ms`, or as soon as one starts when this store's recent lookups
    (the pacer's median) take that long anyway. Once per turn; never when it is 0."""
    delay = conversations.runtime.settings.slow_lookup_ack_ms / 1000
    if delay <= 0:
        return None
    pacer = conversations.thinker.pacer(call.org_id)
    while True:
        await watch.busy.wait()
        if pacer.typical() < delay:
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow the cancel that
            # ends this task when the lookup finishes at the same moment, leaving it waiting.
            try:
                async with asyncio.timeout(delay):
                    await watch.idle.wait()
                continue  # answered in time; a later lookup of the turn may still be slow
            except TimeoutError:
                pass
        return call.replies.queue_acknowledgement(call.ack_text, position)


async def _interrupted(conversations: Conversations, call: _Call, cut: Cut) -> None:
    if cut.reply is not None:
        await conversations.call_lines.interrupted(
            call.org_id, call.session.id, cut.reply.id, cut.reply.text, cut.played
        )
        return
    reply = call.replies.last
    payload: dict[str, Any] = {}
    if reply is not None:
        payload = {"deliveredChars": reply.delivered, "replyChars": len(reply.text)}
    await conversations.calls.record(call.org_id, call.session.id, "barge_in", payload)


def _over_time(conversations: Conversations, call: _Call) -> bool:
    return call.control.over_time(call.started, conversations.runtime.clock.now())


async def _time_up(conversations: Conversations, call: _Call) -> None:
    seconds = call.control.max_duration_seconds
    try:
        turn = await conversations.call_lines.time_up(call.org_id, call.session.id, seconds)
    except FailedPrecondition:
        pass  # the session was ended elsewhere (EndSession): nothing left to say
    else:
        _spoken(call, turn, call.received, interruptible=False)
    _hang_up(call, "max_duration")


async def _watch_clock(conversations: Conversations, call: _Call) -> None:
    """Wakes the worker when the call reaches the agent's maximum length."""
    clock = conversations.runtime.clock
    while (left := call.control.seconds_left(call.started, clock.now())) is not None:
        if left <= 0:
            await call.work.put(_TIME_UP)
            return
        await asyncio.sleep(min(left, CLOCK_POLL_SECONDS))


async def _follow(conversations: Conversations, call: _Call, after: int) -> None:
    """People's replies into this session (through its handoff, on any replica), spoken
    as they are committed; and word that a person claimed the handoff in the inbox (a
    person who replies without claiming it first is heard without that word)."""
    with conversations.runtime.live.watch(call.session.id) as watcher:
        while True:
            await watcher.wait(RESYNC_SECONDS)
            while True:
                rows, more = await conversations.transcripts.events(
                    call.org_id, call.session.id, after, _FOLLOW_PAGE
                )
                for event in rows:
                    after = event.seq
                    if event.event_type == "handoff" and event.payload.get("action") == "claimed":
                        _joined(call, event)
                    if event.event_type == "agent_message" and event.payload.get("from") == "human":
                        session = await conversations.sessions.get(call.org_id, call.session.id)
                        call.replies.queue_human(event, session_proto(session), call.received)
                if more is None:
                    break


def _joined(call: _Call, event: Event) -> None:
    handoff_id = str(event.payload.get("handoffId", ""))
    if not handoff_id or handoff_id in call.joined:
        return
    call.joined.add(handoff_id)
    joined = pb.PersonJoined(handoff_id=handoff_id, claimed_by=str(event.payload.get("by", "")))
    call.out.put_nowait(Piece(pb.ConverseResponse(person_joined=joined)))
