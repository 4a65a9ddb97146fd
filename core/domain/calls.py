"""A call as the agent's call list shows it, read off its session's audit events.

A call is a voice session: it is not stored twice. Its id is the session's with the call
prefix (`ses_X` is the call `cal_X`), its start and end are its `call_started` and
`call_ended` events (the session's own times where those are missing), and how it ended
follows from the `call_ended` reasons the core writes (core/api/converse.py) and the
`transfer_result` the voice frontend reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

CALL_PREFIX = "cal_"
SESSION_PREFIX = "ses_"

# call_ended reasons, by what they say about the call.
_AGENT_ENDED = {"conversation_over", "max_duration"}  # the agent said goodbye
_CALLER_GONE = {"no_response"}  # the caller stopped answering
_FAILED = {"error"}


class Outcome(Enum):
    RUNNING = "running"
    COMPLETED = "completed"
    TRANSFERRED = "transferred"
    ABANDONED = "abandoned"
    FAILED = "failed"


class CallEvent(Protocol):
    @property
    def event_type(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...
    @property
    def ts_ms(self) -> int: ...


@dataclass(frozen=True)
class CallSummary:
    start_ms: int
    duration_ms: int | None  # None while it is still going
    outcome: Outcome
    transfer_destination: str


def call_id(session_id: str) -> str:
    return CALL_PREFIX + session_id.removeprefix(SESSION_PREFIX)


def summarise(events: Sequence[CallEvent], created_ms: int, ended_ms: int | None) -> CallSummary:
    """The call whose session was created at `created_ms` (ended at `ended_ms`, None while
    open) and holds `events` in order. A call resumed on the same session counts from its
    first start to its last end."""
    started = [e.ts_ms for e in events if e.event_type == "call_started"]
    ends = [e for e in events if e.event_type == "call_ended"]
    start = started[0] if started else created_ms
    end = ends[-1].ts_ms if ends else ended_ms
    reason = str(ends[-1].payload.get("reason", "")) if ends else ""
    over = end is not None
    transfers = [e for e in events if e.event_type == "transfer_result"]
    answered = [e for e in transfers if e.payload.get("outcome") == "answered"]
    # Where the answered transfer went: as it reported, else where the last try went.
    tried = [str(e.payload["destination"]) for e in transfers if e.payload.get("destination")]
    destination = ""
    if answered:
        destination = str(answered[-1].payload.get("destination") or (tried[-1] if tried else ""))
    if answered or reason == "transferred":
        outcome = Outcome.TRANSFERRED
    elif not over:
        outcome = Outcome.RUNNING
    elif reason in _FAILED:
        outcome = Outcome.FAILED
    elif reason in _AGENT_ENDED:
        outcome = Outcome.COMPLETED
    elif reason in _CALLER_GONE or not _answered_last_words(events):
        outcome = Outcome.ABANDONED
    else:
        outcome = Outcome.COMPLETED
    duration = None if end is None else max(0, end - start)
    return CallSummary(start, duration, outcome, destination)


def _answered_last_words(events: Sequence[CallEvent]) -> bool:
    """Whether the caller said something and the agent answered the last of it: a caller
    who hangs up before saying anything, or before the answer to what they said, left the
    call unfinished."""
    asked = [i for i, e in enumerate(events) if e.event_type == "user_utterance"]
    if not asked:
        return False
    return any(e.event_type == "agent_message" for e in events[asked[-1] + 1 :])
