"""Who is calling: set by the auth interceptor, read by servicers."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    org_id: str
    key_id: str
    key_name: str
    scopes: frozenset[str]
    # A publishable key's agent (public widget calls); "" for a secret key.
    agent_id: str = ""


_current: contextvars.ContextVar[Principal] = contextvars.ContextVar("flowyte_principal")


def current() -> Principal:
    return _current.get()


def bind(principal: Principal) -> contextvars.Token[Principal]:
    return _current.set(principal)


def unbind(token: contextvars.Token[Principal]) -> None:
    _current.reset(token)
