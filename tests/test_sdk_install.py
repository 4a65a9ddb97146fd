"""The client SDK is only a client: `pip install ./clients` brings grpcio and protobuf alone,
and the SDK's tests pass in that environment, away from the repository's server code."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from flowyte.roles import parse_ready
from tests.serving import REPO, clean_env

SDK_TESTS = REPO / "tests" / "sdk"
INSTALL_TIMEOUT = 300


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=INSTALL_TIMEOUT,
    )
    assert done.returncode == 0, f"{' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def sdk_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment holding the SDK as `pip install ./clients` installs it (a copy,
    not a link to the repository). Returns its bin folder."""
    home = tmp_path_factory.mktemp("sdk-only")
    _run(sys.executable, "-m", "venv", home / "venv", cwd=home)
    bin_dir = home / "venv" / "bin"
    # From a copy: a build writes its build/ and egg-info beside the sources.
    source = shutil.copytree(
        REPO / "clients",
        home / "clients",
        ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"),
    )
    _run(bin_dir / "pip", "install", "--quiet", source, cwd=home)
    return bin_dir


def _installed(bin_dir: Path) -> set[str]:
    listed = json.loads(_run(bin_dir / "pip", "list", "--format", "json", cwd=bin_dir))
    return {_name(p["name"]) for p in listed} - {"pip", "setuptools", "wheel"}


def _requires(bin_dir: Path, package: str) -> set[str]:
    shown = _run(bin_dir / "pip", "show", package, cwd=bin_dir)
    line = next(x for x in shown.splitlines() if x.startswith("Requires:"))
    return {_name(r) for r in line.removeprefix("Requires:").split(",") if r.strip()}


def _name(distribution: str) -> str:
    return distribution.strip().lower().replace("_", "-")


def test_the_sdk_installs_with_grpcio_and_protobuf_only(sdk_only: Path) -> None:
    assert _requires(sdk_only, "flowyte") == {"grpcio", "protobuf"}
    # Nothing else came with it but what grpcio and protobuf need themselves.
    their_own = _requires(sdk_only, "grpcio") | _requires(sdk_only, "protobuf")
    assert _installed(sdk_only) - their_own == {"flowyte", "grpcio", "protobuf"}


def test_the_sdks_tests_pass_with_the_sdk_alone(sdk_only: Path, tmp_path: Path) -> None:
    # Copied out of the repository: nothing but the installed SDK can be imported there.
    suite = tmp_path / "sdk_tests"
    shutil.copytree(SDK_TESTS, suite, ignore=shutil.ignore_patterns("__pycache__"))
    _run(sdk_only / "pip", "install", "--quiet", "pytest", "pytest-asyncio", cwd=tmp_path)
    ran = _run(
        sdk_only / "python",
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "-o",
        "asyncio_mode=auto",
        "--rootdir",
        suite,
        suite,
        cwd=tmp_path,
    )
    assert " passed" in ran and "failed" not in ran, ran


@pytest.fixture
def core_by_name(tmp_path: Path) -> Iterator[dict[str, object]]:
    """`python -m core --demo` from the full install: where it answers, and its demo key."""
    process = subprocess.Popen(
        [sys.executable, "-m", "core", "--demo", "--grpc-port", "0", "--data-dir", tmp_path],
        cwd=REPO,
        env=clean_env(),
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        for line in process.stdout:
            if (ready := parse_ready(line)) is not None:
                yield ready
                break
        else:
            pytest.fail(f"the core exited ({process.wait()}) before it was ready")
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_sdk_alone_talks_to_a_core(sdk_only: Path, core_by_name: dict, tmp_path: Path) -> None:
    demo = core_by_name["demo"]
    script = (
        "import asyncio, sys\n"
        "from flowyte import FlowyteClient\n"
        "from flowyte.v1 import agent_service_pb2 as pb\n"
        "async def main():\n"
        "    async with FlowyteClient(sys.argv[1], sys.argv[2]) as client:\n"
        "        listed = await client.agents.ListAgents(pb.ListAgentsRequest())\n"
        "        print(','.join(a.id for a in listed.agents))\n"
        "asyncio.run(main())\n"
    )
    out = _run(
        sdk_only / "python", "-c", script, core_by_name["grpc"], demo["apiKey"], cwd=tmp_path
    )
    assert demo["agentId"] in out.strip().split(",")


def test_the_command_without_the_server_says_what_is_missing(sdk_only: Path) -> None:
    assert "serve" in _run(sdk_only / "flowyte", "--help", cwd=sdk_only)
    done = subprocess.run(
        [sdk_only / "flowyte", "keys", "create", "--scopes", "all"],
        capture_output=True,
        text=True,
        cwd=sdk_only,
        timeout=60,
    )
    assert done.returncode == 2
    assert "python -m core" in done.stderr and "not installed here" in done.stderr
