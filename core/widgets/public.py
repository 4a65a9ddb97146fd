"""The widget's public calls: what a storefront may do with a publishable key.

The widget frontend calls the core on the shopper's behalf and passes, as gRPC metadata:

- `x-flowyte-publishable-key`: the `flowyte_pk_live_…` key from the page's loader tag.
  Missing, unknown, deleted, or rotated out with its grace window over → UNAUTHENTICATED.
- `x-flowyte-origin`: the browser's `Origin` header, verbatim. It must match one of the
  key's allowed origins exactly (scheme, host, port) → else PERMISSION_DENIED
  (reason ORIGIN_NOT_ALLOWED). A missing origin is refused the same way.
- `x-flowyte-visitor` (optional): who counts against the key's rate limit, e.g. the
  shopper's IP address. Calls without it share one count per key. Over the limit →
  RESOURCE_EXHAUSTED with `retry_after_seconds` in the ErrorInfo metadata.

A visitor token (`flowyte_vt_…`, from CreateWidgetSession) names one session of the key's
agent and nothing else: a token of another session, agent or organization, or a made-up
one, is NOT_FOUND. Only its hash is stored.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncGenerator, AsyncIterator, Mapping
from dataclasses import dataclass

from core.conversations import Conversations
from core.conversations.streaming import TurnPiece
from core.domain import conversations as chat_rules
from core.domain import widgets as rules
from core.domain.errors import InvalidArgument, NotFound, PermissionDenied, Unauthenticated
from core.store.tables import AuditEventRow, WidgetVisitorRow

from .config import Published, WidgetConfigs
from .keys import PublishableKeys
from .limits import RateLimiter

KEY_HEADER = "x-flowyte-publishable-key"
ORIGIN_HEADER = "x-flowyte-origin"
VISITOR_HEADER = "x-flowyte-visitor"


@dataclass(frozen=True)
class Storefront:
    """A public caller, once its key and origin passed."""

    org_id: str
    agent_id: str
    key_id: str
    key_name: str


@dataclass(frozen=True)
class WidgetSession:
    conversation_id: str
    visitor_token: str


class WidgetPublic:
    def __init__(self, conversations: Conversations, keys: PublishableKeys, configs: WidgetConfigs):
        self.conversations = conversations
        self.runtime = conversations.runtime
        self.keys = keys
        self.configs = configs
        self.limiter = RateLimiter()

    async def admit(self, metadata: Mapping[str, str]) -> Storefront:
        """Key, then origin, then rate limit: the order a stranger learns the least in."""
        key = await self.keys.resolve(metadata.get(KEY_HEADER, "").strip())
        if key is None:
            raise Unauthenticated(f"send a valid publishable key in {KEY_HEADER}")
        if not rules.origin_allowed(key.allowed_origins, metadata.get(ORIGIN_HEADER, "")):
            raise PermissionDenied("this origin may not use this key", "ORIGIN_NOT_ALLOWED")
        visitor = metadata.get(VISITOR_HEADER, "")[:200]
        self.limiter.check(key.id, visitor, key.rate_limit_rpm, self.runtime.now_ms())
        return Storefront(key.org_id, key.agent_id, key.id, key.name)

    async def bootstrap(self, caller: Storefront) -> Published:
        return await self.configs.published(caller.org_id, caller.agent_id)

    async def open_session(self, caller: Storefront, visitor_token: str) -> WidgetSession:
        """With a token: its session again (a reload, a second tab). A token whose session
        ended gets a new session under a new token; an unknown one is NOT_FOUND."""
        if visitor_token:
            visitor = await self._visitor(caller, visitor_token)
            current = await self.conversations.sessions.get(caller.org_id, visitor.session_id)
            if current.status != "ended":
                return WidgetSession(current.id, visitor_token)
        row = await self.conversations.sessions.create(
            caller.org_id, caller.agent_id, channel="widget"
        )
        token = rules.new_visitor_token()
        async with self.runtime.sessions() as session:
            session.add(
                WidgetVisitorRow(
                    token_hash=rules.visitor_token_hash(token),
                    org_id=caller.org_id,
                    session_id=row.id,
                    agent_id=caller.agent_id,
                    created_ms=self.runtime.now_ms(),
                )
            )
            await session.commit()
        return WidgetSession(row.id, token)

    async def message(
        self, caller: Storefront, visitor_token: str, content: str, client_message_id: str
    ) -> AsyncGenerator[TurnPiece, None]:
        """One customer turn, streamed as it happens; the same client_message_id again
        replays the turn it made (namespaced by the publishable key's id, which a rotation
        keeps). Refusals (content, token) come before the first piece."""
        content = chat_rules.content(content)
        visitor = await self._visitor(caller, visitor_token)
        pieces = self.conversations.turns.stream(
            caller.org_id,
            visitor.session_id,
            content,
            idempotency_key=client_message_id,
            api_key_id=caller.key_id,
            vouches_for_callers=False,
        )
        async with contextlib.aclosing(pieces):
            async for piece in pieces:
                yield piece

    async def watch(
        self, caller: Storefront, visitor_token: str, after_seq: int
    ) -> AsyncIterator[AuditEventRow | None]:
        if after_seq < 0:
            raise InvalidArgument("must not be negative", field="after_seq")
        visitor = await self._visitor(caller, visitor_token)
        async for event in self.conversations.transcripts.watch(
            caller.org_id, visitor.session_id, after_seq
        ):
            yield event

    async def _visitor(self, caller: Storefront, token: str) -> WidgetVisitorRow:
        if not token:
            raise InvalidArgument("is required", field="visitor_token")
        async with self.runtime.sessions() as session:
            row = await session.get(WidgetVisitorRow, rules.visitor_token_hash(token))
        if row is None or row.org_id != caller.org_id or row.agent_id != caller.agent_id:
            raise NotFound("widget session")
        return row
