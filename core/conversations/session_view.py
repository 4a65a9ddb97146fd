"""A session as a turn works on it, and as the read cache keeps it between turns.

A turn reads its session, works on it and writes it back under the session's lock; on the
single SQLite core the next turn reads it from the cache (see `Conversations._session_row`).
A plain dataclass rather than a detached `SessionRow`: building an ORM instance cost more
than the rest of the turn's reads together.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeAlias

from core import jsontext
from core.store.tables import SessionRow


@dataclass(slots=True)
class SessionView:
    """`SessionRow`'s columns, in table order (a test keeps the two the same)."""

    id: str
    org_id: str
    agent_id: str
    agent_version: int
    draft_mode: bool
    channel: str
    status: str
    state: dict[str, Any]
    caller_number: str
    handoff_id: str
    last_seq: int
    turns: int
    created_ms: int
    ended_ms: int | None
    conversation_key: str | None
    called_number: str

    @classmethod
    def of(cls, row: SessionRow) -> SessionView:
        return cls(*(getattr(row, name) for name in _COLUMNS))

    def frozen(self) -> tuple[Any, ...]:
        """As a cache value: immutable, the dialogue state as JSON (bytes)."""
        values = tuple(getattr(self, name) for name in _COLUMNS)
        return (*values[:_STATE], jsontext.dump_bytes(self.state), *values[_STATE + 1 :])

    @classmethod
    def thawed(cls, frozen: tuple[Any, ...]) -> SessionView:
        """A view of the caller's own from a cache value."""
        values = list(frozen)
        values[_STATE] = jsontext.loads(values[_STATE])
        return cls(*values)


# A session as either: read in a transaction of its own, or a turn's view of it.
AnySession: TypeAlias = SessionRow | SessionView

_COLUMNS = [f.name for f in fields(SessionView)]
_STATE = _COLUMNS.index("state")
