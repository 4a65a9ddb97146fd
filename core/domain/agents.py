"""Rules for an agent's draft settings (a document in the contract's field names)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import validation
from .errors import InvalidArgument

_DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}
_AFTER_HOURS_ACTIONS = {"", "answer", "take_message", "handoff_queue"}
_NO_RESPONSE_ACTIONS = {"", "hang_up", "transfer", "repeat"}


def normalise_settings(settings: dict[str, Any], prefix: str = "agent") -> dict[str, Any]:
    """Checks the draft's settings and returns them normalised (E.164 destinations)."""
    validation.text(settings.get("persona", ""), f"{prefix}.persona", 4000)
    validation.text(settings.get("greeting", ""), f"{prefix}.greeting", 1000)
    validation.language(settings.get("language", ""), f"{prefix}.language")
    handoff = settings.get("handoff_config") or {}
    if handoff.get("transfer_destination"):
        handoff["transfer_destination"] = validation.destination(
            handoff["transfer_destination"], f"{prefix}.handoff_config.transfer_destination"
        )
    for index, rule in enumerate(handoff.get("transfer_rules", [])):
        where = f"{prefix}.handoff_config.transfer_rules[{index}]"
        for required in ("label", "when", "destination"):
            if not str(rule.get(required, "")).strip():
                raise InvalidArgument("is required", field=f"{where}.{required}")
        rule["destination"] = validation.destination(rule["destination"], f"{where}.destination")
    hours = settings.get("business_hours") or {}
    if hours.get("time_zone"):
        try:
            ZoneInfo(str(hours["time_zone"]))
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidArgument(
                "must be an IANA time zone, e.g. America/New_York",
                field=f"{prefix}.business_hours.time_zone",
            ) from None
    for index, interval in enumerate(hours.get("intervals", [])):
        where = f"{prefix}.business_hours.intervals[{index}]"
        if interval.get("day", "") not in _DAYS:
            raise InvalidArgument("must be a lower-case English day name", field=f"{where}.day")
        for edge in ("open", "close"):
            _clock(interval.get(edge, ""), f"{where}.{edge}")
    if (settings.get("after_hours") or {}).get("action", "") not in _AFTER_HOURS_ACTIONS:
        raise InvalidArgument(
            "must be answer, take_message or handoff_queue", field=f"{prefix}.after_hours.action"
        )
    call = settings.get("call_control") or {}
    for number in ("max_duration_seconds", "idle_reminder_seconds"):
        if int(call.get(number, 0)) < 0:
            raise InvalidArgument("must not be negative", field=f"{prefix}.call_control.{number}")
    if call.get("on_no_response_action", "") not in _NO_RESPONSE_ACTIONS:
        raise InvalidArgument(
            "must be hang_up, transfer or repeat",
            field=f"{prefix}.call_control.on_no_response_action",
        )
    brain = settings.get("brain") or {}
    if brain.get("kind") == "BRAIN_KIND_LLM" and not brain.get("model"):
        raise InvalidArgument("is required for the LLM brain", field=f"{prefix}.brain.model")
    return settings


def _clock(value: str, field: str) -> None:
    hours, sep, minutes = value.partition(":")
    if not (
        sep
        and hours.isdigit()
        and minutes.isdigit()
        and int(hours) < 24
        and int(minutes) < 60
        and len(minutes) == 2
    ):
        raise InvalidArgument("must be HH:MM (24-hour)", field=field)
