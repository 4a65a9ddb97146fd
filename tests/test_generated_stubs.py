"""The committed stubs in clients/flowyte/v1 are exactly what scripts/generate_stubs.py makes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "clients" / "flowyte" / "v1"


def _stub_files(folder: Path) -> dict[str, bytes]:
    return {
        path.name: path.read_bytes()
        for path in sorted(folder.iterdir())
        if path.is_file() and path.suffix in {".py", ".pyi"}
    }


def test_committed_stubs_match_a_fresh_generation(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "generate_stubs.py"), str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"generate_stubs.py failed:\n{result.stdout}{result.stderr}"

    fresh = _stub_files(tmp_path / "flowyte" / "v1")
    committed = _stub_files(COMMITTED)
    assert fresh, "the generator produced no files"

    missing = sorted(set(fresh) - set(committed))
    extra = sorted(set(committed) - set(fresh))
    stale = sorted(name for name in set(fresh) & set(committed) if fresh[name] != committed[name])
    problems = []
    if stale:
        problems.append(f"stale: {', '.join(stale)}")
    if missing:
        problems.append(f"not committed: {', '.join(missing)}")
    if extra:
        problems.append(f"no longer generated: {', '.join(extra)}")
    assert not problems, (
        "clients/flowyte/v1 differs from protos/ ("
        + "; ".join(problems)
        + "). Run `make stubs` and commit the result."
    )
