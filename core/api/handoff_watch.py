"""HandoffService with its live inbox watch (WatchHandoffs); the other RPCs are
HandoffServicer's."""

from __future__ import annotations

from collections.abc import AsyncIterator

import flowyte.v1.conversation_service_pb2 as chat_pb
import flowyte.v1.handoff_service_pb2 as pb
from core.conversations.handoff_watch import watch_handoffs

from . import principal
from .handoffs import _STATUS_NAMES, HandoffServicer, handoff_proto


class InboxServicer(HandoffServicer):
    async def WatchHandoffs(
        self, request: pb.WatchHandoffsRequest, context: object
    ) -> AsyncIterator[pb.WatchHandoffsResponse]:
        status = _STATUS_NAMES.get(request.status, "")
        async for view in watch_handoffs(self.handoffs, principal.current().org_id, status):
            if view is None:
                yield pb.WatchHandoffsResponse(heartbeat=chat_pb.Heartbeat())
            else:
                yield pb.WatchHandoffsResponse(handoff=handoff_proto(view.handoff, view.transcript))
