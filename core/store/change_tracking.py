"""Tells the read cache what every committed transaction changed.

Hooked into SQLAlchemy's session events rather than into each write path, so a new write
path cannot forget to invalidate: ORM changes name their rows, INSERT/UPDATE/DELETE
statements on a cached table drop that whole kind unless they name their rows (the
`cache_keys` execution option). Invalidation happens after COMMIT, and the cache's
generation check covers readers that raced with it.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from .read_cache import ALL, ReadCache
from .tables import AgentRow, ApiKeyRow, IntegrationRow, SessionRow, VerificationFailureRow

# What the cache holds: per table, each kind of value read from its rows and the key that
# value is looked up by.
CACHED: dict[type[Any], list[tuple[str, Callable[[Any], Hashable]]]] = {
    ApiKeyRow: [("api_key", lambda row: row.key_hash)],
    AgentRow: [
        ("agent", lambda row: row.id),  # GetAgent's answer
        ("agent_version", lambda row: row.id),  # the version conversations serve
    ],
    IntegrationRow: [("integration", lambda row: (row.org_id, row.kind))],
    SessionRow: [("session", lambda row: row.id)],
    VerificationFailureRow: [
        ("attempts", lambda row: (row.org_id, row.store_key, row.order_key)),
    ],
}
_CACHED_TABLES = {model.__table__: [kind for kind, _ in kinds] for model, kinds in CACHED.items()}
_PENDING = "flowyte_pending_invalidations"


def _pending(session: Session) -> set[tuple[str, Hashable]]:
    pending: set[tuple[str, Hashable]] = session.info.setdefault(_PENDING, set())
    return pending


def written(session: Session, table: Any, keys: Iterable[Hashable]) -> None:
    """Records a write to `table`'s rows `keys` that bypassed the session's execute (a
    statement run straight on the driver), so the cache still drops them on commit."""
    keys = list(keys)  # read once per kind the table's rows are cached as
    for kind in _CACHED_TABLES.get(table, ()):
        _pending(session).update((kind, key) for key in keys)


def tracked_session_class(cache: ReadCache) -> type[Session]:
    """A Session subclass of its own, so one runtime's listeners never see another's."""
    session_class = type("TrackedSession", (Session,), {})

    @event.listens_for(session_class, "after_flush")
    def _rows_changed(session: Session, _context: Any) -> None:
        for row in (*session.new, *session.dirty, *session.deleted):
            for kind, key_of in CACHED.get(type(row), ()):
                _pending(session).add((kind, key_of(row)))

    @event.listens_for(session_class, "do_orm_execute")
    def _bulk_statement(state: ORMExecuteState) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            table = getattr(state.statement, "table", None)
            # A statement that knows which rows it touches says so (`cache_keys`), and only
            # those are dropped; any other drops its table's every cached value.
            written(state.session, table, state.execution_options.get("cache_keys", [ALL]))

    @event.listens_for(session_class, "after_commit")
    def _committed(session: Session) -> None:
        cache.invalidate(session.info.pop(_PENDING, set()))

    @event.listens_for(session_class, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop(_PENDING, None)

    return session_class
