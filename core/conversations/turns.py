"""The turn runner: a customer's turn through the brain, streamed while it happens.

A turn commits twice. First the customer's words, before the brain starts: a turn that
dies mid-reply (a crash, a model that hangs up, a client gone) still leaves them in the
transcript. Then, when the brain is done, the reply with the turn's other events and the
session's new state, in ONE transaction, conditional on the session being as the turn read
it. Meanwhile the reply goes out as the brain lets it out (streaming.py); what it has not
let out when it is done goes out once the turn is stored. Idempotency keys replay a turn
once made (turn_keys.py), and finish a turn that died mid-reply without a second copy of
its words.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator
from typing import Any

from core.domain import conversations as rules
from core.domain.errors import FailedPrecondition, PermissionDenied
from core.domain.scopes import CALLER_ID_SCOPE
from core.engine import replies
from core.engine.policy import AgentPolicy
from core.engine.turn import TurnResult
from core.store.tables import HandoffRow
from core.store.transcripts import Event, NewEvent

from . import turn_keys
from .records import Turn, opened_handoff, trace_id
from .session_view import SessionView
from .sessions import Sessions
from .streaming import (
    WITHDRAWN,
    Delta,
    Finished,
    ReplyQueue,
    Said,
    TurnPiece,
    after_the_words,
    replayed,
    went_out,
)
from .thinking import Thinker
from .turn_keys import ClaimedKey


class TurnRunner:
    """Turns of a session, at most once per idempotency key."""

    def __init__(self, sessions: Sessions, thinker: Thinker):
        self.runtime = sessions.runtime
        self.sessions = sessions
        self.thinker = thinker

    async def turn(
        self,
        org_id: str,
        session_id: str,
        text: str,
        *,
        idempotency_key: str = "",
        api_key_id: str = "",
        dtmf: str = "",
        vouches_for_callers: bool,
    ) -> Turn:
        """The turn, once it is stored (`stream` without its pieces)."""
        pieces = self._pieces(
            org_id, session_id, text, idempotency_key, api_key_id, dtmf, vouches_for_callers, None
        )
        async with contextlib.aclosing(pieces):
            async for piece in pieces:
                if isinstance(piece, Finished):
                    return piece.turn
        raise AssertionError("a turn ends with its Finished piece")

    def stream(
        self,
        org_id: str,
        session_id: str,
        text: str,
        *,
        idempotency_key: str = "",
        api_key_id: str = "",
        dtmf: str = "",
        vouches_for_callers: bool,
    ) -> AsyncGenerator[TurnPiece, None]:
        """The turn's pieces as they happen (streaming.py), ending with `Finished`. Close
        it when done (contextlib.aclosing): it holds the session's turn lock meanwhile.

        `idempotency_key` is in the namespace of `api_key_id`, the key that sent it.
        `vouches_for_callers`: the sender's key is the voice frontend's (calls:caller_id),
        the only one that may speak into a call whose caller number verifies the caller."""
        return self._pieces(
            org_id,
            session_id,
            text,
            idempotency_key,
            api_key_id,
            dtmf,
            vouches_for_callers,
            ReplyQueue(),
        )

    async def _pieces(
        self,
        org_id: str,
        session_id: str,
        text: str,
        idempotency_key: str,
        api_key_id: str,
        dtmf: str,
        vouches_for_callers: bool,
        sink: ReplyQueue | None,
    ) -> AsyncGenerator[TurnPiece, None]:
        # On a call a turn may be keys alone; otherwise it says something.
        text = rules.content(text) if text or not dtmf else text
        dtmf = rules.dtmf_digits(dtmf) if dtmf else ""
        async with self.sessions.lock(session_id):
            if not idempotency_key:
                async for piece in self._run(
                    org_id, session_id, text, dtmf, None, vouches_for_callers, sink
                ):
                    yield piece
                return
            key = await turn_keys.claim(
                self.runtime, org_id, session_id, api_key_id, idempotency_key, text + "\0" + dtmf
            )
            if key.replay is not None:
                for piece in replayed(key.replay):
                    yield piece
                return
            async with key.claim.held(self.runtime.sessions, self.runtime.now_ms):
                async for piece in self._run(
                    org_id, session_id, text, dtmf, key, vouches_for_callers, sink
                ):
                    yield piece

    async def _run(
        self,
        org_id: str,
        session_id: str,
        text: str,
        dtmf: str,
        key: ClaimedKey | None,
        vouches_for_callers: bool,
        sink: ReplyQueue | None,
    ) -> AsyncGenerator[TurnPiece, None]:
        row = await self.sessions.read(org_id, session_id)
        if row.caller_number and not vouches_for_callers:
            # With caller_id verification on, a turn of this session verifies by the
            # caller's number: another key speaking into it would be verified as that caller.
            raise PermissionDenied(
                f"only a key with the {CALLER_ID_SCOPE} scope (the voice frontend's) may "
                "send turns into a call that has a caller number",
                "MISSING_SCOPE",
            )
        snapshot = await self.sessions.snapshot(row)
        if row.status == "ended":
            raise FailedPrecondition("this session has ended", "SESSION_ENDED")

        words = key.words if key is not None else None
        if words is None:
            words = await self._store_words(row, snapshot, text, dtmf, key)
        yield Said(words)

        if row.status == "handed_off":
            # A person has the conversation: the customer's words go to them, not the brain.
            said = replies.passed_on(AgentPolicy.of(snapshot).wording)
            result = TurnResult(reply=said, events=[], state=dict(row.state))
        elif sink is None:
            result = await self.thinker.think_on(row, snapshot, text, dtmf)
        else:
            thinking = asyncio.create_task(
                self.thinker.think_on(row, snapshot, text, dtmf, reply_sink=sink)
            )
            thinking.add_done_callback(sink.close)
            try:
                while (sentence := await sink.next()) is not None:
                    yield Delta(sentence, live=True)
                result = await thinking
            finally:
                if not thinking.done():  # the stream was closed or cancelled mid-reply
                    thinking.cancel()
                    with contextlib.suppress(BaseException):
                        await thinking

        sent = went_out(sink.sent, result.reply) if sink is not None else ""
        turn, stored = await self._store_reply(row, snapshot, result, words, sent, key)
        for piece in after_the_words(stored, turn.reply, sent):
            yield piece
        yield Finished(turn)

    async def _store_words(
        self,
        row: SessionView,
        snapshot: dict[str, Any],
        text: str,
        dtmf: str,
        key: ClaimedKey | None,
    ) -> Event:
        """The customer's words, committed before the brain starts (with the key's
        `first_seq`), if the session is still as the turn read it. Not yet a turn: the
        reply's commit counts it, so two racing turns cannot both reply."""
        utterance: dict[str, Any] = {"text": text}
        if dtmf:
            utterance["dtmf"] = dtmf
        events = [NewEvent("user_utterance", self.sessions.stored_payload(snapshot, utterance))]
        trace = trace_id()
        rows = None
        if key is None:
            rows = await self.sessions.append_turn_alone(
                row, events, {}, trace=trace, counts_turn=False
            )
        if rows is None:
            async with self.runtime.sessions() as session:
                rows = await self.sessions.append_turn(
                    session, row, events, {}, trace=trace, counts_turn=False
                )
                if key is not None:
                    await key.started(session, rows[0])
                await session.commit()
        row.last_seq = rows[-1].seq
        self.sessions.remember(row)
        return rows[0]

    async def _store_reply(
        self,
        row: SessionView,
        snapshot: dict[str, Any],
        result: TurnResult,
        words: Event,
        sent: str,
        key: ClaimedKey | None,
    ) -> tuple[Turn, list[Event]]:
        """The reply, the turn's events and the session's new state, in one transaction
        (with the key's `last_seq`). Returns the turn and its events after the words."""
        reply = result.reply
        events: list[NewEvent] = []
        if sent and not reply.startswith(sent):
            # What went out is not how the reply starts: withdrawn, and said so.
            reply = f"{replies.restarted(AgentPolicy.of(snapshot).wording)} {reply}"
            events.append(NewEvent("error", {"reason": WITHDRAWN, "withdrawnText": sent}))
        events += [NewEvent(e.event_type, dict(e.payload)) for e in result.events]
        changes: dict[str, Any] = {"state": rules.json_safe(result.state)}
        handoff: HandoffRow | None = None
        if result.handoff is not None and row.status == "active":
            handoff = opened_handoff(row, result.handoff, events, self.runtime.now_ms())
            changes.update(status="handed_off", handoff_id=handoff.id)
        elif result.end_conversation and row.status == "active":
            changes.update(status="ended", ended_ms=self.runtime.now_ms())
        events.append(NewEvent("agent_message", {"text": reply, "from": "agent"}))
        events = [
            NewEvent(e.event_type, self.sessions.stored_payload(snapshot, e.payload))
            for e in events
        ]

        trace = words.trace_id
        rows = None
        if handoff is None and key is None:
            rows = await self.sessions.append_turn_alone(row, events, changes, trace=trace)
        if rows is None:  # it writes more than the turn, or the database has no direct path
            async with self.runtime.sessions() as session:
                rows = await self.sessions.append_turn(session, row, events, changes, trace=trace)
                if handoff is not None:
                    session.add(handoff)
                if key is not None:
                    await key.finished(session, rows[-1])
                await session.commit()
        row.state = changes["state"]
        row.turns += 1
        row.last_seq = rows[-1].seq
        row.status = changes.get("status", row.status)
        row.handoff_id = changes.get("handoff_id", row.handoff_id)
        row.ended_ms = changes.get("ended_ms", row.ended_ms)
        self.sessions.remember(row)
        transfer = None
        live = result.handoff is not None and result.handoff.live
        if handoff is not None and row.channel == "voice" and live:
            transfer = rules.transfer_for(snapshot, handoff.reason, result.transfer_destination)
        turn = Turn(reply, [words, *rows], row, handoff=handoff, transfer=transfer)
        return turn, list(rows)
