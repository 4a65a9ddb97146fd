"""The example store (tests/fixtures/store-example.json), as the tests read it."""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from tests.example_store import STORE_EXAMPLE

# What each example order must read as (order name → overall state).
EXPECTED_STATES = {
    "#1001": "in_transit",
    "#1002": "delivered",
    "#1003": "processing",
    "#1004": "failed",
    "#1005": "cancelled",
    "#1006": "partially_fulfilled",
    "#1007": "delayed",
    "#1008": "attempted_delivery",
}


@cache
def _example() -> str:
    return STORE_EXAMPLE.read_text(encoding="utf-8")


def store_example() -> dict[str, Any]:
    """A fresh deep copy each call: tests may edit it."""
    return copy.deepcopy(json.loads(_example()))


def example_order(name: str) -> dict[str, Any]:
    return next(o for o in store_example()["orders"] if o["name"] == name)
