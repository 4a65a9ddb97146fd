"""Conversations: sessions on an agent's published version (or draft), turns through the
brain, transcripts, and stateless completions.

A turn reads the session, runs the brain outside any transaction, then writes everything it
produced in ONE transaction (the customer's words, the brain's events, the reply, the new
state, a handoff) before anything is acknowledged. The state lives in the database, so any
replica can serve the next turn. Turns of one session are serialised in-process by a lock;
across replicas the commit checks that no other turn committed since the state was read.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import secrets
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from core.domain import conversations as rules
from core.domain import validation
from core.domain.errors import (
    Conflict,
    DomainError,
    FailedPrecondition,
    InvalidArgument,
    NotFound,
    PermissionDenied,
)
from core.domain.ids import new_id
from core.domain.scopes import CALLER_ID_SCOPE
from core.engine import replies
from core.engine.pacing import Pacer
from core.engine.policy import AgentPolicy
from core.engine.turn import (
    AttemptsPort,
    Brain,
    HandoffRequest,
    RequestScope,
    TurnContext,
    TurnEvent,
    TurnResult,
)
from core.runtime import Runtime
from core.shopify.lookup import OrderLookup
from core.store import live, transcripts
from core.store.claims import Claim, lease_end
from core.store.repository import owned
from core.store.tables import (
    AgentRow,
    AgentVersionRow,
    AuditEventRow,
    HandoffRow,
    SessionRow,
    TurnKeyRow,
)
from core.store.transcripts import Event, NewEvent, StoredEvent

from .brains import BrainChooser
from .ports import RecordedAttempts, StoreOrders, WebhookSkills
from .session_view import AnySession, SessionView

log = logging.getLogger(__name__)

Redact = Callable[[str], str]

_SNAPSHOT_CACHE = 256
_PACERS = 1024  # stores whose lookup times are remembered (the least recent one is dropped)
WATCH_HEARTBEAT = 15.0  # seconds of silence on a watched session before a heartbeat


@dataclass
class Turn:
    reply: str
    events: Sequence[Event]
    session: AnySession
    replayed: bool = False
    # The handoff this turn opened, if any, and on a call where to transfer it: (E.164 or
    # SIP URI, warm). Not kept for a replayed turn: the first one already acted on them.
    handoff: HandoffRow | None = None
    transfer: tuple[str, bool] | None = None


@dataclass
class Completion:
    reply: str
    prompt_tokens: int
    completion_tokens: int
    created_ms: int
    events: list[TurnEvent] = field(default_factory=list)
    # When the reply handed off: the session that now holds the conversation, and the handoff.
    session_id: str = ""
    handoff_id: str = ""


def trace_id() -> str:
    return secrets.token_hex(16)


def _new_session(
    org_id: str,
    agent_id: str,
    version: int,
    channel: str,
    *,
    caller_number: str = "",
    turns: int = 0,
    conversation_key: str | None = None,
    created_ms: int,
) -> SessionRow:
    """A new active session on `version` of the agent (0: its draft)."""
    return SessionRow(
        id=new_id("session"),
        org_id=org_id,
        agent_id=agent_id,
        agent_version=version,
        draft_mode=version == 0,
        channel=channel,
        status="active",
        state={},
        caller_number=caller_number,
        handoff_id="",
        last_seq=0,
        turns=turns,
        created_ms=created_ms,
        conversation_key=conversation_key,
    )


def _turn_append(
    row: AnySession, events: list[NewEvent], changes: dict[str, Any], at_ms: int
) -> transcripts.Append:
    """A turn's write: its events and the session's new state, counted as a turn, if the
    session is still as the turn read it."""
    return transcripts.Append(
        row.id,
        row.channel,
        trace_id(),
        events,
        changes=changes,
        counts_turn=True,
        expect_turns=row.turns,
        expect_status=row.status,
        at_ms=at_ms,
    )


def _opened_handoff(
    row: AnySession, request: HandoffRequest, events: list[NewEvent], created_ms: int
) -> HandoffRow:
    """The handoff a turn of session `row` asked for; the turn's handoff event (added if
    the brain recorded none) names it."""
    handoff = HandoffRow(
        id=new_id("handoff"),
        org_id=row.org_id,
        session_id=row.id,
        agent_id=row.agent_id,
        reason=request.reason,
        status="open",
        order_summary=rules.json_safe(request.order_summary),
        verified_identity=rules.json_safe(request.verified_identity),
        claimed_by="",
        created_ms=created_ms,
    )
    marked = [e for e in events if e.event_type == "handoff"]
    for event in marked:
        event.payload["handoffId"] = handoff.id
    if not marked:
        events.append(NewEvent("handoff", {"handoffId": handoff.id, "reason": handoff.reason}))
    return handoff


class Conversations:
    def __init__(
        self,
        runtime: Runtime,
        brain: Brain,
        lookup: OrderLookup,
        redact: Redact | None = None,
    ):
        self.runtime = runtime
        self.brain = brain
        self.lookup = lookup
        self.redact = redact
        # Per agent: the LLM brain when its served version asks for one, else `brain`.
        self.brains = BrainChooser(runtime, brain)
        self._locks: weakref.WeakValueDictionary[str, asyncio.Lock] = weakref.WeakValueDictionary()
        # Published versions never change: their snapshots are safe to keep.
        self._snapshots: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()
        # Per organization (its one store): how long its lookups take (core/engine/pacing.py).
        self._pacers: OrderedDict[str, Pacer] = OrderedDict()

    # --- sessions ----------------------------------------------------------------------

    async def create(
        self,
        org_id: str,
        agent_id: str,
        *,
        draft_mode: bool = False,
        channel: str = "chat",
        caller_number: str = "",
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
            row = _new_session(
                org_id,
                agent_id,
                version,
                channel,
                caller_number=caller_number,
                created_ms=self.runtime.now_ms(),
            )
            session.add(row)
            await session.commit()
        return row

    async def get(self, org_id: str, session_id: str) -> SessionView:
        """The session as last committed; through the read cache where it is on, as a turn
        reads it (an ORM read took about 0.9 ms of a busy core's loop)."""
        return await self._session_row(org_id, session_id)

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
            from core.api.agents import snapshot_of  # the draft's document, as publish makes it

            async with self.runtime.sessions() as session:
                agent = await owned(session, AgentRow, row.org_id, row.agent_id, "agent")
                return await snapshot_of(session, agent)
        return await self._version_snapshot(row.agent_id, row.agent_version)

    async def _session_row(self, org_id: str, session_id: str) -> SessionView:
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

    def _remember(self, row: SessionView) -> None:
        """`row` as the caller just committed it, holding the session's lock."""
        cache = self.runtime.cache
        cache.put("session", row.id, row.frozen(), cache.generation)

    async def _version_snapshot(self, agent_id: str, number: int) -> dict[str, Any]:
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

    # --- turns ---------------------------------------------------------------------------

    async def turn(
        self,
        org_id: str,
        session_id: str,
        text: str,
        *,
        idempotency_key: str = "",
        api_key_id: str = "",
        dtmf: str = "",
        vouches_for_callers: bool,
    ) -> Turn:
        """`idempotency_key` is in the namespace of `api_key_id`, the key that sent it.
        `vouches_for_callers`: the sender's key is the voice frontend's (calls:caller_id),
        the only one that may speak into a call whose caller number verifies the caller."""
        # On a call a turn may be keys alone; otherwise it says something.
        text = rules.content(text) if text or not dtmf else text
        dtmf = rules.dtmf_digits(dtmf) if dtmf else ""
        async with self._lock(session_id):
            if not idempotency_key:
                return await self._turn(org_id, session_id, text, dtmf, None, vouches_for_callers)
            claim, replay = await self._claim_key(
                org_id, session_id, api_key_id, idempotency_key, text + "\0" + dtmf
            )
            if replay is not None:
                return replay
            async with claim.held(self.runtime.sessions, self.runtime.now_ms):
                return await self._turn(org_id, session_id, text, dtmf, claim, vouches_for_callers)

    def _lock(self, session_id: str) -> asyncio.Lock:
        lock = self._locks.get(session_id)
        if lock is None:
            lock = self._locks.setdefault(session_id, asyncio.Lock())
        return lock

    async def _claim_key(
        self, org_id: str, session_id: str, api_key_id: str, key: str, request: str
    ) -> tuple[Claim, Turn | None]:
        """Claims a turn's idempotency key (or takes over a claim whose turn died with its
        process), or returns the turn it already made."""
        validation.idempotency_key(key)
        claim = Claim(
            TurnKeyRow,
            (
                TurnKeyRow.session_id == session_id,
                TurnKeyRow.api_key_id == api_key_id,
                TurnKeyRow.key == key,
            ),
            TurnKeyRow.first_seq.is_(None),
        )
        digest = hashlib.sha256(request.encode()).hexdigest()
        async with self.runtime.sessions() as session:
            await owned(session, SessionRow, org_id, session_id, "session")
            now = self.runtime.now_ms()
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
                return claim, None
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
            if existing.first_seq is None or existing.last_seq is None:
                if await claim.take_over(
                    self.runtime.sessions, existing.lease_expires_ms, self.runtime.now_ms()
                ):
                    return claim, None
                raise Conflict(
                    "a request with this idempotency key is still running",
                    "IDEMPOTENCY_KEY_IN_USE",
                )
            events = await transcripts.events_between(
                session, session_id, existing.first_seq, existing.last_seq
            )
            row = await owned(session, SessionRow, org_id, session_id, "session")
        answers = [e for e in events if e.event_type == "agent_message"]
        reply = str(answers[-1].payload.get("text", "")) if answers else ""
        return claim, Turn(reply, events, row, replayed=True)

    async def _turn(
        self,
        org_id: str,
        session_id: str,
        text: str,
        dtmf: str,
        turn_key: Claim | None,
        vouches_for_callers: bool,
    ) -> Turn:
        row = await self._session_row(org_id, session_id)
        if row.caller_number and not vouches_for_callers:
            # With caller_id verification on, a turn of this session verifies by the
            # caller's number: another key speaking into it would be verified as that caller.
            raise PermissionDenied(
                f"only a key with the {CALLER_ID_SCOPE} scope (the voice frontend's) may "
                "send turns into a call that has a caller number",
                "MISSING_SCOPE",
            )
        snapshot = await self.snapshot(row)
        if row.status == "ended":
            raise FailedPrecondition("this session has ended", "SESSION_ENDED")

        if row.status == "handed_off":
            # A person has the conversation: the customer's words go to them, not the brain.
            said = replies.passed_on(AgentPolicy.of(snapshot).wording)
            result = TurnResult(reply=said, events=[], state=dict(row.state))
        else:
            result = await self._think_on(row, snapshot, text, dtmf)

        utterance: dict[str, Any] = {"text": text}
        if dtmf:
            utterance["dtmf"] = dtmf
        events = [NewEvent("user_utterance", utterance)]
        events += [NewEvent(e.event_type, dict(e.payload)) for e in result.events]
        changes: dict[str, Any] = {"state": rules.json_safe(result.state)}
        handoff: HandoffRow | None = None
        if result.handoff is not None and row.status == "active":
            handoff = _opened_handoff(row, result.handoff, events, self.runtime.now_ms())
            changes.update(status="handed_off", handoff_id=handoff.id)
        elif result.end_conversation and row.status == "active":
            changes.update(status="ended", ended_ms=self.runtime.now_ms())
        events.append(NewEvent("agent_message", {"text": result.reply, "from": "agent"}))
        events = [NewEvent(e.event_type, self.stored_payload(snapshot, e.payload)) for e in events]

        rows = None
        if handoff is None and turn_key is None:
            rows = await self._append_turn_alone(row, events, changes)
        if rows is None:  # it writes more than the turn, or the database has no direct path
            async with self.runtime.sessions() as session:
                rows = await self._append_turn(session, row, events, changes)
                if handoff is not None:
                    session.add(handoff)
                if turn_key is not None:
                    # In the turn's own transaction: a crash leaves the turn and its key
                    # written together, or neither.
                    await session.execute(
                        update(TurnKeyRow)
                        .where(*turn_key.row, turn_key.unfinished)
                        .values(first_seq=rows[0].seq, last_seq=rows[-1].seq)
                    )
                await session.commit()
        row.state = changes["state"]
        row.turns += 1
        row.last_seq = rows[-1].seq
        row.status = changes.get("status", row.status)
        row.handoff_id = changes.get("handoff_id", row.handoff_id)
        row.ended_ms = changes.get("ended_ms", row.ended_ms)
        self._remember(row)
        transfer = None
        live = result.handoff is not None and result.handoff.live
        if handoff is not None and row.channel == "voice" and live:
            transfer = rules.transfer_for(snapshot, handoff.reason, result.transfer_destination)
        return Turn(result.reply, rows, row, handoff=handoff, transfer=transfer)

    async def _append_turn(
        self,
        session: AsyncSession,
        row: AnySession,
        events: list[NewEvent],
        changes: dict[str, Any],
    ) -> list[StoredEvent]:
        """A turn's events and the session's new state, written only if the session is still
        as the turn read it; a view that turns out stale leaves the cache and the turn is
        refused (TURN_CONFLICT), to be resent on a fresh read."""
        with self._stale_view_leaves_cache(row):
            return await transcripts.write(
                session, _turn_append(row, events, changes, self.runtime.now_ms())
            )

    async def _append_turn_alone(
        self, row: AnySession, events: list[NewEvent], changes: dict[str, Any]
    ) -> list[StoredEvent] | None:
        """`_append_turn` as its own transaction, where the database allows the direct
        path (the single SQLite core; None elsewhere, having written nothing)."""
        with self._stale_view_leaves_cache(row):
            return await self.runtime.direct_appends.write(
                _turn_append(row, events, changes, self.runtime.now_ms())
            )

    @contextlib.contextmanager
    def _stale_view_leaves_cache(self, row: AnySession) -> Iterator[None]:
        """A turn's write refused as a conflict read a stale view: drop it from the cache."""
        try:
            yield
        except Conflict:
            self.runtime.cache.invalidate({("session", row.id)})
            raise

    # --- calls (Converse) ----------------------------------------------------------------

    async def start_call(self, org_id: str, session_id: str) -> Turn:
        """A call (or any Converse stream) begins on the session: `call_started`, and on a
        session nobody has spoken in yet the agent's greeting (the brain's turn on silence)."""
        async with self._lock(session_id):
            row = await self._session_row(org_id, session_id)
            snapshot = await self.snapshot(row)
            if row.status == "ended":
                raise FailedPrecondition("this session has ended", "SESSION_ENDED")
            started = NewEvent(
                "call_started", {"callerNumber": row.caller_number} if row.caller_number else {}
            )
            events = [started]
            changes: dict[str, Any] = {}
            reply = ""
            if row.turns == 0 and row.status == "active":
                result = await self._think_on(row, snapshot, "")
                reply = result.reply
                events += [NewEvent(e.event_type, dict(e.payload)) for e in result.events]
                events.append(NewEvent("agent_message", {"text": reply, "from": "agent"}))
                changes = {"state": rules.json_safe(result.state)}
            events = [
                NewEvent(e.event_type, self.stored_payload(snapshot, e.payload)) for e in events
            ]
            async with self.runtime.sessions() as session:
                if changes:
                    rows = await self._append_turn(session, row, events, changes)
                else:
                    append = transcripts.Append(
                        session_id, row.channel, trace_id(), events, at_ms=self.runtime.now_ms()
                    )
                    rows = await transcripts.write(session, append)
                await session.commit()
            if changes:
                row.state = changes["state"]
                row.turns += 1
            row.last_seq = rows[-1].seq
            self._remember(row)
            return Turn(reply, rows, row)

    async def record(
        self, org_id: str, session_id: str, event_type: str, payload: dict[str, Any]
    ) -> StoredEvent:
        """One audit event outside a turn (a barge-in)."""
        async with self.runtime.sessions() as session:
            row = await owned(session, SessionRow, org_id, session_id, "session")
            new = [NewEvent(event_type, payload)]
            append = transcripts.Append(
                session_id, row.channel, trace_id(), new, at_ms=self.runtime.now_ms()
            )
            (event,) = await transcripts.write(session, append)
            await session.commit()
        return event

    async def end_call(self, org_id: str, session_id: str, reason: str) -> SessionRow:
        """The stream is over: `call_ended`, and the session ends with it (a handoff stays
        in the team's inbox)."""
        async with self._lock(session_id):
            async with self.runtime.sessions() as session:
                row = await owned(session, SessionRow, org_id, session_id, "session")
                changes: dict[str, Any] = {}
                if row.status != "ended":
                    changes = {"status": "ended", "ended_ms": self.runtime.now_ms()}
                ended = [NewEvent("call_ended", {"reason": reason})]
                append = transcripts.Append(
                    session_id,
                    row.channel,
                    trace_id(),
                    ended,
                    changes=changes,
                    at_ms=self.runtime.now_ms(),
                )
                await transcripts.write(session, append)
                await session.commit()
                await session.refresh(row)
            return row

    async def _think_on(
        self, row: SessionView, snapshot: Mapping[str, Any], text: str, dtmf: str = ""
    ) -> TurnResult:
        """A brain turn on the session `row`."""
        attempts = RecordedAttempts(self.runtime, row.org_id)
        return await self.think(
            self._context(
                row.org_id,
                snapshot,
                row.channel,
                row.state,
                text,
                attempts,
                caller_number=row.caller_number,
                dtmf=dtmf,
            )
        )

    def _context(
        self,
        org_id: str,
        snapshot: Mapping[str, Any],
        channel: str,
        state: Mapping[str, Any],
        text: str,
        attempts: AttemptsPort,
        *,
        caller_number: str = "",
        dtmf: str = "",
        request: RequestScope | None = None,
        replaying: bool = False,
    ) -> TurnContext:
        """A brain turn's context: the organization's live store, attempts ledger and webhook
        skills, and the clock."""
        return TurnContext(
            agent=snapshot,
            channel=channel,
            state=state,
            text=text,
            orders=StoreOrders(self.lookup, org_id),
            attempts=attempts,
            now=self.runtime.clock.now,
            caller_number=caller_number,
            dtmf=dtmf,
            skills=WebhookSkills(self.runtime, org_id),
            pacer=self._pacer(org_id),
            request=request or RequestScope(),
            replaying=replaying,
        )

    def _pacer(self, org_id: str) -> Pacer:
        pacer = self._pacers.get(org_id)
        if pacer is None:
            pacer = self._pacers[org_id] = Pacer()
            if len(self._pacers) > _PACERS:
                self._pacers.popitem(last=False)
        else:
            self._pacers.move_to_end(org_id)
        return pacer

    async def think(self, context: TurnContext) -> TurnResult:
        """One brain turn. A brain that breaks gives the customer an apology, not a crash."""
        try:
            brain = await self.brains.for_agent(context.agent, replaying=context.replaying)
            return await brain.turn(context)
        except DomainError:
            raise
        except Exception:
            log.exception("the brain failed a turn")
            return TurnResult(
                reply=replies.failed_turn(AgentPolicy.of(context.agent).wording),
                events=[TurnEvent("error", {"message": "the agent could not answer this turn"})],
                state=dict(context.state),
            )

    # --- transcripts -----------------------------------------------------------------------

    async def watch(
        self, org_id: str, session_id: str, after: int, heartbeat: float = WATCH_HEARTBEAT
    ) -> AsyncIterator[AuditEventRow | None]:
        """The session's events after seq `after`: those stored, then each new one as it is
        committed on any core, until the session ends. None when `heartbeat` seconds pass
        with nothing new (then it reads again anyway, so a lost notification costs at most
        that long)."""
        with self.runtime.live.watch(session_id) as watcher:  # before reading: none is missed
            seen = after
            while True:
                async with self.runtime.sessions() as session:
                    row = await owned(session, SessionRow, org_id, session_id, "session")
                    query = transcripts.events_query(session_id).where(AuditEventRow.seq > seen)
                    fresh = list(
                        await session.scalars(query.order_by(AuditEventRow.seq).limit(200))
                    )
                for event in fresh:
                    yield event
                    seen = event.seq
                if len(fresh) == 200:
                    continue  # more stored: read on at once
                if row.status == "ended":
                    return
                if not await watcher.wait(heartbeat):
                    yield None

    async def events(
        self, org_id: str, session_id: str, after: int | None, size: int
    ) -> tuple[list[AuditEventRow], int | None]:
        async with self.runtime.sessions() as session:
            await owned(session, SessionRow, org_id, session_id, "session")
            query = transcripts.events_query(session_id)
            if after is not None:
                query = query.where(AuditEventRow.seq > after)
            rows = list(
                (await session.scalars(query.order_by(AuditEventRow.seq).limit(size + 1))).all()
            )
        if len(rows) > size:
            return rows[:size], rows[size - 1].seq
        return rows, None

    # --- simulations -------------------------------------------------------------------------

    async def simulate(
        self, org_id: str, agent_id: str, lines: Sequence[str]
    ) -> AsyncIterator[list[NewEvent]]:
        """The draft's turns for scripted lines, each as its events; stored nowhere."""
        from core.api.agents import snapshot_of

        async with self.runtime.sessions() as session:
            agent = await owned(session, AgentRow, org_id, agent_id, "agent")
            snapshot = await snapshot_of(session, agent)
        # The draft checks details against the live store like any conversation, so they
        # count in the same ledger: a simulation is no way around the lock.
        attempts = RecordedAttempts(self.runtime, org_id)
        state: dict[str, Any] = {}
        for line in lines:
            result = await self.think(
                self._context(org_id, snapshot, "chat", state, line, attempts)
            )
            state = rules.json_safe(result.state)
            events = [NewEvent("user_utterance", {"text": line})]
            events += [NewEvent(e.event_type, rules.json_safe(e.payload)) for e in result.events]
            if result.handoff is not None and not any(e.event_type == "handoff" for e in events):
                events.append(NewEvent("handoff", {"reason": result.handoff.reason}))
            events.append(NewEvent("agent_message", {"text": result.reply, "from": "agent"}))
            yield events
            if result.handoff is not None or result.end_conversation:
                return

    # --- stateless completions --------------------------------------------------------------

    async def complete(
        self, org_id: str, agent_id: str, messages: Sequence[tuple[str, str]]
    ) -> Completion:
        """Rebuilds the dialogue from the customer's own messages in a fresh state; the
        reply to the last one is the answer."""
        spoken = rules.user_messages(list(messages))

        async def load() -> tuple[str, int]:
            async with self.runtime.sessions() as session:
                agent = await owned(session, AgentRow, org_id, agent_id, "agent")
            return agent.org_id, agent.published_version

        found = await self.runtime.cache.get_or_load("agent_version", agent_id, load)
        assert found is not None
        owner, published = found
        if owner != org_id:
            raise NotFound("agent")
        if published == 0:
            raise FailedPrecondition("this agent has no published version", "NO_PUBLISHED_VERSION")
        snapshot = await self._version_snapshot(agent_id, published)
        # Every message is replayed on every request, and every detail in them is checked
        # against the ledger: a wrong one counts once, whichever request first sent it.
        attempts = RecordedAttempts(self.runtime, org_id)
        # One request however many messages it replays: an order is asked of the store once,
        # the request's caps hold across them, and only the newest message asks a model.
        request = RequestScope()
        state: dict[str, Any] = {}
        result = TurnResult(reply="", events=[], state=state)
        for index, text in enumerate(spoken):
            context = self._context(
                org_id,
                snapshot,
                "api",
                state,
                text,
                attempts,
                request=request,
                replaying=index < len(spoken) - 1,
            )
            result = await self.think(context)
            state = rules.json_safe(result.state)
        prompt = sum(rules.count_tokens(text) for _, text in messages)
        completion = Completion(
            result.reply,
            prompt,
            rules.count_tokens(result.reply),
            self.runtime.now_ms(),
            result.events,
        )
        if result.handoff is not None:  # asked for by the newest message: a person takes it
            completion.session_id, completion.handoff_id = await self._hand_off_completion(
                org_id, agent_id, published, snapshot, spoken, result
            )
        return completion

    async def _hand_off_completion(
        self,
        org_id: str,
        agent_id: str,
        version: int,
        snapshot: dict[str, Any],
        spoken: list[str],
        result: TurnResult,
    ) -> tuple[str, str]:
        """A stateless conversation that hands off becomes an `api` session holding the
        customer's messages and the final turn, with the handoff on it, so a person has the
        context and their reply has somewhere to go. The same conversation sent again (a
        retry) finds that session instead of opening a second one."""
        key = hashlib.sha256(json.dumps([agent_id, spoken]).encode()).hexdigest()
        found = await self._completion_session(org_id, key)
        if found is not None:
            return found
        row = _new_session(
            org_id,
            agent_id,
            version,
            "api",
            turns=len(spoken) - 1,
            conversation_key=key,
            created_ms=self.runtime.now_ms(),
        )
        assert result.handoff is not None
        events = [NewEvent("user_utterance", {"text": text}) for text in spoken]
        events += [NewEvent(e.event_type, dict(e.payload)) for e in result.events]
        handoff = _opened_handoff(row, result.handoff, events, self.runtime.now_ms())
        events.append(NewEvent("agent_message", {"text": result.reply, "from": "agent"}))
        events = [NewEvent(e.event_type, self.stored_payload(snapshot, e.payload)) for e in events]
        try:
            async with self.runtime.sessions() as session:
                session.add(row)
                await session.flush()
                await self._append_turn(
                    session,
                    row,
                    events,
                    {
                        "state": rules.json_safe(result.state),
                        "status": "handed_off",
                        "handoff_id": handoff.id,
                    },
                )
                session.add(handoff)
                await session.commit()
        except IntegrityError:  # the same conversation, handed off by a concurrent request
            found = await self._completion_session(org_id, key)
            if found is None:
                raise
            return found
        return row.id, handoff.id

    async def _completion_session(self, org_id: str, key: str) -> tuple[str, str] | None:
        async with self.runtime.sessions() as session:
            found = (
                await session.execute(
                    select(SessionRow.id, SessionRow.handoff_id).where(
                        SessionRow.org_id == org_id, SessionRow.conversation_key == key
                    )
                )
            ).first()
        return None if found is None else (found.id, found.handoff_id)
