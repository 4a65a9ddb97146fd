"""What the core itself says and records on a call outside a customer's turn: asking a caller
to say it again, the idle reminder and what follows a silence, the goodbye at the call's
maximum length, a transfer's outcome, an acknowledgement while the store is slow, and what
of a reply the caller heard before they cut it.

Each line comes from the agent's language pack (call.* lines) and is written as the
session's audit events, under the session's lock like a turn, with the same redaction.
None of them is a brain turn: the dialogue's state is not touched (a silence that hands
the call to a person changes only the session's status).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.domain import conversations as rules
from core.domain.call_control import NO_RESPONSE, OnSilence
from core.domain.errors import FailedPrecondition
from core.engine.policy import AgentPolicy
from core.engine.state import DialogueState
from core.engine.turn import HandoffRequest
from core.store import transcripts
from core.store.tables import HandoffRow
from core.store.transcripts import Event, NewEvent

from .records import Turn, opened_handoff, trace_id
from .session_view import SessionView
from .sessions import Sessions


@dataclass
class _Said:
    """What one of these writes: events (the line last), session changes, a handoff."""

    events: list[NewEvent]
    reply: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    handoff: HandoffRow | None = None
    transfer: tuple[str, bool] | None = None


_Make = Callable[[SessionView, Mapping[str, Any], AgentPolicy], _Said]


class CallLines:
    def __init__(self, sessions: Sessions):
        self.sessions = sessions
        self.runtime = sessions.runtime

    async def line(self, org_id: str, session_id: str, message: str) -> str:
        """`message` (a pack line id) as the session's agent words it."""
        row = await self.sessions.read(org_id, session_id)
        return _policy(await self.sessions.snapshot(row)).wording.line(message)

    async def say_again(self, org_id: str, session_id: str, confidence: float) -> Turn:
        """A final result heard below the confidence the core acts on: the caller is asked
        to repeat it (what was misheard is not kept: it may not be what they said)."""

        def make(row: SessionView, snapshot: Mapping[str, Any], policy: AgentPolicy) -> _Said:
            text = policy.wording.line("call.say_again")
            said = _agent(text, reason="low_confidence", confidence=round(confidence, 3))
            return _Said([said], text)

        return await self._write(org_id, session_id, make)

    async def silence(
        self, org_id: str, session_id: str, silence_ms: int, action: OnSilence
    ) -> Turn:
        """The caller was silent for `silence_ms` and `action` is what the agent's call
        control says to do (REMIND, HANG_UP or TRANSFER)."""

        def make(row: SessionView, snapshot: Mapping[str, Any], policy: AgentPolicy) -> _Said:
            events = [NewEvent("no_input", {"silenceMs": silence_ms, "action": action.value})]
            w = policy.wording
            if action is OnSilence.REMIND:
                text = w.line("call.idle_reminder")
                return _Said([*events, _agent(text, reason="idle_reminder")], text)
            if action is OnSilence.TRANSFER and row.status == "active":
                return self._hand_off(row, snapshot, policy, events)
            # HANG_UP, or a transfer asked for while a person already has the call.
            text = w.line("call.idle_goodbye")
            return _Said([*events, _agent(text, reason="no_response")], text)

        return await self._write(org_id, session_id, make)

    def _hand_off(
        self,
        row: SessionView,
        snapshot: Mapping[str, Any],
        policy: AgentPolicy,
        events: list[NewEvent],
    ) -> _Said:
        now = self.runtime.clock.now()
        request = _silent_handoff(row.state, policy, now.timestamp(), policy.staffed(now))
        handoff = opened_handoff(row, request, events, self.runtime.now_ms())
        text = policy.wording.line("call.idle_handoff")
        transfer = None
        if row.channel == "voice" and request.live:
            transfer = rules.transfer_for(snapshot, NO_RESPONSE)
        return _Said(
            [*events, _agent(text, reason="no_response")],
            text,
            {"status": "handed_off", "handoff_id": handoff.id},
            handoff,
            transfer,
        )

    async def time_up(self, org_id: str, session_id: str, max_seconds: int) -> Turn:
        """The call reached the agent's maximum length: the goodbye."""

        def make(row: SessionView, snapshot: Mapping[str, Any], policy: AgentPolicy) -> _Said:
            text = policy.wording.line("call.time_up")
            said = _agent(text, reason="max_duration", maxDurationSeconds=max_seconds)
            return _Said([said], text)

        return await self._write(org_id, session_id, make)

    async def transfer_result(
        self, org_id: str, session_id: str, outcome: str, destination: str, sip_status: int
    ) -> Turn:
        """How the transfer of this call's handoff went. Unless a person answered, the
        caller hears so, and the handoff stays open for the team's inbox."""

        def make(row: SessionView, snapshot: Mapping[str, Any], policy: AgentPolicy) -> _Said:
            if row.status != "handed_off" or not row.handoff_id:
                raise FailedPrecondition(
                    "no transfer is pending on this call (it was not handed to a person)",
                    "NO_TRANSFER",
                )
            payload: dict[str, Any] = {"outcome": outcome, "handoffId": row.handoff_id}
            if destination:
                payload["destination"] = destination
            if sip_status:
                payload["sipStatus"] = sip_status
            events = [NewEvent("transfer_result", payload)]
            if outcome == "answered":
                return _Said(events)
            text = policy.wording.line("call.transfer_failed")
            return _Said([*events, _agent(text, reason="transfer_failed")], text)

        return await self._write(org_id, session_id, make)

    async def acknowledged(self, org_id: str, session_id: str, reply_id: str, text: str) -> None:
        """An acknowledgement was said while a turn waited on the store (recorded after that
        turn, as a `filler`: a turn's events are written together)."""

        def make(row: SessionView, snapshot: Mapping[str, Any], policy: AgentPolicy) -> _Said:
            return _Said([NewEvent("filler", {"text": text, "replyId": reply_id})])

        await self._write(org_id, session_id, make, speaks=False)

    async def interrupted(
        self, org_id: str, session_id: str, reply_id: str, text: str, played: int
    ) -> Event:
        """The caller cut reply `reply_id` (its whole `text`) after hearing `played`
        characters of it: what they heard, for the transcript."""

        def make(row: SessionView, snapshot: Mapping[str, Any], policy: AgentPolicy) -> _Said:
            payload = {
                "replyId": reply_id,
                "heardText": text[:played],
                "playedChars": played,
                "replyChars": len(text),
            }
            return _Said([NewEvent("reply_interrupted", payload)])

        turn = await self._write(org_id, session_id, make, speaks=False)
        return turn.events[-1]

    async def _write(
        self, org_id: str, session_id: str, make: _Make, *, speaks: bool = True
    ) -> Turn:
        """`speaks`: the agent says something, which an ended session no longer may (what
        happened before it ended may still be recorded)."""
        async with self.sessions.lock(session_id):
            row = await self.sessions.read(org_id, session_id)
            if speaks and row.status == "ended":
                raise FailedPrecondition("this session has ended", "SESSION_ENDED")
            snapshot = await self.sessions.snapshot(row)
            said = make(row, snapshot, _policy(snapshot))
            events = [
                NewEvent(e.event_type, self.sessions.stored_payload(snapshot, e.payload))
                for e in said.events
            ]
            append = transcripts.Append(
                session_id,
                row.channel,
                trace_id(),
                events,
                changes=said.changes,
                at_ms=self.runtime.now_ms(),
            )
            async with self.runtime.sessions() as session:
                rows = await transcripts.write(session, append)
                if said.handoff is not None:
                    session.add(said.handoff)
                await session.commit()
            row.last_seq = rows[-1].seq
            row.status = said.changes.get("status", row.status)
            row.handoff_id = said.changes.get("handoff_id", row.handoff_id)
            self.sessions.remember(row)
            return Turn(said.reply, rows, row, handoff=said.handoff, transfer=said.transfer)


def _policy(snapshot: Mapping[str, Any]) -> AgentPolicy:
    return AgentPolicy.of(snapshot)


def _agent(text: str, **why: object) -> NewEvent:
    return NewEvent("agent_message", {"text": text, "from": "agent", **why})


def _silent_handoff(
    state: Mapping[str, Any], policy: AgentPolicy, now: float, staffed: bool
) -> HandoffRequest:
    """The handoff of a caller who went silent: with the order in focus when this session
    verified it (and the verification has not expired), as a turn's handoff would carry."""
    dialogue = DialogueState.load(state)
    name = dialogue.order
    record = dialogue.verified.get(name) if name else None
    method = policy.methods.get(record.method) if record else None
    if record is None or method is None or now - record.at > method.ttl_seconds:
        return HandoffRequest(NO_RESPONSE, {}, {}, live=staffed)
    identity = {"order": name, "method": record.method, "factor": record.factor}
    return HandoffRequest(NO_RESPONSE, dict(record.summary), identity, live=staffed)
