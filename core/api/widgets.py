"""WidgetService: translates the contract to core/widgets' services and back.

The public RPCs (scope chat:public) are admitted by `WidgetPublic.admit` through the gate,
by publishable key and origin metadata (see core/widgets/public.py for the names)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from google.protobuf import json_format, struct_pb2

import flowyte.v1.audit_pb2 as audit_pb
import flowyte.v1.conversation_service_pb2 as chat_pb
import flowyte.v1.widget_service_pb2 as pb
import flowyte.v1.widget_service_pb2_grpc as pb_grpc
from core.domain import widgets as rules
from core.domain.errors import InvalidArgument
from core.domain.scopes import PUBLIC_SCOPE
from core.store.tables import PublishableKeyRow
from core.store.transcripts import Event
from core.widgets.config import WidgetConfigs
from core.widgets.keys import KeySettings, PublishableKeys
from core.widgets.public import Storefront, WidgetPublic

from . import paging, principal
from .conversation_shapes import event_proto, streamed_piece
from .convert import checked_update_mask, resource_id, timestamp


def key_proto(row: PublishableKeyRow) -> pb.PublishableKey:
    return pb.PublishableKey(
        name=f"agents/{row.agent_id}/publishableKeys/{row.id}",
        id=row.id,
        agent_id=row.agent_id,
        display_name=row.name,
        allowed_origins=row.allowed_origins,
        rate_limit_rpm=row.rate_limit_rpm,
        key_public=row.key_public,
        create_time=timestamp(row.created_ms),
    )


def config_proto(document: dict[str, Any]) -> pb.WidgetConfig:
    config = pb.WidgetConfig()
    for section in ("theme", "copy", "behavior"):
        if document.get(section):
            getattr(config, section).update(document[section])
    return config


def config_document(config: pb.WidgetConfig) -> dict[str, Any]:
    return {
        section: json_format.MessageToDict(getattr(config, section))
        for section in ("theme", "copy", "behavior")
        if config.HasField(section)
    }


def key_name(name: str, field: str = "name") -> tuple[str, str]:
    """`agents/{agent}/publishableKeys/{id}` → (agent id, key id)."""
    parts = name.split("/")
    if len(parts) != 4 or parts[0] != "agents" or parts[2] != "publishableKeys" or not all(parts):
        raise InvalidArgument("must look like agents/{agent}/publishableKeys/{id}", field=field)
    return parts[1], parts[3]


def public_event(row: Event) -> audit_pb.AuditEvent:
    event = event_proto(row)
    if row.event_type not in rules.PUBLIC_EVENT_TYPES:
        event.ClearField("payload")
    return event


def public_admit(
    public: WidgetPublic,
) -> Callable[[dict[str, str]], Awaitable[principal.Principal]]:
    """The gate's admission of chat:public calls: a storefront as a principal."""

    async def admit(metadata: dict[str, str]) -> principal.Principal:
        caller = await public.admit(metadata)
        return principal.Principal(
            caller.org_id,
            caller.key_id,
            caller.key_name,
            frozenset({PUBLIC_SCOPE}),
            agent_id=caller.agent_id,
        )

    return admit


def storefront() -> Storefront:
    who = principal.current()
    assert PUBLIC_SCOPE in who.scopes and who.agent_id, "admitted by WidgetPublic.admit"
    return Storefront(who.org_id, who.agent_id, who.key_id, who.key_name)


