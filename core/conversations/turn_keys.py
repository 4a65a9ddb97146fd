"""A turn's idempotency key: claimed before the turn runs, filled in as the turn commits.

A turn commits twice: the customer's words (the key's `first_seq`), then the reply and the
turn's events (its `last_seq`). So a key is in one of three states when a retry claims it:
- new, or left with nothing committed by a turn that died: the retry runs the turn;
- its words committed but no reply (the turn died mid-reply, once its lease lapsed): the
  retry takes it over and runs the brain on those words, writing them no second time;
- finished: the retry replays the stored turn.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain import validation
from core.domain.errors import Conflict
from core.runtime import Runtime
from core.store import transcripts
from core.store.claims import Claim, lease_end
from core.store.repository import owned
from core.store.tables import SessionRow, TurnKeyRow
from core.store.transcripts import Event

from .records import Turn


@dataclass(frozen=True)
class ClaimedKey:
    """A claimed key: run the turn under `claim`; `words` is the customer's utterance when
    a turn that died mid-reply already stored it. Or the turn it made: `replay`."""

    claim: Claim
    words: Event | None = None
    replay: Turn | None = None

    async def started(self, session: AsyncSession, words: Event) -> None:
        """In the transaction that stores the customer's words."""
        await session.execute(
            update(TurnKeyRow)
            .where(*self.claim.row, TurnKeyRow.first_seq.is_(None))
            .values(first_seq=words.seq)
        )

    async def finished(self, session: AsyncSession, last: Event) -> None:
        """In the transaction that stores the reply: a crash leaves the reply and its key
        written together, or neither. A claim finished by another request meanwhile (one
        that took it over while this one stalled past its lease) refuses the second."""
        done = await session.execute(
            update(TurnKeyRow)
            .where(*self.claim.row, self.claim.unfinished)
            .values(last_seq=last.seq)
        )
        if int(getattr(done, "rowcount", 0) or 0) != 1:
            raise Conflict(
                "a request with this idempotency key has finished the turn",
                "IDEMPOTENCY_KEY_IN_USE",
            )


async def claim(
    runtime: Runtime, org_id: str, session_id: str, api_key_id: str, key: str, request: str
) -> ClaimedKey:
    """Claims a turn's idempotency key (or takes over a claim whose turn died with its
    process), or returns the turn it already made."""
    validation.idempotency_key(key)
    claimed = Claim(
        TurnKeyRow,
        (
            TurnKeyRow.session_id == session_id,
            TurnKeyRow.api_key_id == api_key_id,
            TurnKeyRow.key == key,
        ),
        TurnKeyRow.last_seq.is_(None),
        TurnKeyRow.first_seq.is_(None),
    )
    digest = hashlib.sha256(request.encode()).hexdigest()
    async with runtime.sessions() as session:
        await owned(session, SessionRow, org_id, session_id, "session")
        now = runtime.now_ms()
        session.add(
            TurnKeyRow(
                session_id=session_id,
                api_key_id=api_key_id,
                key=key,
                request_hash=digest,
                created_ms=now,
                lease_expires_ms=lease_end(now),
            )
        )
        try:
            await session.commit()
            return ClaimedKey(claimed)
        except IntegrityError:
            await session.rollback()
        existing = await session.get(TurnKeyRow, (session_id, api_key_id, key))
        if existing is None:
            raise Conflict(
                "the first request with this idempotency key just failed; retry",
                "IDEMPOTENCY_KEY_IN_USE",
            )
        if existing.request_hash != digest:
            raise Conflict(
                "this idempotency key was used with a different request",
                "IDEMPOTENCY_KEY_REUSED",
            )
        if existing.last_seq is None:
            if not await claimed.take_over(
                runtime.sessions, existing.lease_expires_ms, runtime.now_ms()
            ):
                raise Conflict(
                    "a request with this idempotency key is still running",
                    "IDEMPOTENCY_KEY_IN_USE",
                )
            if existing.first_seq is None:
                return ClaimedKey(claimed)
            (words,) = await transcripts.events_between(
                session, session_id, existing.first_seq, existing.first_seq
            )
            return ClaimedKey(claimed, words=words)
        assert existing.first_seq is not None
        events = await transcripts.events_between(
            session, session_id, existing.first_seq, existing.last_seq
        )
        row = await owned(session, SessionRow, org_id, session_id, "session")
    # Only this turn's: another writer (a person's reply) may have appended between its
    # words and its reply.
    events = [e for e in events if e.trace_id == events[0].trace_id]
    answers = [e for e in events if e.event_type == "agent_message"]
    reply = str(answers[-1].payload.get("text", "")) if answers else ""
    return ClaimedKey(claimed, replay=Turn(reply, events, row, replayed=True))
