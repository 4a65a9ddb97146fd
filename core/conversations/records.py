"""What the conversation parts return and write: turns, completions, new sessions and
handoffs, a turn's append.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from core.domain import conversations as rules
from core.domain.ids import new_id
from core.engine.turn import HandoffRequest, TurnEvent
from core.store import transcripts
from core.store.tables import HandoffRow, SessionRow
from core.store.transcripts import Event, NewEvent

from .session_view import AnySession


@dataclass
class Turn:
    reply: str
    events: Sequence[Event]
    session: AnySession
    replayed: bool = False
    # The handoff this turn opened, if any, and on a call where to transfer it: (E.164 or
    # SIP URI, warm). Not kept for a replayed turn: the first one already acted on them.
    handoff: HandoffRow | None = None
    transfer: tuple[str, bool] | None = None


@dataclass
class Completion:
    reply: str
    prompt_tokens: int
    completion_tokens: int
    created_ms: int
    events: list[TurnEvent] = field(default_factory=list)
    # When the reply handed off: the session that now holds the conversation, and the handoff.
    session_id: str = ""
    handoff_id: str = ""


def trace_id() -> str:
    return secrets.token_hex(16)


def new_session(
    org_id: str,
    agent_id: str,
    version: int,
    channel: str,
    *,
    caller_number: str = "",
    called_number: str = "",
    turns: int = 0,
    conversation_key: str | None = None,
    created_ms: int,
) -> SessionRow:
    """A new active session on `version` of the agent (0: its draft)."""
    return SessionRow(
        id=new_id("session"),
        org_id=org_id,
        agent_id=agent_id,
        agent_version=version,
        draft_mode=version == 0,
        channel=channel,
        status="active",
        state={},
        caller_number=caller_number,
        handoff_id="",
        last_seq=0,
        turns=turns,
        created_ms=created_ms,
        conversation_key=conversation_key,
        called_number=called_number,
    )


def turn_append(
    row: AnySession,
    events: list[NewEvent],
    changes: dict[str, Any],
    at_ms: int,
    *,
    trace: str = "",
    counts_turn: bool = True,
) -> transcripts.Append:
    """A turn's write: its events and the session's new state, counted as a turn (unless
    it is the customer's words, written before the reply), if the session is still as the
    turn read it. The parts of one turn share its `trace`."""
    return transcripts.Append(
        row.id,
        row.channel,
        trace or trace_id(),
        events,
        changes=changes,
        counts_turn=counts_turn,
        expect_turns=row.turns,
        expect_status=row.status,
        at_ms=at_ms,
    )


def opened_handoff(
    row: AnySession, request: HandoffRequest, events: list[NewEvent], created_ms: int
) -> HandoffRow:
    """The handoff a turn of session `row` asked for; the turn's handoff event (added if
    the brain recorded none) names it."""
    handoff = HandoffRow(
        id=new_id("handoff"),
        org_id=row.org_id,
        session_id=row.id,
        agent_id=row.agent_id,
        reason=request.reason,
        status="open",
        order_summary=rules.json_safe(request.order_summary),
        verified_identity=rules.json_safe(request.verified_identity),
        claimed_by="",
        created_ms=created_ms,
    )
    marked = [e for e in events if e.event_type == "handoff"]
    for event in marked:
        event.payload["handoffId"] = handoff.id
    if not marked:
        events.append(NewEvent("handoff", {"handoffId": handoff.id, "reason": handoff.reason}))
    return handoff