class WidgetServicer(pb_grpc.WidgetServiceServicer):
    def __init__(self, keys: PublishableKeys, configs: WidgetConfigs, public: WidgetPublic):
        self.keys = keys
        self.configs = configs
        self.public = public

    # --- publishable keys ------------------------------------------------------------------

    async def CreatePublishableKey(
        self, request: pb.CreatePublishableKeyRequest, context: object
    ) -> pb.CreatePublishableKeyResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        key = request.publishable_key
        row = await self.keys.create(
            principal.current().org_id,
            agent_id,
            KeySettings(key.display_name, list(key.allowed_origins), key.rate_limit_rpm),
        )
        return pb.CreatePublishableKeyResponse(publishable_key=key_proto(row))

    async def GetPublishableKey(
        self, request: pb.GetPublishableKeyRequest, context: object
    ) -> pb.GetPublishableKeyResponse:
        agent_id, key_id = key_name(request.name)
        row = await self.keys.get(principal.current().org_id, agent_id, key_id)
        return pb.GetPublishableKeyResponse(publishable_key=key_proto(row))

    async def ListPublishableKeys(
        self, request: pb.ListPublishableKeysRequest, context: object
    ) -> pb.ListPublishableKeysResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        rows, last = await self.keys.list(
            principal.current().org_id,
            agent_id,
            paging.decode(request.page_token),
            paging.page_size(request.page_size),
        )
        return pb.ListPublishableKeysResponse(
            publishable_keys=[key_proto(r) for r in rows], next_page_token=paging.encode(last)
        )

    async def UpdatePublishableKey(
        self, request: pb.UpdatePublishableKeyRequest, context: object
    ) -> pb.UpdatePublishableKeyResponse:
        key = request.publishable_key
        agent_id, key_id = key_name(key.name, "publishable_key.name")
        paths = set(checked_update_mask(request.update_mask, pb.PublishableKey).paths)
        settings = KeySettings(
            key.display_name if "display_name" in paths else None,
            list(key.allowed_origins) if "allowed_origins" in paths else None,
            key.rate_limit_rpm if "rate_limit_rpm" in paths else None,
        )
        row = await self.keys.update(principal.current().org_id, agent_id, key_id, settings)
        return pb.UpdatePublishableKeyResponse(publishable_key=key_proto(row))

    async def RotatePublishableKey(
        self, request: pb.RotatePublishableKeyRequest, context: object
    ) -> pb.RotatePublishableKeyResponse:
        agent_id, key_id = key_name(request.name)
        row = await self.keys.rotate(principal.current().org_id, agent_id, key_id)
        return pb.RotatePublishableKeyResponse(publishable_key=key_proto(row))

    async def DeletePublishableKey(
        self, request: pb.DeletePublishableKeyRequest, context: object
    ) -> pb.DeletePublishableKeyResponse:
        agent_id, key_id = key_name(request.name)
        await self.keys.delete(principal.current().org_id, agent_id, key_id)
        return pb.DeletePublishableKeyResponse()

    # --- the widget's config -------------------------------------------------------------

    async def GetWidgetConfig(
        self, request: pb.GetWidgetConfigRequest, context: object
    ) -> pb.GetWidgetConfigResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        document = await self.configs.draft(principal.current().org_id, agent_id)
        return pb.GetWidgetConfigResponse(config=config_proto(document))

    async def UpdateWidgetConfig(
        self, request: pb.UpdateWidgetConfigRequest, context: object
    ) -> pb.UpdateWidgetConfigResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        document = await self.configs.update(
            principal.current().org_id, agent_id, config_document(request.config)
        )
        return pb.UpdateWidgetConfigResponse(config=config_proto(document))

    async def GetWidgetEmbed(
        self, request: pb.GetWidgetEmbedRequest, context: object
    ) -> pb.GetWidgetEmbedResponse:
        agent_id = resource_id(request.parent, "agents", "parent")
        if not request.publishable_key_id:
            raise InvalidArgument("is required", field="publishable_key_id")
        snippet, key = await self.configs.embed(
            principal.current().org_id,
            agent_id,
            request.publishable_key_id,
            request.widget_base_url,
        )
        return pb.GetWidgetEmbedResponse(script_snippet=snippet, publishable_key=key)

    # --- public ----------------------------------------------------------------------------

    async def GetWidgetBootstrap(
        self, request: pb.GetWidgetBootstrapRequest, context: object
    ) -> pb.GetWidgetBootstrapResponse:
        published = await self.public.bootstrap(storefront())
        meta = struct_pb2.Struct()
        meta.update(published.agent_meta)
        return pb.GetWidgetBootstrapResponse(agent_meta=meta, config=config_proto(published.config))

    async def CreateWidgetSession(
        self, request: pb.CreateWidgetSessionRequest, context: object
    ) -> pb.CreateWidgetSessionResponse:
        opened = await self.public.open_session(storefront(), request.visitor_token)
        return pb.CreateWidgetSessionResponse(
            conversation_id=opened.conversation_id, visitor_token=opened.visitor_token
        )

    async def StreamWidgetMessage(
        self, request: pb.StreamWidgetMessageRequest, context: object
    ) -> AsyncIterator[pb.StreamWidgetMessageResponse]:
        pieces = self.public.message(
            storefront(), request.visitor_token, request.content, request.client_message_id
        )
        # As StreamMessage, with only what a shopper's browser may see of each event.
        async with contextlib.aclosing(pieces):
            async for piece in pieces:
                yield pb.StreamWidgetMessageResponse(**streamed_piece(piece, public_event))

    async def WatchWidgetSession(
        self, request: pb.WatchWidgetSessionRequest, context: object
    ) -> AsyncIterator[pb.WatchWidgetSessionResponse]:
        async for row in self.public.watch(storefront(), request.visitor_token, request.after_seq):
            if row is None:
                yield pb.WatchWidgetSessionResponse(heartbeat=chat_pb.Heartbeat())
            else:
                yield pb.WatchWidgetSessionResponse(event=public_event(row))
