"""An agent's opening hours: whether a person can take a conversation now, and when next.

The agent answers order questions at any hour; the hours decide what a handoff means. Open,
a call can be transferred and the team replies soon. Closed, nobody is there: no transfer,
and the customer hears when the team is back (or the merchant's own after-hours words).

Hours come from the agent's `business_hours` ({time_zone, intervals: [{day, open, close}]},
validated in agents.py). An interval whose close is not after its open runs past midnight
into the next day. No intervals means no hours: always open.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEK = 7 * 24 * 60

# What the agent does with a handoff outside the hours (the agent's `after_hours.action`):
# answer (the default) and handoff_queue both leave it in the team's queue for the morning;
# take_message says so as taking a message.
TAKE_MESSAGE = "take_message"


@dataclass(frozen=True)
class OpeningHours:
    zone: tzinfo
    # Minutes from Monday 00:00 local time: [start, end) spans, end may pass the week's end.
    spans: tuple[tuple[int, int], ...]

    @classmethod
    def from_settings(cls, hours: Mapping[str, Any], fallback: tzinfo) -> OpeningHours | None:
        """The hours in an agent's settings, or None when it sets none; `fallback` is the
        zone when they name none."""
        spans = []
        for interval in hours.get("intervals") or []:
            day = DAYS.index(str(interval.get("day")))
            opens, closes = _minutes(interval.get("open")), _minutes(interval.get("close"))
            if opens is None or closes is None:
                continue
            start = day * 24 * 60 + opens
            length = (closes - opens) % (24 * 60) or 24 * 60
            spans.append((start, start + length))
        if not spans:
            return None
        zone = fallback
        if hours.get("time_zone"):
            # Saving an agent checks its zone; one this machine's tz data lacks falls back.
            with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
                zone = ZoneInfo(str(hours["time_zone"]))
        return cls(zone, tuple(sorted(spans)))

    def is_open(self, now: datetime) -> bool:
        minute = _week_minute(now.astimezone(self.zone))
        return any(start <= m < end for start, end in self.spans for m in (minute, minute + _WEEK))

    def next_opening(self, now: datetime) -> datetime:
        """When the team is next in, from `now` (itself when open)."""
        local = now.astimezone(self.zone)
        minute = _week_minute(local)
        if self.is_open(now):
            return now
        ahead = min((start - minute) % _WEEK for start, _ in self.spans)
        moment = local.replace(second=0, microsecond=0) + timedelta(minutes=ahead)
        # Wall-clock arithmetic across a DST change: re-read the local time in its zone.
        return moment.replace(tzinfo=None).replace(tzinfo=self.zone)


def _minutes(value: object) -> int | None:
    hours, sep, minutes = str(value or "").partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit()):
        return None
    return int(hours) * 60 + int(minutes)


def _week_minute(local: datetime) -> int:
    return local.weekday() * 24 * 60 + local.hour * 60 + local.minute
