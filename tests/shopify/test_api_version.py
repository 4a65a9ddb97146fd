"""The Admin API version is a setting of the integration (Flowyte's own, 2026-10, unless the
merchant chose one), and the version the store answered in is recorded where the merchant
sees it: Shopify answers a version it no longer supports in the oldest one it does."""

from __future__ import annotations

from typing import Any

import pytest

import flowyte.v1.integration_service_pb2 as pb
import flowyte.v1.integration_service_pb2_grpc as pb_grpc
from core.shopify.queries import DEFAULT_API_VERSION
from core.shopify.transport import answered_version
from demostore import server as demo_server
from tests.core.helpers import auth

from .conftest import SHOP, connect
from .real_schema import SCHEMA_VERSION


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The versions the demo store was asked for, in the URL path."""
    seen: list[str] = []
    original = demo_server.answering_version

    def recording(version: str) -> Any:
        seen.append(version)
        return original(version)

    monkeypatch.setattr(demo_server, "answering_version", recording)
    return seen


def test_the_default_is_the_version_the_queries_are_checked_against() -> None:
    assert DEFAULT_API_VERSION == SCHEMA_VERSION == "2026-10"


async def test_lookups_ask_for_flowytes_version_unless_told(core, demo_store, asked):
    shop = await connect(core, await demo_store())
    before = await shop.integration()
    assert (before.api_version, before.answered_api_version) == ("2026-10", "")
    assert await shop.lookup.by_name(shop.org_id, "1001")
    assert set(asked) == {"2026-10"}
    assert (await shop.integration()).answered_api_version == "2026-10"


async def test_a_chosen_version_is_asked_for_and_answered(core, demo_store, asked):
    shop = await connect(core, await demo_store(), api_version="2026-07")
    assert await shop.lookup.by_name(shop.org_id, "1001")
    assert set(asked) == {"2026-07"}
    after = await shop.integration()
    assert (after.api_version, after.answered_api_version) == ("2026-07", "2026-07")


async def test_an_unsupported_version_is_answered_in_another_and_that_is_recorded(
    core, demo_store, asked
):
    shop = await connect(core, await demo_store(), api_version="2025-01")
    assert await shop.lookup.by_name(shop.org_id, "1001")
    assert set(asked) == {"2025-01"}
    after = await shop.integration()
    assert (after.api_version, after.answered_api_version) == ("2025-01", "2026-01")
    assert await shop.status() == "connected"  # it works; the prepublish report warns


async def test_reconnecting_forgets_what_the_old_connection_was_answered_in(core, demo_store):
    store = await demo_store()
    shop = await connect(core, store, api_version="2025-01")
    await shop.lookup.by_name(shop.org_id, "1001")
    assert (await shop.integration()).answered_api_version == "2026-01"
    async with core.channel() as channel:
        await pb_grpc.IntegrationServiceStub(channel).ConnectIntegration(
            pb.ConnectIntegrationRequest(
                kind=pb.INTEGRATION_KIND_SHOPIFY,
                api_base_url=store.url,
                credentials=pb.IntegrationCredentials(shop=SHOP, access_token=store.access_token),
            ),
            metadata=auth(shop.key),
        )
    reconnected = await shop.integration()
    assert (reconnected.api_version, reconnected.answered_api_version) == ("2026-10", "")
    await shop.lookup.by_name(shop.org_id, "1001")
    assert (await shop.integration()).answered_api_version == "2026-10"


@pytest.mark.parametrize(
    ("header", "kept"),
    [("2026-10", "2026-10"), ("unstable", "unstable"), ("", None), ("<b>2026-10</b>", None)],
)
def test_only_a_version_is_kept_from_the_header(header: str, kept: str | None) -> None:
    assert answered_version({"X-Shopify-API-Version": header}) == kept
