"""OrderLookup: an organization's order, from its own connected store, as OrderStatus.

Per lookup: read the org's Shopify integration row, open its sealed credentials, ask the
store (ShopifyClient) in the integration's Admin API version, and keep the row in step with
what the store said: an outcome that names an integration status (needs_credential,
unavailable, misconfigured) is written, and a successful answer puts it back to connected and
records the API version the store answered in. The write is conditional on the row's
credentials being the ones we used, so a merchant who reconnects mid-lookup is never marked
with the verdict on their old credentials.

Every lookup goes to the live store; nothing here caches orders. Make one OrderLookup per
runtime and keep it: it holds the per-shop budget, circuit and exchanged tokens.

Credentials are opened into a StoreCredentials (which redacts itself) and go nowhere but the
HTTP layer; log lines name the integration and shop only.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select, update

from core.domain.errors import VaultError
from core.domain.order_status import OrderStatus
from core.domain.prepublish import StoreCheck
from core.domain.store_errors import (
    CONNECTED,
    StoreCredentialRejected,
    StoreNotConnected,
    StoreOutcome,
)
from core.runtime import Runtime
from core.store.tables import IntegrationRow
from core.vault import associated_data

from .client import ClientOptions, ShopifyClient
from .connection import StoreConnection, StoreCredentials

log = logging.getLogger(__name__)

KIND = "shopify"
T = TypeVar("T")


@dataclass(frozen=True)
class _RowVersion:
    """The integration row as this lookup read it: what a status write is conditional on."""

    id: str
    org_id: str
    status: str
    status_reason: str
    sealed: str
    answered_api_version: str


class OrderLookup:
    def __init__(
        self,
        runtime: Runtime,
        client: ShopifyClient | None = None,
        options: ClientOptions | None = None,
    ):
        self.runtime = runtime
        self.client = client or ShopifyClient(runtime.http_session, options)

    def __repr__(self) -> str:
        return f"OrderLookup({self.client!r})"

    async def by_name(self, org_id: str, order_name: str) -> list[OrderStatus]:
        """The org's orders named exactly `order_name` ("#1001", "1001", "#1001-A"): usually
        one, none when there is no such order. Raises a StoreOutcome when the store cannot
        answer."""
        return await self._lookup(org_id, lambda c: self.client.orders_by_name(c, order_name))

    async def check(self, org_id: str) -> StoreCheck:
        """What a merchant's check that lookups will work shows: the store's name, the API
        version it answered in and the app's access scopes, asked of the store itself with
        the access an order lookup needs. Raises the StoreOutcome a lookup would, and keeps
        the integration's status in step the same way."""
        return await self._lookup(org_id, self.client.check)

    async def _lookup(self, org_id: str, call: Callable[[StoreConnection], Awaitable[T]]) -> T:
        row, connection = await self._integration(org_id)
        try:
            answer = await call(connection)
        except StoreOutcome as outcome:
            if outcome.integration_status is not None:
                await self._record(row, outcome.integration_status, outcome.reason)
            raise
        await self._record(row, CONNECTED, "", self.client.answered_version(connection))
        return answer

    async def _integration(self, org_id: str) -> tuple[_RowVersion, StoreConnection]:
        # Where the read cache is on (one serving core on SQLite), the opened credentials
        # stay in this process until the row changes; elsewhere every lookup reads the row.
        found = await self.runtime.cache.get_or_load(
            "integration", (org_id, KIND), lambda: self._open_integration(org_id)
        )
        assert found is not None
        return found

    async def _open_integration(self, org_id: str) -> tuple[_RowVersion, StoreConnection]:
        async with self.runtime.sessions() as session:
            row = await session.scalar(
                select(IntegrationRow).where(
                    IntegrationRow.org_id == org_id, IntegrationRow.kind == KIND
                )
            )
        if row is None:
            raise StoreNotConnected("no Shopify store is connected")
        version = _RowVersion(
            row.id,
            org_id,
            row.status,
            row.status_reason,
            row.sealed_credentials,
            row.answered_api_version,
        )
        try:
            opened = json.loads(
                self.runtime.sealer.open(
                    row.sealed_credentials, associated_data("integration", org_id, row.id)
                )
            )
            if not isinstance(opened, dict):
                raise ValueError("sealed credentials are not a JSON object")
        except (VaultError, ValueError):
            log.error("shopify integration %s: its sealed credentials do not open", row.id)
            # Reconnecting seals them afresh under a current key: that is the merchant's fix.
            outcome = StoreCredentialRejected(
                "the stored credentials could not be opened; reconnect the store",
                "STORE_CREDENTIAL_UNREADABLE",
            )
            await self._record(version, outcome.integration_status or "", outcome.reason)
            raise outcome from None
        credentials = StoreCredentials(
            access_token=str(opened.get("access_token") or ""),
            client_id=str(opened.get("client_id") or ""),
            client_secret=str(opened.get("client_secret") or ""),
        )
        generation = hashlib.sha256(row.sealed_credentials.encode()).hexdigest()[:16]
        connection = StoreConnection.for_shop(
            row.id, row.shop, credentials, row.api_base_url, generation, row.api_version
        )
        return version, connection

    async def _record(
        self,
        integration: _RowVersion,
        status: str,
        reason: str,
        answered_api_version: str | None = None,
    ) -> None:
        """Writes the status and why (the outcome's reason, "" when connected), and the API
        version the store answered in when it said one, where any of them changed."""
        changes: dict[str, str] = {}
        if status and (integration.status, integration.status_reason) != (status, reason):
            changes["status"], changes["status_reason"] = status, reason
        if answered_api_version and integration.answered_api_version != answered_api_version:
            changes["answered_api_version"] = answered_api_version
        if not changes:
            return
        async with self.runtime.sessions() as session:
            result = await session.execute(
                update(IntegrationRow)
                .where(
                    IntegrationRow.id == integration.id,
                    IntegrationRow.org_id == integration.org_id,
                    IntegrationRow.sealed_credentials == integration.sealed,
                )
                .values(**changes, updated_ms=self.runtime.now_ms())
            )
            await session.commit()
        if result.rowcount:  # type: ignore[attr-defined]
            log.info("shopify integration %s: now %s", integration.id, changes)
