"""scripts/fetch_shopify_schema.py writes Shopify's file only when its sha256 is right."""

from __future__ import annotations

from pathlib import Path

import pytest

from .real_schema import FETCHER, SCHEMA_PATH

fetcher = FETCHER  # the script, loaded as a module


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    target, shared = tmp_path / "cache" / "admin.json.gz", tmp_path / "shared" / "admin.json.gz"
    monkeypatch.setattr(fetcher, "TARGET", target)
    monkeypatch.setattr(fetcher, "SHARED", shared)
    shared.parent.mkdir()
    return target, shared


def test_a_shared_copy_with_the_right_hash_is_used(paths: tuple[Path, Path]) -> None:
    target, shared = paths
    shared.write_bytes(SCHEMA_PATH.read_bytes())
    assert fetcher.fetch() is True
    assert target.read_bytes() == SCHEMA_PATH.read_bytes()
    assert fetcher.fetch() is False  # there and right: nothing to do


def test_a_tampered_copy_is_refused_and_nothing_is_written(paths: tuple[Path, Path]) -> None:
    target, shared = paths
    shared.write_bytes(SCHEMA_PATH.read_bytes() + b"\0")
    with pytest.raises(fetcher.FetchError, match=r"sha256 is .* expected f3b522f2"):
        fetcher.fetch()
    assert not target.exists()
    assert fetcher.main() == 1


def test_a_damaged_cached_file_is_replaced(paths: tuple[Path, Path]) -> None:
    target, shared = paths
    shared.write_bytes(SCHEMA_PATH.read_bytes())
    target.parent.mkdir()
    target.write_bytes(b"half a download")
    assert fetcher.fetch() is True
    assert target.read_bytes() == SCHEMA_PATH.read_bytes()
