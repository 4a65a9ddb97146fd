"""The turn runner: a customer's turn through the brain, written with everything it produced
in ONE transaction before anything is acknowledged; idempotency keys replay a turn once made.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from core.domain import conversations as rules
from core.domain import validation
from core.domain.errors import Conflict, FailedPrecondition, PermissionDenied
from core.domain.scopes import CALLER_ID_SCOPE
from core.engine import replies
from core.engine.policy import AgentPolicy
from core.engine.turn import TurnResult
from core.store import transcripts
from core.store.claims import Claim, lease_end
from core.store.repository import owned
from core.store.tables import HandoffRow, SessionRow, TurnKeyRow
from core.store.transcripts import NewEvent

from .records import Turn, opened_handoff
from .sessions import Sessions
from .thinking import Thinker


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
        """`idempotency_key` is in the namespace of `api_key_id`, the key that sent it.
        `vouches_for_callers`: the sender's key is the voice frontend's (calls:caller_id),
        the only one that may speak into a call whose caller number verifies the caller."""
        # On a call a turn may be keys alone; otherwise it says something.
        text = rules.content(text) if text or not dtmf else text
        dtmf = rules.dtmf_digits(dtmf) if dtmf else ""
        async with self.sessions.lock(session_id):
            if not idempotency_key:
                return await self._turn(org_id, session_id, text, dtmf, None, vouches_for_callers)
            claim, replay = await self._claim_key(
                org_id, session_id, api_key_id, idempotency_key, text + "\0" + dtmf
            )
            if replay is not None:
                return replay
            async with claim.held(self.runtime.sessions, self.runtime.now_ms):
                return await self._turn(org_id, session_id, text, dtmf, claim, vouches_for_callers)

    async def _claim_key(
        self, org_id: str, session_id: str, api_key_id: str, key: str, request: str
    ) -> tuple[Claim, Turn | None]:
        """Claims a turn's idempotency key (or takes over a claim whose turn died with its
        process), or returns the turn it already made."""
        validation.idempotency_key(key)
        claim = Claim(
            TurnKeyRow,
            (
                TurnKeyRow.session_id == session_id,
                TurnKeyRow.api_key_id == api_key_id,
                TurnKeyRow.key == key,
            ),
            TurnKeyRow.first_seq.is_(None),
        )
        digest = hashlib.sha256(request.encode()).hexdigest()
        async with self.runtime.sessions() as session:
            await owned(session, SessionRow, org_id, session_id, "session")
            now = self.runtime.now_ms()
            session.add(
                TurnKeyRow(
                    session_id=session_id,
                    api_key_id=api_key_id,
                    key=key,
                    request_hash=digest,
                    created_ms=now,
                    lease_expires_ms=lease_end(now),
                )
            )
            try:
                await session.commit()
                return claim, None
            except IntegrityError:
                await session.rollback()
            existing = await session.get(TurnKeyRow, (session_id, api_key_id, key))
            if existing is None:
                raise Conflict(
                    "the first request with this idempotency key just failed; retry",
                    "IDEMPOTENCY_KEY_IN_USE",
                )
            if existing.request_hash != digest:
                raise Conflict(
                    "this idempotency key was used with a different request",
                    "IDEMPOTENCY_KEY_REUSED",
                )
            if existing.first_seq is None or existing.last_seq is None:
                if await claim.take_over(
                    self.runtime.sessions, existing.lease_expires_ms, self.runtime.now_ms()
                ):
                    return claim, None
                raise Conflict(
                    "a request with this idempotency key is still running",
                    "IDEMPOTENCY_KEY_IN_USE",
                )
            events = await transcripts.events_between(
                session, session_id, existing.first_seq, existing.last_seq
            )
            row = await owned(session, SessionRow, org_id, session_id, "session")
        answers = [e for e in events if e.event_type == "agent_message"]
        reply = str(answers[-1].payload.get("text", "")) if answers else ""
        return claim, Turn(reply, events, row, replayed=True)

    async def _turn(
        self,
        org_id: str,
        session_id: str,
        text: str,
        dtmf: str,
        turn_key: Claim | None,
        vouches_for_callers: bool,
    ) -> Turn:
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

        if row.status == "handed_off":
            # A person has the conversation: the customer's words go to them, not the brain.
            said = replies.passed_on(AgentPolicy.of(snapshot).wording)
            result = TurnResult(reply=said, events=[], state=dict(row.state))
        else:
            result = await self.thinker.think_on(row, snapshot, text, dtmf)

        utterance: dict[str, Any] = {"text": text}
        if dtmf:
            utterance["dtmf"] = dtmf
        events = [NewEvent("user_utterance", utterance)]
        events += [NewEvent(e.event_type, dict(e.payload)) for e in result.events]
        changes: dict[str, Any] = {"state": rules.json_safe(result.state)}
        handoff: HandoffRow | None = None
        if result.handoff is not None and row.status == "active":
            handoff = opened_handoff(row, result.handoff, events, self.runtime.now_ms())
            changes.update(status="handed_off", handoff_id=handoff.id)
        elif result.end_conversation and row.status == "active":
            changes.update(status="ended", ended_ms=self.runtime.now_ms())
        events.append(NewEvent("agent_message", {"text": result.reply, "from": "agent"}))
        events = [
            NewEvent(e.event_type, self.sessions.stored_payload(snapshot, e.payload))
            for e in events
        ]

        rows = None
        if handoff is None and turn_key is None:
            rows = await self.sessions.append_turn_alone(row, events, changes)
        if rows is None:  # it writes more than the turn, or the database has no direct path
            async with self.runtime.sessions() as session:
                rows = await self.sessions.append_turn(session, row, events, changes)
                if handoff is not None:
                    session.add(handoff)
                if turn_key is not None:
                    # In the turn's own transaction: a crash leaves the turn and its key
                    # written together, or neither.
                    await session.execute(
                        update(TurnKeyRow)
                        .where(*turn_key.row, turn_key.unfinished)
                        .values(first_seq=rows[0].seq, last_seq=rows[-1].seq)
                    )
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
        return Turn(result.reply, rows, row, handoff=handoff, transfer=transfer)
