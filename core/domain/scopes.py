"""The scopes of API.md. `chat:public` belongs to publishable keys alone."""

from __future__ import annotations

from .errors import InvalidArgument

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
    "handoffs:read",
    "handoffs:write",
    "keys:write",
)
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
