"""An agent's `callControl` as the core applies it to every call (any voice channel): how
long a call may last, when the agent reminds a silent caller, and what it does when the
caller stays silent after the reminder.

Silence is reported by the caller's channel (Converse `no_input`, in milliseconds since the
caller last spoke or the agent last finished speaking); the core decides. Nothing here
reads a clock: the call's start and "now" come from the core's clock port.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any


class OnSilence(Enum):
    """What the agent does about a silence."""

    NOTHING = "nothing"  # too short, or the agent has no idle reminders
    REMIND = "remind"  # say the idle reminder
    HANG_UP = "hang_up"  # say goodbye and end the call
    TRANSFER = "transfer"  # hand the call to a person (and transfer it where the rules say)


# What `on_no_response_action` names; "" is the default: a caller who stays silent after the
# reminder is gone, and keeping the line open costs the merchant.
_ACTIONS = {"": OnSilence.HANG_UP, "hang_up": OnSilence.HANG_UP, "transfer": OnSilence.TRANSFER}
# "repeat" reminds again at every such silence (the call's maximum length still ends it).
REPEAT = "repeat"

# The handoff reason of a call handed to a person because the caller stayed silent (a
# transfer rule's `when` may name it).
NO_RESPONSE = "no_response"


@dataclass(frozen=True)
class CallControl:
    """0 means "no limit" / "no reminders", as the contract's defaults."""

    max_duration_seconds: int = 0
    idle_reminder_seconds: int = 0
    on_no_response_action: str = ""

    @classmethod
    def of(cls, snapshot: Mapping[str, Any]) -> CallControl:
        """The call control of the agent version a session serves."""
        agent = snapshot.get("agent") or {}
        settings = agent.get("call_control") or {}
        return cls(
            max_duration_seconds=max(0, int(settings.get("max_duration_seconds") or 0)),
            idle_reminder_seconds=max(0, int(settings.get("idle_reminder_seconds") or 0)),
            on_no_response_action=str(settings.get("on_no_response_action") or ""),
        )

    def on_silence(self, silence_ms: int, reminded: bool) -> OnSilence:
        """A silence of `silence_ms`; `reminded`: the agent already reminded the caller
        since they last spoke."""
        if not self.idle_reminder_seconds or silence_ms < self.idle_reminder_seconds * 1000:
            return OnSilence.NOTHING
        if not reminded or self.on_no_response_action == REPEAT:
            return OnSilence.REMIND
        return _ACTIONS.get(self.on_no_response_action, OnSilence.HANG_UP)

    def over_time(self, started: datetime, now: datetime) -> bool:
        """Whether a call that started at `started` has reached its maximum length."""
        if not self.max_duration_seconds:
            return False
        return (now - started).total_seconds() >= self.max_duration_seconds

    def seconds_left(self, started: datetime, now: datetime) -> float | None:
        """Until the maximum length; None without one."""
        if not self.max_duration_seconds:
            return None
        return max(0.0, self.max_duration_seconds - (now - started).total_seconds())
