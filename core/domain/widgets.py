"""The storefront widget's rules: publishable keys, exact origins, visitor tokens, config.

No I/O here: what a key looks like, which origins are acceptable and how one is compared,
how long a rotated-out key keeps working, what a widget config may hold.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any
from urllib.parse import urlsplit

from .errors import InvalidArgument

PUBLISHABLE_PREFIX = "flowyte_pk_live_"
VISITOR_PREFIX = "flowyte_vt_"
DEFAULT_RATE_LIMIT_RPM = 30
MAX_RATE_LIMIT_RPM = 6000
MAX_ORIGINS = 50
# How long the value a rotation replaced keeps working: long enough to redeploy a storefront
# template, short enough that a leaked old key dies the same day.
ROTATION_GRACE_MS = 15 * 60 * 1000
CONFIG_SECTIONS = ("theme", "copy", "behavior")
# Events whose payload a shopper's browser sees; the others (tool calls, guardrail and
# verification decisions, latencies) reach it as their type and seq alone: the agent's
# inner workings are the merchant's, and the seqs stay gapless for resuming.
PUBLIC_EVENT_TYPES = frozenset(
    {"user_utterance", "agent_message", "handoff", "call_started", "call_ended", "error"}
)
MAX_CONFIG_BYTES = 16_000
_DEFAULT_PORTS = {"http": 80, "https": 443}


def new_publishable_key() -> str:
    return PUBLISHABLE_PREFIX + secrets.token_urlsafe(24)


def looks_like_publishable_key(value: str) -> bool:
    return value.startswith(PUBLISHABLE_PREFIX) and len(value) > len(PUBLISHABLE_PREFIX) + 16


def new_visitor_token() -> str:
    return VISITOR_PREFIX + secrets.token_urlsafe(32)


def visitor_token_hash(token: str) -> str:
    # 256 random bits: a plain SHA-256 cannot be reversed or guessed.
    return hashlib.sha256(token.encode()).hexdigest()


def origin(value: str, field: str) -> str:
    """`https://shop.example:8443` as the browser sends it in `Origin`: scheme, host and a
    port only when it is not the scheme's default; no path, query, user or fragment."""
    raw = value.strip()
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError:
        raise InvalidArgument(
            "must be an origin such as https://shop.example", field=field
        ) from None
    if (
        parts.scheme not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
    ):
        raise InvalidArgument("must be an origin such as https://shop.example", field=field)
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    if port is None or port == _DEFAULT_PORTS[parts.scheme]:
        return f"{parts.scheme}://{host}"
    return f"{parts.scheme}://{host}:{port}"


def origins(values: list[str], field: str) -> list[str]:
    if not values:
        raise InvalidArgument("give at least one origin", field=field)
    if len(values) > MAX_ORIGINS:
        raise InvalidArgument(f"at most {MAX_ORIGINS} origins", field=field)
    found: list[str] = []
    for index, value in enumerate(values):
        normal = origin(value, f"{field}[{index}]")
        if normal not in found:
            found.append(normal)
    return found


def origin_allowed(allowed: list[str], sent: str) -> bool:
    """Exact match on scheme, host and port. A malformed or missing Origin never matches."""
    try:
        return origin(sent, "origin") in allowed
    except InvalidArgument:
        return False


def rate_limit(value: int, field: str) -> int:
    if value == 0:
        return DEFAULT_RATE_LIMIT_RPM
    if value < 0 or value > MAX_RATE_LIMIT_RPM:
        raise InvalidArgument(f"must be between 1 and {MAX_RATE_LIMIT_RPM}", field=field)
    return value


def config(document: dict[str, Any], field: str = "config") -> dict[str, Any]:
    """Keeps the three sections, each an object; refuses anything else or too big."""
    unknown = sorted(set(document) - set(CONFIG_SECTIONS))
    if unknown:
        raise InvalidArgument(f"unknown section {unknown[0]}", field=f"{field}.{unknown[0]}")
    kept = {k: v for k, v in document.items() if v}
    for key, value in kept.items():
        if not isinstance(value, dict):
            raise InvalidArgument("must be an object", field=f"{field}.{key}")
    if len(json.dumps(kept)) > MAX_CONFIG_BYTES:
        raise InvalidArgument(f"must be at most {MAX_CONFIG_BYTES} bytes as JSON", field=field)
    return kept


def base_url(value: str, field: str) -> str:
    """The widget frontend's public URL, as it goes into the snippet's src."""
    parts = urlsplit(value.strip())
    if parts.scheme not in _DEFAULT_PORTS or not parts.netloc or parts.query or parts.fragment:
        raise InvalidArgument("must be an http(s) URL such as https://widget.example", field=field)
    if any(c in value for c in "\"'<> "):
        raise InvalidArgument("must not contain quotes, spaces or angle brackets", field=field)
    return value.strip().rstrip("/")


def embed_snippet(widget_base_url: str, key: str) -> str:
    base = widget_base_url.rstrip("/")
    return f'<script src="{base}/widget/loader.js" data-flowyte-key="{key}" async></script>'
