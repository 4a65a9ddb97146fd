"""JSON text on the hot paths of a turn in the core: stored events, dialogue state, the store.

A chat turn turns about ten kilobytes of values into JSON text and back: the stored event
payloads, the cached dialogue state, the store's GraphQL request and answer, the REST body.
The standard library's encoder costs several microseconds per small object (more when
built with `default=`); orjson does the same in a tenth of that. Values orjson refuses
(integers wider than 64 bits) go through the standard library instead, so nothing that
used to encode fails now.

The text is compact and keeps non-ASCII characters as UTF-8 rather than `\\uXXXX` escapes:
the same JSON to any parser. NaN and infinities, which JSON has no words for, become null.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import orjson

# Dates and dataclasses go to `default` (as they did with the standard library) instead of
# orjson's own forms, and integer keys become strings as json.dumps makes them.
_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
_OPTIONS |= orjson.OPT_PASSTHROUGH_DATACLASS


def dumps(value: Any, default: Callable[[Any], Any] | None = None) -> str:
    """`value` as JSON text. Raises TypeError for what neither encoder (nor `default`) can
    turn into JSON."""
    return dump_bytes(value, default).decode()


def dump_bytes(value: Any, default: Callable[[Any], Any] | None = None) -> bytes:
    try:
        return orjson.dumps(value, default=default, option=_OPTIONS)
    except orjson.JSONEncodeError:
        # Wider than 64-bit integers, or what `default` could not help with either.
        return json.dumps(value, default=default, separators=(",", ":")).encode()


def loads(text: str | bytes) -> Any:
    """Strict JSON (no NaN, no Infinity): ValueError for anything else."""
    return orjson.loads(text)


def loads_lenient(text: str | bytes) -> Any:
    """As `loads`, and also what the standard library wrote or takes (NaN, Infinity):
    for text stored before, or sent by servers that write it."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def plain(value: Any) -> Any:
    """`value` as plain JSON values: dates and other objects become their `str()`, tuples
    become lists, keys become strings. A deep copy that shares nothing with `value`."""
    try:
        return orjson.loads(orjson.dumps(value, default=str, option=_OPTIONS))
    except orjson.JSONEncodeError:  # a wider than 64-bit integer: keep it exact
        return json.loads(json.dumps(value, default=str))
