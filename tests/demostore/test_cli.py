"""`flowyte demo-store`: its flags, and the command run as a user runs it."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from demostore import cli as demo_cli
from tests.demostore.conftest import REPO


def test_demo_store_flags() -> None:
    args = demo_cli.build_parser().parse_args(
        [
            "--data",
            "store.json",
            "--port",
            "0",
            "--host",
            "::1",
            "--bucket-capacity",
            "50",
            "--restore-rate",
            "5",
            "--latency-ms",
            "20",
            "--fail-rate",
            "0.1",
            "--drop-rate",
            "0.05",
            "--locked",
        ]
    )
    assert (args.data, args.port, args.host) == (Path("store.json"), 0, "::1")
    assert (args.bucket_capacity, args.restore_rate) == (50.0, 5.0)
    assert (args.latency_ms, args.fail_rate, args.drop_rate, args.locked) == (20, 0.1, 0.05, True)


def test_a_bad_store_file_is_a_one_line_error(tmp_path: Path, capsys: object) -> None:
    bad = tmp_path / "store.json"
    bad.write_text('{"shop": 1}', encoding="utf-8")
    assert demo_cli.run(["--data", str(bad), "--port", "0"]) == 2
    err = capsys.readouterr().err  # type: ignore[attr-defined]
    assert "shop: expected an object" in err


def test_flowyte_demo_store_serves_until_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "clients"), str(REPO)])}
    process = subprocess.Popen(
        [sys.executable, "-m", "flowyte.cli", "demo-store", "--port", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = token = None
        deadline = time.monotonic() + 20
        assert process.stdout is not None
        while time.monotonic() < deadline and not (url and token):
            line = process.stdout.readline()
            if not line:
                break
            if match := re.search(r"GraphQL\s+(\S+)", line):
                url = match.group(1)
            if match := re.search(r"access token\s+(\S+)", line):
                token = match.group(1)
        assert url and token, "no banner"
        request = urllib.request.Request(
            url,
            data=json.dumps({"query": "{ shop { name } }"}).encode(),
            headers={"X-Shopify-Access-Token": token, "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert json.load(response)["data"] == {"shop": {"name": "Juniper & Pine Outfitters"}}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
