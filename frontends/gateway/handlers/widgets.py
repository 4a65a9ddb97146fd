"""The storefront widget's team side: publishable keys, the widget config, the embed
snippet. (The public routes a storefront calls are the widget frontend's, not these.)"""

from __future__ import annotations

import os
from typing import Any

from flowyte.v1 import widget_service_pb2 as pb
from frontends.gateway.handlers.agents import agent_name
from frontends.gateway.operation import Call, Page
from frontends.gateway.shapes import from_rest, to_rest, update_mask_paths

# Where the widget frontend is reachable from storefronts; the snippet's script src.
WIDGET_URL_VARIABLE = "FLOWYTE_WIDGET_URL"


def key_name(call: Call) -> str:
    return f"{agent_name(call)}/publishableKeys/{call.params['kid']}"


async def create_key(call: Call) -> Any:
    reply = await call.client.widget.CreatePublishableKey(
        pb.CreatePublishableKeyRequest(
            parent=agent_name(call), publishable_key=from_rest(call.body, pb.PublishableKey)
        ),
        metadata=call.metadata,
    )
    return to_rest(reply.publishable_key)


async def list_keys(call: Call) -> Page:
    reply = await call.client.widget.ListPublishableKeys(
        pb.ListPublishableKeysRequest(
            parent=agent_name(call), page_size=call.page_size, page_token=call.page_token
        ),
        metadata=call.metadata,
    )
    return Page([to_rest(k) for k in reply.publishable_keys], reply.next_page_token or None)


async def get_key(call: Call) -> Any:
    reply = await call.client.widget.GetPublishableKey(
        pb.GetPublishableKeyRequest(name=key_name(call)), metadata=call.metadata
    )
    return to_rest(reply.publishable_key)


async def update_key(call: Call) -> Any:
    key = from_rest(call.body, pb.PublishableKey)
    key.name = key_name(call)
    request = pb.UpdatePublishableKeyRequest(publishable_key=key)
    request.update_mask.paths.extend(update_mask_paths(call.body, pb.PublishableKey.DESCRIPTOR))
    reply = await call.client.widget.UpdatePublishableKey(request, metadata=call.metadata)
    return to_rest(reply.publishable_key)


async def rotate_key(call: Call) -> Any:
    reply = await call.client.widget.RotatePublishableKey(
        pb.RotatePublishableKeyRequest(name=key_name(call)), metadata=call.metadata
    )
    return to_rest(reply.publishable_key)


async def delete_key(call: Call) -> Any:
    await call.client.widget.DeletePublishableKey(
        pb.DeletePublishableKeyRequest(name=key_name(call)), metadata=call.metadata
    )
    return {"id": call.params["kid"], "deleted": True}


async def get_config(call: Call) -> Any:
    reply = await call.client.widget.GetWidgetConfig(
        pb.GetWidgetConfigRequest(parent=agent_name(call)), metadata=call.metadata
    )
    return _config(reply.config)


async def replace_config(call: Call) -> Any:
    reply = await call.client.widget.UpdateWidgetConfig(
        pb.UpdateWidgetConfigRequest(
            parent=agent_name(call), config=from_rest(call.body, pb.WidgetConfig)
        ),
        metadata=call.metadata,
    )
    return _config(reply.config)


async def get_embed(call: Call) -> Any:
    # ?widgetBaseUrl= names it; else the deployment's widget frontend; else this host.
    base = (
        call.query.get("widgetBaseUrl")
        or os.environ.get(WIDGET_URL_VARIABLE, "")
        or str(call.http.url.origin())
    )
    reply = await call.client.widget.GetWidgetEmbed(
        pb.GetWidgetEmbedRequest(
            parent=agent_name(call),
            publishable_key_id=call.query.get("publishableKeyId", ""),
            widget_base_url=base,
        ),
        metadata=call.metadata,
    )
    return to_rest(reply)


def _config(config: pb.WidgetConfig) -> dict[str, Any]:
    # Every section always present ({} when unset): the widget's defaults fill the rest.
    return {section: value or {} for section, value in to_rest(config).items()}
