"""A real demo store over real HTTP, a real core, and an integration connected between them."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

import flowyte.v1.integration_service_pb2 as pb
import flowyte.v1.integration_service_pb2_grpc as pb_grpc
from core.shopify.client import ClientOptions
from core.shopify.lookup import OrderLookup
from core.store.tables import IntegrationRow
from demostore import DemoStoreHandle, start_demo_store
from tests.conftest import CoreFixture
from tests.core.helpers import auth

from .fixtures import store_example

SHOP = "example-outfitters.myshopify.com"
CLIENT_ID = "flowyte-test-client"
CLIENT_SECRET = "shpss_test_secret_0123456789"

# Small backoffs so failure paths take milliseconds, not seconds. The per-attempt timeout
# stays generous: the demo store shares the test's event loop, and on a loaded CI machine
# an answer can take longer than half a second; a test about timeouts sets its own.
FAST = ClientOptions(
    connect_timeout=2.0,
    total_timeout=5.0,
    deadline=10.0,
    backoff_base=0.01,
    backoff_cap=0.05,
    breaker_threshold=50,
    breaker_cooldown=0.3,
)


def store_data(**changes: Any) -> dict[str, Any]:
    """The shared example store, with an OAuth client for client-credentials tests."""
    doc = store_example()
    doc["clients"] = [{"clientId": CLIENT_ID, "clientSecret": CLIENT_SECRET}]
    doc.update(changes)
    return doc


StartStore = Callable[..., Awaitable[DemoStoreHandle]]


@pytest.fixture
async def demo_store() -> AsyncIterator[StartStore]:
    handles: list[DemoStoreHandle] = []

    async def start(data: dict[str, Any] | None = None, **options: Any) -> DemoStoreHandle:
        handle = await start_demo_store(store_data() if data is None else data, **options)
        handles.append(handle)
        return handle

    yield start
    for handle in handles:
        await handle.stop()


async def control(handle: DemoStoreHandle, method: str, path: str, body: Any = None) -> Any:
    """The demo store's loopback control API (`/_demo/...`)."""
    async with (
        aiohttp.ClientSession() as session,
        session.request(method, f"{handle.url}/_demo/{path}", json=body) as response,
    ):
        assert response.status < 300, (response.status, await response.text())
        return await response.json()


async def set_faults(handle: DemoStoreHandle, **faults: Any) -> None:
    await control(handle, "PATCH", "faults", faults)


@dataclass
class Connected:
    core: CoreFixture
    store: DemoStoreHandle
    org_id: str
    key: str
    lookup: OrderLookup

    @property
    def client(self):  # the lookup's ShopifyClient
        return self.lookup.client

    async def row(self) -> IntegrationRow:
        async with self.core.handle.runtime.sessions() as session:
            row = await session.scalar(
                select(IntegrationRow).where(IntegrationRow.org_id == self.org_id)
            )
        assert row is not None
        return row

    async def status(self) -> str:
        return (await self.row()).status

    async def integration_id(self) -> str:
        return (await self.row()).id

    async def integration(self) -> pb.Integration:
        """The integration as the merchant sees it (GetIntegration)."""
        async with self.core.channel() as channel:
            got = await pb_grpc.IntegrationServiceStub(channel).GetIntegration(
                pb.GetIntegrationRequest(name="integrations/shopify"), metadata=auth(self.key)
            )
        return got.integration

    async def api_status(self) -> int:
        return (await self.integration()).status


async def connect(
    core: CoreFixture,
    store: DemoStoreHandle,
    *,
    token: str | None = None,
    client_id: str | None = None,
    client_secret: str | None = None,
    options: ClientOptions = FAST,
    base_url: str | None = None,
    api_version: str = "",
) -> Connected:
    """Connect the org's Shopify integration through the gRPC API, as a merchant would."""
    key = await core.new_org_key()
    org_id = await core.org_of(key)
    if client_id:
        credentials = pb.IntegrationCredentials(
            shop=SHOP,
            client_credentials=pb.ClientCredentials(
                client_id=client_id, client_secret=client_secret or ""
            ),
        )
    else:
        credentials = pb.IntegrationCredentials(shop=SHOP, access_token=token or store.access_token)
    async with core.channel() as channel:
        await pb_grpc.IntegrationServiceStub(channel).ConnectIntegration(
            pb.ConnectIntegrationRequest(
                kind=pb.INTEGRATION_KIND_SHOPIFY,
                api_base_url=base_url or store.url,
                credentials=credentials,
                api_version=api_version,
            ),
            metadata=auth(key),
        )
    return Connected(core, store, org_id, key, OrderLookup(core.handle.runtime, options=options))
