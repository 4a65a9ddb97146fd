"""The scopes of API.md, and what a key may do with them.

`chat:public` belongs to publishable keys alone. `calls:caller_id` is reserved for the voice
frontend's own key: a caller number it sends counts as the caller's identity (an agent with
`caller_id` verification discloses that caller's orders on it), so no key gets it without
asking for it by name, and only `flowyte keys create` can make one that holds it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InvalidArgument, PermissionDenied

CALLER_ID_SCOPE = "calls:caller_id"

SECRET_KEY_SCOPES: tuple[str, ...] = (
    "agents:read",
    "agents:write",
    "skills:read",
    "skills:write",
    "guardrails:read",
    "guardrails:write",
    "integrations:read",
    "integrations:write",
    "chat:read",
    "chat:write",
    "pubkeys:read",
    "pubkeys:write",
    "widgets:read",
    "widgets:write",
    "numbers:read",
    "numbers:write",
    "calls:read",
    CALLER_ID_SCOPE,
    "handoffs:read",
    "handoffs:write",
    "keys:write",
)
# Scopes granted only when named, never by "every scope".
RESERVED_SCOPES = frozenset({CALLER_ID_SCOPE})
# What `flowyte keys create --scopes all` and the demo key hold.
STANDARD_SCOPES: tuple[str, ...] = tuple(s for s in SECRET_KEY_SCOPES if s not in RESERVED_SCOPES)
PUBLIC_SCOPE = "chat:public"
ALL_SCOPES: tuple[str, ...] = (*SECRET_KEY_SCOPES, PUBLIC_SCOPE)


def validate_secret_key_scopes(scopes: list[str]) -> list[str]:
    """Returns the scopes de-duplicated in API.md's order, or says which one is wrong."""
    if not scopes:
        raise InvalidArgument("at least one scope is required", field="scopes")
    for index, scope in enumerate(scopes):
        if scope == PUBLIC_SCOPE:
            raise InvalidArgument(
                "chat:public belongs to publishable keys only", field=f"scopes[{index}]"
            )
        if scope not in SECRET_KEY_SCOPES:
            raise InvalidArgument(f"unknown scope {scope!r}", field=f"scopes[{index}]")
    return [s for s in SECRET_KEY_SCOPES if s in set(scopes)]


def check_within(held: Iterable[str], scopes: Iterable[str], action: str) -> None:
    """A key acts on another key (creates it, revokes it) only if it holds every scope that
    key holds: otherwise a `keys:write` key could mint itself any scope, or lock out the
    organization's admin key."""
    held = set(held)
    lacking = [s for s in dict.fromkeys(scopes) if s not in held]
    if lacking:
        raise PermissionDenied(
            f"this key cannot {action} a key with scopes it does not hold: {', '.join(lacking)}",
            "SCOPE_ESCALATION",
        )
