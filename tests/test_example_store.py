"""The repo's copy of the example store is the product's shared one, plus when it was written."""

from __future__ import annotations

import json

import pytest

from tests.example_store import SHARED_STORE_EXAMPLE, STORE_EXAMPLE


def test_the_copy_matches_the_shared_example_store() -> None:
    if not SHARED_STORE_EXAMPLE.exists():
        pytest.skip("no shared/ folder beside this clone")
    copy = json.loads(STORE_EXAMPLE.read_text(encoding="utf-8"))
    # The copy says when it was written, so the demo store moves it to the present on load.
    assert copy.pop("asOf") == "2026-11-27T15:00:00Z"
    assert copy == json.loads(SHARED_STORE_EXAMPLE.read_text(encoding="utf-8")), (
        "shared/fixtures/store-example.json changed: copy it to tests/fixtures/ (keep asOf)"
    )
