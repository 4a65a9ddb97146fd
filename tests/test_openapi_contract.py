"""schemathesis against the gateway's own /openapi.json: every operation, with a key holding
every scope, against a real `flowyte serve --demo` (the core, the gateway, and the demo
store connected to the demo agent, so integration and prepublish routes reach a store). It
must find no 5xx and no response that breaks the published document: statuses, content
types, bodies, SSE events, headers (tests/schemathesis.toml says which checks and why).

schemathesis runs as its command, as anyone would run it against a deployment (its pytest
plugin does not run on this pytest). Its cases are derandomized and bounded per operation,
so a failure replays and the run fits in CI.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

from frontends.gateway.routes import ROUTES
from tests.serving import REPO, clean_env, serve

CONFIG = REPO / "tests" / "schemathesis.toml"
RUN_TIMEOUT = 900
# Revoking a key is tested on its own and last: the run's own key is among those it finds
# (GET /api-keys), and once it is revoked every later operation would meet only 401s.
REVOKE = "revokeApiKey"


def _schemathesis() -> list[str]:
    script = Path(sys.executable).with_name("schemathesis")
    return [str(script)] if script.exists() else [sys.executable, "-m", "schemathesis.cli"]


def _call(api: str, key: str, method: str, path: str, body: Any = None) -> Any:
    request = urllib.request.Request(
        api + path,
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())["data"]


def _seed(api: str, key: str, agent: str) -> None:
    """Something of each kind for the run to find through the list operations: a skill, a
    session with a transcript, and a handoff waiting for a person."""
    _call(
        api,
        key,
        "POST",
        f"/agents/{agent}/skills",
        {
            "name": "take_message",
            "description": "Take a message for the team",
            "skillType": "builtin",
            "executionConfig": {"action": "take_message"},
        },
    )
    session = _call(api, key, "POST", "/chat/sessions", {"agentId": agent})["id"]
    _call(api, key, "POST", f"/chat/sessions/{session}/messages", {"content": "order #1001"})
    asked = _call(
        api, key, "POST", f"/chat/sessions/{session}/messages", {"content": "a person, please"}
    )
    assert asked["session"].get("handoffId"), asked


def _run(root: str, key: str, cwd: Path, *selection: str) -> tuple[int, str]:
    command = [
        *_schemathesis(),
        "--config-file",
        str(CONFIG),
        "run",
        f"{root}/openapi.json",
        "--url",
        root,
        *selection,
    ]
    done = subprocess.run(
        command,
        env=clean_env(FLOWYTE_CONTRACT_KEY=key),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output[-30000:]
    tested = re.search(r"^\s*Tested: (\d+)\s*$", output, re.M)
    assert tested, output[-5000:]
    return int(tested.group(1)), output


def test_every_operation_keeps_the_published_contract(tmp_path: Path) -> None:
    operation_ids = {route.operation_id for route in ROUTES}
    assert REVOKE in operation_ids and "followChatSession" in operation_ids  # as in CONFIG
    data = tmp_path / "data"
    with serve(data, clean_env(), demo=True) as running:
        demo = json.loads((data / "demo.json").read_text())
        api, key = demo["urls"]["api"], demo["apiKey"]
        root = api.removesuffix("/api/v1")
        _seed(api, key, demo["agentId"])
        most, _ = _run(root, key, tmp_path, "--exclude-operation-id", REVOKE)
        last, _ = _run(root, key, tmp_path, "--include-operation-id", REVOKE)
        assert running.stop() == 0, running.output()
    assert most + last == len(ROUTES)  # every operation, none filtered away
