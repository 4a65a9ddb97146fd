"""A real core with the scripted brain on a fixed clock (rotation grace windows and rate
windows move with it), an organization with a published agent, and calling helpers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest

from flowyte.clock import FixedClock
from flowyte.v1 import widget_service_pb2 as pb
from flowyte.v1 import widget_service_pb2_grpc as pb_grpc
from tests.conftest import BACKENDS, CoreFixture, serving_core
from tests.conversations.conftest import ScriptedBrain, new_agent
from tests.core.helpers import auth

ORIGIN = "https://shop.example"


@pytest.fixture(params=BACKENDS)
async def widget_core(
    request: pytest.FixtureRequest, tmp_path: Path, master_key: str, clock: FixedClock
) -> AsyncIterator[CoreFixture]:
    async with serving_core(
        request, tmp_path, master_key, clock=clock, brain=ScriptedBrain()
    ) as served:
        yield served


@dataclass
class Shop:
    """An organization with a published agent, a secret key with every scope, and a
    WidgetService stub on a channel of its own."""

    core: CoreFixture
    key: str
    agent_id: str
    stub: pb_grpc.WidgetServiceStub

    @property
    def parent(self) -> str:
        return f"agents/{self.agent_id}"

    def auth(self) -> tuple[tuple[str, str], ...]:
        return auth(self.key)

    async def new_key(self, origins: list[str] | None = None, rpm: int = 0) -> pb.PublishableKey:
        response = await self.stub.CreatePublishableKey(
            pb.CreatePublishableKeyRequest(
                parent=self.parent,
                publishable_key=pb.PublishableKey(
                    display_name="storefront",
                    allowed_origins=origins or [ORIGIN],
                    rate_limit_rpm=rpm,
                ),
            ),
            metadata=self.auth(),
        )
        return response.publishable_key


def public(key: str, origin: str = ORIGIN, **extra: str) -> tuple[tuple[str, str], ...]:
    """The metadata the widget frontend sends on a shopper's behalf."""
    pairs: list[tuple[str, str]] = []
    if key:
        pairs.append(("x-flowyte-publishable-key", key))
    if origin:
        pairs.append(("x-flowyte-origin", origin))
    pairs.extend(extra.items())
    return tuple(pairs)


async def new_shop(core: CoreFixture, channel: grpc.aio.Channel, **settings: Any) -> Shop:
    key = await core.new_org_key()
    agent_id = await new_agent(core, key, **settings)
    return Shop(core, key, agent_id, pb_grpc.WidgetServiceStub(channel))


@pytest.fixture
async def channel(widget_core: CoreFixture) -> AsyncIterator[grpc.aio.Channel]:
    async with widget_core.channel() as opened:
        yield opened


@pytest.fixture
async def shop(widget_core: CoreFixture, channel: grpc.aio.Channel) -> Shop:
    return await new_shop(widget_core, channel)
