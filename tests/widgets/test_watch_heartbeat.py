"""The core's watch heartbeat is a setting (FLOWYTE_WATCH_HEARTBEAT_S, 15 s by default):
an idle widget session's watch and the team inbox's watch both send heartbeats at that
pace, which the widget frontend forwards to the browser; a bad value is refused by name."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from core.config import Settings
from flowyte.clock import FixedClock
from flowyte.v1 import handoff_service_pb2 as handoff_pb
from flowyte.v1 import handoff_service_pb2_grpc as handoff_grpc
from flowyte.v1 import widget_service_pb2 as pb
from tests.conftest import BACKENDS, CoreFixture, serving_core
from tests.conversations.conftest import ScriptedBrain

from .conftest import new_shop, public

BEAT = 0.3


@pytest.fixture(params=BACKENDS)
async def quick_core(
    request: pytest.FixtureRequest, tmp_path: Path, master_key: str, clock: FixedClock
) -> AsyncIterator[CoreFixture]:
    async with serving_core(
        request,
        tmp_path,
        master_key,
        settings={"watch_heartbeat_s": BEAT},
        clock=clock,
        brain=ScriptedBrain(),
    ) as served:
        yield served


async def beats(stream: Any, count: int) -> float:
    """Seconds until `count` heartbeats came, with nothing else between them."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    for _ in range(count):
        piece = await asyncio.wait_for(anext(aiter(stream)), 10)
        assert piece.WhichOneof("kind") == "heartbeat", piece
    return loop.time() - started


async def test_idle_watches_beat_at_the_configured_pace(quick_core: CoreFixture) -> None:
    async with quick_core.channel() as channel:
        shop = await new_shop(quick_core, channel)
        key = (await shop.new_key()).key_public
        opened = await shop.stub.CreateWidgetSession(
            pb.CreateWidgetSessionRequest(), metadata=public(key)
        )
        watch = shop.stub.WatchWidgetSession(
            pb.WatchWidgetSessionRequest(visitor_token=opened.visitor_token),
            metadata=public(key),
        )
        inbox = handoff_grpc.HandoffServiceStub(channel).WatchHandoffs(
            handoff_pb.WatchHandoffsRequest(), metadata=shop.auth()
        )
        # Three beats each, far sooner than the default's first one would come.
        waited = await asyncio.gather(beats(watch, 3), beats(inbox, 3))
        assert all(2 * BEAT <= seconds < 10 for seconds in waited), waited
        watch.cancel()
        inbox.cancel()


def test_the_setting_is_read_from_the_environment_and_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("FLOWYTE_WATCH_HEARTBEAT_S", raising=False)
    assert Settings.from_env().watch_heartbeat_s == 15.0
    monkeypatch.setenv("FLOWYTE_WATCH_HEARTBEAT_S", "2.5")
    assert Settings.from_env().watch_heartbeat_s == 2.5
    for bad in ("soon", "0", "-1", "nan", "inf"):
        monkeypatch.setenv("FLOWYTE_WATCH_HEARTBEAT_S", bad)
        with pytest.raises(ValueError, match="FLOWYTE_WATCH_HEARTBEAT_S") as refused:
            Settings.from_env()
        assert "seconds" in str(refused.value)
