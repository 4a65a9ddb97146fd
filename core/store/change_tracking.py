"""Tells the read cache what every committed transaction changed.

Hooked into SQLAlchemy's session events rather than into each write path, so a new write
path cannot forget to invalidate: ORM changes name their rows, bulk UPDATE/DELETE
statements on a cached table drop that whole kind. Invalidation happens after COMMIT, and
the cache's generation check covers readers that raced with it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from .read_cache import ALL, ReadCache
from .tables import AgentRow, ApiKeyRow

# What the cache holds, and the key each cached kind is looked up by.
CACHED: dict[type[Any], tuple[str, Callable[[Any], Hashable]]] = {
    ApiKeyRow: ("api_key", lambda row: row.key_hash),
    AgentRow: ("agent", lambda row: row.id),
}
_CACHED_TABLES = {model.__table__: kind for model, (kind, _) in CACHED.items()}
_PENDING = "flowyte_pending_invalidations"


def tracked_session_class(cache: ReadCache) -> type[Session]:
    """A Session subclass of its own, so one runtime's listeners never see another's."""
    session_class = type("TrackedSession", (Session,), {})

    def pending(session: Session) -> set[tuple[str, Hashable]]:
        return session.info.setdefault(_PENDING, set())

    @event.listens_for(session_class, "after_flush")
    def _rows_changed(session: Session, _context: Any) -> None:
        for row in (*session.new, *session.dirty, *session.deleted):
            cached = CACHED.get(type(row))
            if cached:
                kind, key_of = cached
                pending(session).add((kind, key_of(row)))

    @event.listens_for(session_class, "do_orm_execute")
    def _bulk_statement(state: ORMExecuteState) -> None:
        if state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            if table in _CACHED_TABLES:
                pending(state.session).add((_CACHED_TABLES[table], ALL))

    @event.listens_for(session_class, "after_commit")
    def _committed(session: Session) -> None:
        cache.invalidate(session.info.pop(_PENDING, set()))

    @event.listens_for(session_class, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_PENDING, None)

    return session_class
