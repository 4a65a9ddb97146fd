"""How a call's outcome, times and transfer are read off its session's events, for the
endings the core writes (call_ended reasons) and the transfer results a frontend reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from core.domain.calls import Outcome, call_id, summarise

START = 1_800_000_000_000


@dataclass(frozen=True)
class E:
    event_type: str
    ts_ms: int
    payload: dict[str, Any] = field(default_factory=dict)


def _call(*middle: E, reason: str | None = None, end_ms: int = START + 30_000) -> list[E]:
    events = [E("call_started", START), E("agent_message", START), *middle]
    if reason is not None:
        events.append(E("call_ended", end_ms, {"reason": reason}))
    return events


ASKED = E("user_utterance", START + 5_000)
ANSWERED = E("agent_message", START + 6_000)


@pytest.mark.parametrize(
    ("middle", "reason", "outcome"),
    [
        ((ASKED, ANSWERED), "conversation_over", Outcome.COMPLETED),
        ((ASKED, ANSWERED), "max_duration", Outcome.COMPLETED),
        ((ASKED, ANSWERED), "caller_hung_up", Outcome.COMPLETED),
        # hung up on the greeting, or before the answer to what they said
        ((), "caller_hung_up", Outcome.ABANDONED),
        ((ASKED,), "caller_hung_up", Outcome.ABANDONED),
        ((ASKED, ANSWERED), "no_response", Outcome.ABANDONED),
        ((ASKED, ANSWERED), "error", Outcome.FAILED),
        ((ASKED, ANSWERED), "transferred", Outcome.TRANSFERRED),
    ],
)
def test_outcome_follows_how_the_call_ended(
    middle: tuple[E, ...], reason: str, outcome: Outcome
) -> None:
    summary = summarise(_call(*middle, reason=reason), START - 10, START + 30_001)
    assert summary.outcome is outcome
    assert summary.start_ms == START and summary.duration_ms == 30_000


def test_a_transfer_a_person_answered_names_its_destination() -> None:
    events = _call(
        ASKED,
        E("handoff", START + 6_000, {"reason": "requested"}),
        E("transfer_result", START + 9_000, {"outcome": "no_answer", "destination": "+1555"}),
        E(
            "transfer_result",
            START + 20_000,
            {"outcome": "answered", "destination": "+15035550199"},
        ),
        reason="transferred",
    )
    summary = summarise(events, START, START + 30_000)
    assert summary.outcome is Outcome.TRANSFERRED
    assert summary.transfer_destination == "+15035550199"


def test_an_answered_transfer_that_names_no_destination_went_where_it_was_tried() -> None:
    events = _call(
        ASKED,
        E("transfer_result", START + 9_000, {"outcome": "no_answer", "destination": "+1555"}),
        E("transfer_result", START + 20_000, {"outcome": "answered"}),
        reason="transferred",
    )
    assert summarise(events, START, START + 30_000).transfer_destination == "+1555"


def test_a_transfer_nobody_answered_is_no_transfer() -> None:
    events = _call(
        ASKED,
        ANSWERED,
        E("transfer_result", START + 9_000, {"outcome": "failed", "destination": "+1555"}),
        reason="caller_hung_up",
    )
    summary = summarise(events, START, START + 30_000)
    assert summary.outcome is Outcome.COMPLETED and summary.transfer_destination == ""


def test_a_call_still_going_has_no_duration_or_outcome() -> None:
    summary = summarise(_call(ASKED, ANSWERED), START, None)
    assert summary.outcome is Outcome.RUNNING and summary.duration_ms is None


def test_without_call_events_the_sessions_own_times_count() -> None:
    summary = summarise([ASKED, ANSWERED], START - 2_000, START + 8_000)
    assert summary.start_ms == START - 2_000 and summary.duration_ms == 10_000
    assert summary.outcome is Outcome.COMPLETED


def test_a_resumed_call_counts_from_its_first_start_to_its_last_end() -> None:
    events = [
        *_call(ASKED, ANSWERED, reason="caller_hung_up", end_ms=START + 10_000),
        E("call_started", START + 60_000),
        E("call_ended", START + 75_000, {"reason": "conversation_over"}),
    ]
    summary = summarise(events, START, START + 75_000)
    assert summary.duration_ms == 75_000 and summary.outcome is Outcome.COMPLETED


def test_a_calls_id_is_its_sessions() -> None:
    assert call_id("ses_01abc") == "cal_01abc"
