"""Comparing two frozen versions field by field."""

from __future__ import annotations

from typing import Any

Change = tuple[str, Any, Any, str]  # field, before, after, kind


def flatten(document: Any, prefix: str = "") -> dict[str, Any]:
    """Nested objects become dotted paths; lists of objects are keyed by their `name` when
    they have one (skills), by position otherwise; lists of scalars stay whole values."""
    if isinstance(document, dict):
        flat: dict[str, Any] = {}
        for key, value in document.items():
            flat.update(flatten(value, f"{prefix}.{key}" if prefix else key))
        return flat
    if isinstance(document, list) and any(isinstance(item, dict) for item in document):
        flat = {}
        for index, item in enumerate(document):
            label = item.get("name") if isinstance(item, dict) and item.get("name") else index
            flat.update(
                flatten(
                    item, f"{prefix}.{label}" if isinstance(label, str) else f"{prefix}[{label}]"
                )
            )
        return flat
    return {prefix: document}


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    old, new = flatten(before), flatten(after)
    changes: list[Change] = []
    for field in sorted(old.keys() | new.keys()):
        if field not in old:
            changes.append((field, None, new[field], "added"))
        elif field not in new:
            changes.append((field, old[field], None, "removed"))
        elif old[field] != new[field]:
            changes.append((field, old[field], new[field], "changed"))
    return changes
