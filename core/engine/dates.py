"""Times read back to a shopper: in the store's time zone, as "today", "tomorrow" or
"Sunday, November 29" (or "Sunday 29 November" where the agent's region puts the day
first; "el domingo 29 de noviembre" in Spanish). Names from here, whatever the process's
locale (strftime's %A and %B follow it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .wording import ENGLISH, SPANISH


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
_WEEKDAYS_ES = ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo")
_MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
_NEAR = {
    ENGLISH: {0: "today", 1: "tomorrow", -1: "yesterday"},
    SPANISH: {0: "hoy", 1: "mañana", -1: "ayer"},
}


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
        return _NEAR.get(self.language, _NEAR[ENGLISH]).get(days)

    def day(self, when: datetime) -> str:
        """ "today", "tomorrow", "yesterday", or "Sunday, November 29" ("Sunday 29
        November" day first; "domingo 29 de noviembre" in Spanish)."""
        near = self._near(when)
        if near is not None:
            return near
        local = when.astimezone(self.zone).date()
        if self.language == SPANISH:
            return f"{_WEEKDAYS_ES[local.weekday()]} {local.day} de {_MONTHS_ES[local.month - 1]}"
        weekday, month = _WEEKDAYS[local.weekday()], _MONTHS[local.month - 1]
        if self.day_first:
            return f"{weekday} {local.day} {month}"
        return f"{weekday}, {month} {local.day}"

    def before_today(self, when: datetime) -> bool:
        """Whether `when` fell on an earlier day than today, in the store's zone: a parcel
        expected this morning is still "expected today", not "was expected"."""
        return when.astimezone(self.zone).date() < self.now.astimezone(self.zone).date()

    def on(self, when: datetime) -> str:
        """ "today", or "on Sunday, November 29" ("el domingo 29 de noviembre")."""
        said = self.day(when)
        if self._near(when) is not None:
            return said
        return f"el {said}" if self.language == SPANISH else f"on {said}"
