"""ConversationService: sessions, turns (unary and streamed), transcripts, completions."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import flowyte.v1.conversation_service_pb2 as pb
import flowyte.v1.conversation_service_pb2_grpc as pb_grpc
from core.conversations import Conversations, Turn
from core.conversations.records import Completion, trace_id
from core.domain import conversations as rules
from core.domain.errors import InvalidArgument
from core.domain.ids import new_id
from core.domain.scopes import CALLER_ID_SCOPE
from core.store.transcripts import StoredEvent

from . import paging, principal
from .conversation_shapes import channel_of, event_proto, session_proto, streamed_piece
from .converse import converse
from .convert import resource_id, timestamp


def _handed_off(completion: Completion) -> dict[str, str]:
    if not completion.handoff_id:
        return {}
    return {"session": f"sessions/{completion.session_id}", "handoff_id": completion.handoff_id}


def _messages(messages: Any) -> list[tuple[str, str]]:
    return [(m.role, m.content) for m in messages]


def _idempotency_key(context: Any) -> str:
    for key, value in context.invocation_metadata() or ():
        if key.lower() == "idempotency-key" and isinstance(value, str):
            return value
    return ""


class ConversationServicer(pb_grpc.ConversationServiceServicer):
    def __init__(self, conversations: Conversations):
        self.conversations = conversations

    async def CreateSession(
        self, request: pb.CreateSessionRequest, context: object
    ) -> pb.CreateSessionResponse:
        if not request.agent_id:
            raise InvalidArgument("is required", field="agent_id")
        row = await self.conversations.sessions.create(
            principal.current().org_id,
            request.agent_id,
            draft_mode=request.draft_mode,
            channel=channel_of(request.channel),
        )
        return pb.CreateSessionResponse(session=session_proto(row))

    async def GetSession(
        self, request: pb.GetSessionRequest, context: object
    ) -> pb.GetSessionResponse:
        session_id = resource_id(request.name, "sessions", "name")
        row = await self.conversations.sessions.get(principal.current().org_id, session_id)
        return pb.GetSessionResponse(session=session_proto(row))

    async def ListSessionEvents(
        self, request: pb.ListSessionEventsRequest, context: object
    ) -> pb.ListSessionEventsResponse:
        session_id = resource_id(request.parent, "sessions", "parent")
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        if after is not None and not after.isdigit():
            raise InvalidArgument("page_token is not one this API issued", field="page_token")
        rows, last = await self.conversations.transcripts.events(
            principal.current().org_id, session_id, int(after) if after else None, size
        )
        return pb.ListSessionEventsResponse(
            events=[event_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def WatchSessionEvents(
        self, request: pb.WatchSessionEventsRequest, context: object
    ) -> AsyncIterator[pb.WatchSessionEventsResponse]:
        session_id = resource_id(request.parent, "sessions", "parent")
        if request.after_seq < 0:
            raise InvalidArgument("must not be negative", field="after_seq")
        org_id = principal.current().org_id
        async for row in self.conversations.transcripts.watch(
            org_id, session_id, request.after_seq
        ):
            if row is None:
                yield pb.WatchSessionEventsResponse(heartbeat=pb.Heartbeat())
            else:
                yield pb.WatchSessionEventsResponse(event=event_proto(row))

    def _turn_args(self, session: str, context: Any) -> tuple[tuple[str, str], dict[str, Any]]:
        who = principal.current()
        named = {
            "idempotency_key": _idempotency_key(context),
            "api_key_id": who.key_id,
            "vouches_for_callers": CALLER_ID_SCOPE in who.scopes,
        }
        return (who.org_id, resource_id(session, "sessions", "session")), named

    async def _turn(self, session: str, content: str, context: Any) -> Turn:
        (org_id, session_id), named = self._turn_args(session, context)
        return await self.conversations.turns.turn(org_id, session_id, content, **named)

    async def SendMessage(
        self, request: pb.SendMessageRequest, context: Any
    ) -> pb.SendMessageResponse:
        # A retry with the same idempotency-key is replayed by the gate once the first one
        # answered. The turn keeps the key too, written with the turn itself: a retry after
        # a crash between the turn's commit and the gate's record replays the turn rather
        # than running it again.
        turn = await self._turn(request.session, request.content, context)
        return pb.SendMessageResponse(
            reply=pb.ChatMessage(role="assistant", content=turn.reply),
            events=[event_proto(e) for e in turn.events],
            session=session_proto(turn.session),
        )

    async def StreamMessage(
        self, request: pb.StreamMessageRequest, context: Any
    ) -> AsyncIterator[pb.StreamMessageResponse]:
        # Streams are not covered by the gate's idempotency: the turn keeps its own key.
        # The reply goes out as the brain lets it out, after the customer's words are stored.
        (org_id, session_id), named = self._turn_args(request.session, context)
        pieces = self.conversations.turns.stream(org_id, session_id, request.content, **named)
        async with contextlib.aclosing(pieces):
            async for piece in pieces:
                yield pb.StreamMessageResponse(**streamed_piece(piece))

    def Converse(
        self, request_iterator: AsyncIterator[pb.ConverseRequest], context: Any
    ) -> AsyncIterator[pb.ConverseResponse]:
        who = principal.current()
        return converse(
            self.conversations,
            who.org_id,
            request_iterator,
            vouches_for_callers=CALLER_ID_SCOPE in who.scopes,
        )

    async def EndSession(
        self, request: pb.EndSessionRequest, context: object
    ) -> pb.EndSessionResponse:
        session_id = resource_id(request.name, "sessions", "name")
        row = await self.conversations.sessions.end(principal.current().org_id, session_id)
        return pb.EndSessionResponse(session=session_proto(row))

    async def SimulateConversation(
        self, request: pb.SimulateConversationRequest, context: Any
    ) -> AsyncIterator[pb.SimulateConversationResponse]:
        """Runs the lines against the draft without a session: nothing is stored, no handoff
        is opened, no failed verification counts."""
        if not request.agent_id:
            raise InvalidArgument("is required", field="agent_id")
        if not request.transcript:
            raise InvalidArgument("give at least one line", field="transcript")
        for index, line in enumerate(request.transcript):
            rules.content(line, f"transcript[{index}]")
        seq = 0
        async for events in self.conversations.completions.simulate(
            principal.current().org_id, request.agent_id, list(request.transcript)
        ):
            trace = trace_id()
            for new in events:
                seq += 1
                row = StoredEvent(
                    id=new_id("event"),
                    session_id="",
                    seq=seq,
                    ts_ms=self.conversations.runtime.now_ms(),
                    channel="chat",
                    event_type=new.event_type,
                    payload=new.payload,
                    trace_id=trace,
                )
                yield pb.SimulateConversationResponse(event=event_proto(row))

    async def ListChatModels(
        self, request: pb.ListChatModelsRequest, context: object
    ) -> pb.ListChatModelsResponse:
        size = paging.page_size(request.page_size)
        after = paging.decode(request.page_token)
        rows, last = await self.conversations.completions.models(
            principal.current().org_id, after, size
        )
        return pb.ListChatModelsResponse(
            models=[
                pb.ChatModel(
                    id=row.id,
                    display_name=row.display_name,
                    create_time=timestamp(row.created_ms),
                    published_version=row.published_version,
                )
                for row in rows
            ],
            next_page_token=paging.encode(last),
        )

    async def CompleteChat(
        self, request: pb.CompleteChatRequest, context: object
    ) -> pb.CompleteChatResponse:
        completion = await self.conversations.completions.complete(
            principal.current().org_id, request.agent_id, _messages(request.messages)
        )
        return pb.CompleteChatResponse(
            reply=pb.ChatMessage(role="assistant", content=completion.reply),
            finish_reason="stop",
            prompt_tokens=completion.prompt_tokens,
            completion_tokens=completion.completion_tokens,
            create_time=timestamp(completion.created_ms),
            **_handed_off(completion),
        )

    async def StreamCompleteChat(
        self, request: pb.StreamCompleteChatRequest, context: object
    ) -> AsyncIterator[pb.StreamCompleteChatResponse]:
        completion = await self.conversations.completions.complete(
            principal.current().org_id, request.agent_id, _messages(request.messages)
        )
        created = timestamp(completion.created_ms)
        for delta in rules.deltas(completion.reply):
            yield pb.StreamCompleteChatResponse(text_delta=delta, create_time=created)
        yield pb.StreamCompleteChatResponse(
            create_time=created,
            finish_reason="stop",
            prompt_tokens=completion.prompt_tokens,
            completion_tokens=completion.completion_tokens,
            **_handed_off(completion),
        )
