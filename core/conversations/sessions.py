"""Sessions on an agent's published version (or draft): create, read, end, and the
conditional write of a turn. The state lives in the database, so any replica can serve the next
turn; turns of one session are serialised in-process by `lock`, and across replicas the commit
checks that no other turn committed since the state was read.
"""

from __future__ import annotations

import asyncio
import contextlib
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.domain import conversations as rules
from core.domain.errors import Conflict, FailedPrecondition, InvalidArgument, NotFound
from core.runtime import Runtime
from core.services.agents import SnapshotOf, draft_snapshot
from core.store import live, transcripts
from core.store.repository import owned
from core.store.tables import AgentRow, AgentVersionRow, SessionRow
from core.store.transcripts import NewEvent, StoredEvent

from .records import new_session, turn_append
from .session_view import AnySession, SessionView

Redact = Callable[[str], str]

_SNAPSHOT_CACHE = 256


class Sessions:
    """Sessions: opening, reading (through the read cache), ending; the agent each serves;
    and the one conditional write every turn of a session goes through."""

    def __init__(self, runtime: Runtime, snapshot_of: SnapshotOf, redact: Redact | None = None):
        self.runtime = runtime
        # How a draft becomes the document a published version freezes (its shape is the
        # contract's AgentSnapshot, so the gRPC layer supplies it).
        self.snapshot_of = snapshot_of
        self.redact = redact
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        # Published versions never change: their snapshots are safe to keep.
        self._snapshots: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()

    async def create(
        self,
        org_id: str,
        agent_id: str,
        *,
        draft_mode: bool = False,
        channel: str = "chat",
        caller_number: str = "",
        called_number: str = "",
    ) -> SessionRow:
        if channel not in rules.CHANNELS:
            raise InvalidArgument("unknown channel", field="channel")
        async with self.runtime.sessions() as session:
            agent = await owned(session, AgentRow, org_id, agent_id, "agent")
            if not draft_mode and agent.published_version == 0:
                raise FailedPrecondition(
                    "this agent has no published version; publish it or use draft mode",
                    "NO_PUBLISHED_VERSION",
                )
            version = 0 if draft_mode else agent.published_version
            row = new_session(
                org_id,
                agent_id,
                version,
                channel,
                caller_number=caller_number,
                called_number=called_number,
                created_ms=self.runtime.now_ms(),
            )
            session.add(row)
            await session.commit()
        return row

    async def get(self, org_id: str, session_id: str) -> SessionView:
        """The session as last committed; through the read cache where it is on, as a turn
        reads it (an ORM read took about 0.9 ms of a busy core's loop)."""
        return await self.read(org_id, session_id)

    async def end(self, org_id: str, session_id: str) -> SessionRow:
        async with self.runtime.sessions() as session:
            row = await owned(session, SessionRow, org_id, session_id, "session")
            if row.status != "ended":
                row.status = "ended"
                row.ended_ms = self.runtime.now_ms()
                # No new event, but streams watching the session must learn that it ended.
                await live.mark_changed(session, session_id, row.last_seq)
                await session.commit()
        return row

    async def snapshot(self, row: AnySession) -> dict[str, Any]:
        """The agent as this session serves it: its pinned version, or the current draft."""
        if row.draft_mode:
            return await self.draft_snapshot(row.org_id, row.agent_id)
        return await self.version_snapshot(row.agent_id, row.agent_version)

    async def draft_snapshot(self, org_id: str, agent_id: str) -> dict[str, Any]:
        """The agent's draft as publish would freeze it (NotFound for another org's)."""
        async with self.runtime.sessions() as session:
            agent = await owned(session, AgentRow, org_id, agent_id, "agent")
            return await draft_snapshot(session, agent, self.snapshot_of)

    async def read(self, org_id: str, session_id: str) -> SessionView:
        """The session as last committed: for a turn (under the session's lock), or to show.

        Where the read cache is on, the turn that commits puts its result back in the cache,
        so the next turn reads no row. Any other writer (a handoff closing, the session
        ending) drops the entry when it commits. Should a stale entry ever slip through,
        the turn's write is conditional on the turn count and status it read (see
        `transcripts.Append`), so it cannot commit on a stale view.
        """

        async def load() -> tuple[Any, ...] | None:
            async with self.runtime.sessions() as session:
                row = await session.get(SessionRow, session_id)
            return None if row is None else SessionView.of(row).frozen()

        found = await self.runtime.cache.get_or_load("session", session_id, load)
        row = None if found is None else SessionView.thawed(found)
        if row is None or row.org_id != org_id:
            raise NotFound("session")
        return row

    def remember(self, row: SessionView) -> None:
        """`row` as the caller just committed it, holding the session's lock."""
        cache = self.runtime.cache
        cache.put("session", row.id, row.frozen(), cache.generation)

    async def version_snapshot(self, agent_id: str, number: int) -> dict[str, Any]:
        key = (agent_id, number)
        cached = self._snapshots.get(key)
        if cached is None:
            async with self.runtime.sessions() as session:
                version = await session.get(AgentVersionRow, key)
            if version is None:
                raise NotFound("agent version")
            cached = version.snapshot
            self._snapshots[key] = cached
            if len(self._snapshots) > _SNAPSHOT_CACHE:
                self._snapshots.popitem(last=False)
        return cached

    def stored_payload(self, snapshot: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
        """A payload as the transcript keeps it: plain JSON, PII redacted when the agent's
        content policy says so."""
        payload = rules.json_safe(payload)
        if self.redact is not None and rules.redacts_pii(snapshot):
            redacted: dict[str, Any] = rules.redact_payload(payload, self.redact)
            return redacted
        return payload

    def lock(self, session_id: str) -> asyncio.Lock:
        lock = self._locks.get(session_id)
        if lock is None:
            lock = self._locks.setdefault(session_id, asyncio.Lock())
        return lock

    async def append_turn(
        self,
        session: AsyncSession,
        row: AnySession,
        events: list[NewEvent],
        changes: dict[str, Any],
        *,
        trace: str = "",
        counts_turn: bool = True,
    ) -> list[StoredEvent]:
        """A turn's events and the session's new state, written only if the session is still
        as the turn read it; a view that turns out stale leaves the cache and the turn is
        refused (TURN_CONFLICT), to be resent on a fresh read. (`trace`, `counts_turn`: see
        records.turn_append.)"""
        at = self.runtime.now_ms()
        plan = turn_append(row, events, changes, at, trace=trace, counts_turn=counts_turn)
        with self._stale_view_leaves_cache(row):
            return await transcripts.write(session, plan)

    async def append_turn_alone(
        self,
        row: AnySession,
        events: list[NewEvent],
        changes: dict[str, Any],
        *,
        trace: str = "",
        counts_turn: bool = True,
    ) -> list[StoredEvent] | None:
        """`append_turn` as its own transaction, where the database allows the direct
        path (the single SQLite core; None elsewhere, having written nothing)."""
        at = self.runtime.now_ms()
        plan = turn_append(row, events, changes, at, trace=trace, counts_turn=counts_turn)
        with self._stale_view_leaves_cache(row):
            return await self.runtime.direct_appends.write(plan)

    @contextlib.contextmanager
    def _stale_view_leaves_cache(self, row: AnySession) -> Iterator[None]:
        """A turn's write refused as a conflict read a stale view: drop it from the cache."""
        try:
            yield
        except Conflict:
            self.runtime.cache.invalidate({("session", row.id)})
            raise
