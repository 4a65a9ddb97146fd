"""The team inbox, live: handoffs in a status as they are, then each one again whenever it
changes (claimed, closed, or its conversation went on), until the watcher leaves.

Every change of a handoff is an audit event of its session, and every appended event
wakes the live bus (core/store/live.py) on every replica; the inbox watch listens to all
sessions and re-reads the organization's handoffs, sending only those whose status,
claimer or transcript moved since it last sent them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from sqlalchemy import or_, select

from core.store import live, transcripts
from core.store.tables import AuditEventRow, HandoffRow, SessionRow

from .handoffs import MAX_TRANSCRIPT, Handoffs

WATCHED = 200  # the newest handoffs a watch follows


@dataclass(frozen=True)
class HandoffView:
    handoff: HandoffRow
    transcript: list[AuditEventRow]


async def watch_handoffs(
    handoffs: Handoffs, org_id: str, status: str, heartbeat: float | None = None
) -> AsyncIterator[HandoffView | None]:
    """`status` "" follows all. None is a heartbeat: `heartbeat` seconds (by default the
    core's `watch_heartbeat_s`) passed quietly."""
    runtime = handoffs.runtime
    quiet = heartbeat or runtime.settings.watch_heartbeat_s
    sent: dict[str, tuple[str, str, int]] = {}  # handoff id → (status, claimer, last seq)
    with runtime.live.watch(live.ANY_SESSION) as watcher:  # before reading: none is missed
        while True:
            async with runtime.sessions() as session:
                query = (
                    select(HandoffRow, SessionRow.last_seq)
                    .join(SessionRow, SessionRow.id == HandoffRow.session_id)
                    .where(HandoffRow.org_id == org_id)
                )
                if status:
                    # Those sent before stay followed: the inbox must hear a claim or close.
                    query = query.where(
                        or_(HandoffRow.status == status, HandoffRow.id.in_(list(sent)))
                    )
                rows = (
                    await session.execute(query.order_by(HandoffRow.id.desc()).limit(WATCHED))
                ).all()
                changed = []
                for row, last_seq in rows:
                    mark = (row.status, row.claimed_by, last_seq)
                    if sent.get(row.id) != mark:
                        sent[row.id] = mark
                        changed.append(row)
                views = []
                for row in changed:
                    events = await session.scalars(
                        transcripts.events_query(row.session_id)
                        .order_by(AuditEventRow.seq)
                        .limit(MAX_TRANSCRIPT)
                    )
                    views.append(HandoffView(row, list(events.all())))
            for view in views:
                yield view
            if not await watcher.wait(quiet):
                yield None
