"""The example store of ../shared/fixtures, copied into the repo so a clone tests alone."""

from __future__ import annotations

from pathlib import Path

STORE_EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "store-example.json"
# Where the product's shared copy lives, beside the repo (the steering folder).
SHARED_STORE_EXAMPLE = (
    Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "store-example.json"
)
