"""Everything one running demo store holds: its data, schema, credentials, rate-limit
buckets and faults. Tests reach it as `handle.store`."""

from __future__ import annotations

import copy
from typing import Any

from graphql import GraphQLSchema

from demostore.access import Access
from demostore.auth import DEFAULT_TOKEN_TTL, Credentials
from demostore.cost import (
    DEFAULT_BUCKET_CAPACITY,
    DEFAULT_RESTORE_RATE,
    SINGLE_QUERY_MAX_COST,
    Buckets,
)
from demostore.data import StoreData
from demostore.faults import FaultDice, Faults
from demostore.schema import build_store_schema
from demostore.store_file import Json, check_store, moved_to
from flowyte.clock import Clock, process_clock


class DemoStore:
    """`fixed_dates` serves the file's own dates; otherwise a file that says when it was
    written (`asOf`) is moved to the present on every load and reset."""

    def __init__(
        self,
        doc: Json,
        *,
        bucket_capacity: float = DEFAULT_BUCKET_CAPACITY,
        restore_rate: float = DEFAULT_RESTORE_RATE,
        max_query_cost: int = SINGLE_QUERY_MAX_COST,
        token_ttl: float = DEFAULT_TOKEN_TTL,
        faults: Faults | None = None,
        seed: int | None = None,
        clock: Clock | None = None,
        fixed_dates: bool = False,
    ) -> None:
        self._original = check_store(doc)
        self._token_ttl = token_ttl
        self.clock = clock or process_clock()
        self.fixed_dates = fixed_dates
        self.data = StoreData(self._loaded(), self.clock)
        self.credentials = Credentials(self.data.access_tokens, self.data.clients, token_ttl)
        self.buckets = Buckets(bucket_capacity, restore_rate, max_query_cost)
        self.faults = faults or Faults()
        self._initial_faults = copy.deepcopy(self.faults)
        self.dice = FaultDice(self.faults, seed)
        self._schema = build_store_schema(self.data.extra_enum_values())
        self._extras = self.data.extra_enum_values()
        self._schema_for = (id(self.data), self.data.version)

    def _loaded(self) -> Json:
        """The file's data as the store serves it from now on."""
        if self.fixed_dates:
            return copy.deepcopy(self._original)
        return moved_to(self._original, self.clock.now())

    def access_for(self, app: str) -> Access:
        """What `app` may read now: its own scopes unless the faults narrow them."""
        scopes = self.faults.scopes
        return Access(
            tuple(scopes) if scopes is not None else self.credentials.scopes_of(app),
            customer_data=not self.faults.customerDataDenied,
        )

    @property
    def access_tokens(self) -> list[str]:
        return list(self.data.access_tokens)

    def schema(self) -> GraphQLSchema:
        """The schema for the data as it is now (rebuilt only when a change brings an enum
        value Shopify has not published)."""
        key = (id(self.data), self.data.version)
        if self._schema_for != key:
            extras = self.data.extra_enum_values()
            if extras != self._extras:
                self._schema, self._extras = build_store_schema(extras), extras
            self._schema_for = key
        return self._schema

    def reset(self) -> None:
        """Back to the data and faults the store started with; buckets full."""
        self.data = StoreData(self._loaded(), self.clock)
        self.credentials = Credentials(self.data.access_tokens, self.data.clients, self._token_ttl)
        self.buckets.reset()
        self.faults.reset()
        self.faults.update(self._initial_faults.to_dict())

    def describe(self) -> dict[str, Any]:
        return {
            "asOf": self.data.as_of,
            "shop": self.data.shop,
            "orders": self.data.orders,
            "faults": self.faults.to_dict(),
            "buckets": {
                "maximumAvailable": self.buckets.capacity,
                "restoreRate": self.buckets.restore_rate,
                "singleQueryMaxCost": self.buckets.single_query_limit,
                "apps": self.buckets.snapshot(),
            },
            "credentials": self.credentials.describe(),
            "extraEnumValues": {k: list(v) for k, v in self.data.extra_enum_values().items()},
        }
