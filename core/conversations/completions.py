"""Turns stored nowhere: a draft's simulation, and stateless completions (which become a
session only when they hand off, so a person has the context).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core.domain import conversations as rules
from core.domain.errors import FailedPrecondition, NotFound
from core.engine.turn import RequestScope, TurnResult
from core.store.repository import org_query, owned, page
from core.store.tables import AgentRow, SessionRow
from core.store.transcripts import NewEvent

from .ports import RecordedAttempts
from .records import Completion, new_session, opened_handoff
from .sessions import Sessions
from .thinking import Thinker


class Completions:
    """Simulations and stateless completions."""

    def __init__(self, sessions: Sessions, thinker: Thinker):
        self.runtime = sessions.runtime
        self.sessions = sessions
        self.thinker = thinker

    async def simulate(
        self, org_id: str, agent_id: str, lines: Sequence[str]
    ) -> AsyncIterator[list[NewEvent]]:
        """The draft's turns for scripted lines, each as its events; stored nowhere."""
        snapshot = await self.sessions.draft_snapshot(org_id, agent_id)
        # The draft checks details against the live store like any conversation, so they
        # count in the same ledger: a simulation is no way around the lock.
        attempts = RecordedAttempts(self.runtime, org_id)
        state: dict[str, Any] = {}
        for line in lines:
            result = await self.thinker.think(
                self.thinker.context(org_id, snapshot, "chat", state, line, attempts)
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

    async def models(
        self, org_id: str, after: str | None, size: int
    ) -> tuple[list[AgentRow], str | None]:
        """The agents a completion can be asked of: those with a published version."""
        query = org_query(AgentRow, org_id).where(AgentRow.published_version > 0)
        async with self.runtime.sessions() as session:
            return await page(session, query, AgentRow.id, after, size)

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
        snapshot = await self.sessions.version_snapshot(agent_id, published)
        # Every message is replayed on every request, and every detail in them is checked
        # against the ledger: a wrong one counts once, whichever request first sent it.
        attempts = RecordedAttempts(self.runtime, org_id)
        # One request however many messages it replays: an order is asked of the store once,
        # the request's caps hold across them, and only the newest message asks a model.
        request = RequestScope()
        state: dict[str, Any] = {}
        result = TurnResult(reply="", events=[], state=state)
        for index, text in enumerate(spoken):
            context = self.thinker.context(
                org_id,
                snapshot,
                "api",
                state,
                text,
                attempts,
                request=request,
                replaying=index < len(spoken) - 1,
            )
            result = await self.thinker.think(context)
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
        row = new_session(
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
        handoff = opened_handoff(row, result.handoff, events, self.runtime.now_ms())
        events.append(NewEvent("agent_message", {"text": result.reply, "from": "agent"}))
        events = [
            NewEvent(e.event_type, self.sessions.stored_payload(snapshot, e.payload))
            for e in events
        ]
        try:
            async with self.runtime.sessions() as session:
                session.add(row)
                await session.flush()
                await self.sessions.append_turn(
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
