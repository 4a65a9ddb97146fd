"""argparse types shared by the `flowyte` commands: a bad value is a one-line usage error."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Mapping


def _number(text: str, kind: type[int] | type[float], what: str) -> float:
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not {what}: {text!r}") from None


def port(text: str) -> int:
    value = int(_number(text, int, "a port number"))
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range 0-65535: {value}")
    return value


def rate(text: str) -> float:
    value = _number(text, float, "a number")
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"a rate is from 0 to 1, got {value}")
    return value


def non_negative(text: str) -> float:
    value = _number(text, float, "a number")
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def port_setting(flag: int | None, variable: str, default: int) -> int:
    """A port from its flag, else its environment variable, else the default; a bad
    variable is a ValueError naming it."""
    if flag is not None:
        return flag
    raw = os.environ.get(variable, "")
    if not raw:
        return default
    try:
        return port(raw)
    except argparse.ArgumentTypeError as exc:
        raise ValueError(f"{variable}: {exc}") from None


def seconds_setting(variable: str, default: float, env: Mapping[str, str] | None = None) -> float:
    """A duration in seconds from its environment variable, else the default; anything but
    a positive, finite number is a ValueError naming the variable."""
    raw = (os.environ if env is None else env).get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{variable} must be a number of seconds, not {raw!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{variable} must be a positive number of seconds, not {raw!r}")
    return value
