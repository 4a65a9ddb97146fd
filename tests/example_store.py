"""The example store of ../shared/fixtures, copied into the repo so a clone tests alone."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

STORE_EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "store-example.json"
# Where the product's shared copy lives, beside the repo (the steering folder).
SHARED_STORE_EXAMPLE = (
    Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "store-example.json"
)

# When the example store and the bundled demo data say they were written (their "asOf"). A
# store whose clock is pinned here serves their dates exactly as written.
AS_OF = datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
