"""Times read back to a shopper: in the store's time zone, as "today", "tomorrow" or
"Sunday, November 29" (or "Sunday 29 November" where the agent's region puts the day
first). English names, whatever the process's locale (strftime's %A and %B follow it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_of(name: str | None) -> tzinfo:
    """The store's IANA zone; UTC when it has none or one this machine does not know."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class Dates:
    """How times are read back: in the store's zone, against now, and with the day before
    the month where the agent's region writes it so."""

    zone: tzinfo
    now: datetime
    day_first: bool = False

    def day(self, when: datetime) -> str:
        """ "today", "tomorrow", "yesterday", or "Sunday, November 29" ("Sunday 29
        November" day first)."""
        local = when.astimezone(self.zone).date()
        today = self.now.astimezone(self.zone).date()
        if local == today:
            return "today"
        if local == today + timedelta(days=1):
            return "tomorrow"
        if local == today - timedelta(days=1):
            return "yesterday"
        weekday, month = _WEEKDAYS[local.weekday()], _MONTHS[local.month - 1]
        if self.day_first:
            return f"{weekday} {local.day} {month}"
        return f"{weekday}, {month} {local.day}"

    def before_today(self, when: datetime) -> bool:
        """Whether `when` fell on an earlier day than today, in the store's zone: a parcel
        expected this morning is still "expected today", not "was expected"."""
        return when.astimezone(self.zone).date() < self.now.astimezone(self.zone).date()

    def on(self, when: datetime) -> str:
        said = self.day(when)
        return said if said in ("today", "tomorrow", "yesterday") else f"on {said}"
