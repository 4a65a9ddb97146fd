"""Times read back to a shopper: in the store's time zone, as "today", "tomorrow" or
"Sunday, November 29" (or "Sunday 29 November" where the agent's region puts the day
first; "el domingo 29 de noviembre" in Spanish). Names from the language pack, whatever
the process's locale (strftime's %A and %B follow it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .packs import pack
from .wording import ENGLISH


def zone_of(name: str | None) -> tzinfo:
    """The store's IANA zone; UTC when it has none or one this machine does not know."""
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


@dataclass(frozen=True)
class Dates:
    """How times are read back: in the store's zone, against now, and with the day before
    the month where the agent's region writes it so."""

    zone: tzinfo
    now: datetime
    day_first: bool = False
    language: str = ENGLISH

    def _near(self, when: datetime) -> str | None:
        """ "today", "tomorrow" or "yesterday" (or the Spanish), else None."""
        days = (when.astimezone(self.zone).date() - self.now.astimezone(self.zone).date()).days
        return pack(self.language).near_days.get(days)

    def day(self, when: datetime) -> str:
        """ "today", "tomorrow", "yesterday", or "Sunday, November 29" ("Sunday 29
        November" day first; "domingo 29 de noviembre" in Spanish)."""
        near = self._near(when)
        if near is not None:
            return near
        local = when.astimezone(self.zone).date()
        words = pack(self.language)
        template = words.lines["date.day_first" if self.day_first else "date.month_first"]
        return template.format(
            weekday=words.weekdays[local.weekday()],
            day=local.day,
            month=words.months[local.month - 1],
        )

    def before_today(self, when: datetime) -> bool:
        """Whether `when` fell on an earlier day than today, in the store's zone: a parcel
        expected this morning is still "expected today", not "was expected"."""
        return when.astimezone(self.zone).date() < self.now.astimezone(self.zone).date()

    def on(self, when: datetime) -> str:
        """ "today", or "on Sunday, November 29" ("el domingo 29 de noviembre")."""
        said = self.day(when)
        if self._near(when) is not None:
            return said
        return pack(self.language).lines["date.on"].format(said=said)
