"""The demo store: a local stand-in for a Shopify store's Admin GraphQL API.

It speaks Shopify's API (the same schema names, search syntax, calculated query cost and
leaky bucket, errors and OAuth client credentials grant) over orders loaded from a JSON
file, and can inject faults and take live changes through a loopback-only control API.

    handle = await start_demo_store(path_or_dict, port=0)
    handle.graphql_url("2026-10"), handle.access_token, handle.store
    await handle.stop()

Imports are lazy, so `flowyte --help` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from demostore.cli import run
    from demostore.data import StoreData
    from demostore.faults import Faults
    from demostore.server import (
        DEFAULT_API_VERSION,
        DemoStoreHandle,
        start_demo_store,
    )
    from demostore.state import DemoStore
    from demostore.store_file import DemoStoreDataError, bundled_data_path, load_store_file

_EXPORTS = {
    "DEFAULT_API_VERSION": "demostore.server",
    "DemoStore": "demostore.state",
    "DemoStoreDataError": "demostore.store_file",
    "DemoStoreHandle": "demostore.server",
    "Faults": "demostore.faults",
    "StoreData": "demostore.data",
    "bundled_data_path": "demostore.store_file",
    "load_store_file": "demostore.store_file",
    "run": "demostore.cli",
    "start_demo_store": "demostore.server",
}

__all__ = [
    "DEFAULT_API_VERSION",
    "DemoStore",
    "DemoStoreDataError",
    "DemoStoreHandle",
    "Faults",
    "StoreData",
    "bundled_data_path",
    "load_store_file",
    "run",
    "start_demo_store",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
