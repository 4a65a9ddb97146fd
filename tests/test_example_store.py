"""The repo's copy of the example store is the product's shared one."""

from __future__ import annotations

import pytest

from tests.example_store import SHARED_STORE_EXAMPLE, STORE_EXAMPLE


def test_the_copy_matches_the_shared_example_store() -> None:
    if not SHARED_STORE_EXAMPLE.exists():
        pytest.skip("no shared/ folder beside this clone")
    assert STORE_EXAMPLE.read_bytes() == SHARED_STORE_EXAMPLE.read_bytes(), (
        "shared/fixtures/store-example.json changed: copy it to tests/fixtures/"
    )
