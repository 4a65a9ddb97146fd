"""The committed stubs in clients/flowyte/v1 are exactly what scripts/generate_stubs.py makes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "clients" / "flowyte" / "v1"


def _stub_files(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.suffix in {".py", ".pyi"} and "__pycache__" not in path.parts
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


def test_the_sdks_copy_of_googles_annotations_is_googles_own() -> None:
    """The stubs import field_behavior and resource from the SDK (which then needs no
    googleapis-common-protos); a process that also imports Google's package, as the server
    does through grpcio-status' dependencies, gets one and the same descriptors."""
    ours = (
        "from flowyte.v1 import agent_service_pb2\n"
        "from flowyte.v1.google_api import field_behavior_pb2 as ours, resource_pb2 as ours_r\n"
    )
    googles = "from google.api import field_behavior_pb2 as google, resource_pb2 as google_r\n"
    check = (
        "assert ours.DESCRIPTOR is google.DESCRIPTOR and ours_r.DESCRIPTOR is google_r.DESCRIPTOR\n"
        "field = agent_service_pb2.Agent.DESCRIPTOR.fields_by_name['create_time']\n"
        "assert google.OUTPUT_ONLY in field.GetOptions().Extensions[google.field_behavior]\n"
    )
    for code in (ours + googles + check, googles + ours + check):  # whichever comes first
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
