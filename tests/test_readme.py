"""The README's examples, pasted in order against a real `flowyte serve --demo`.

The README is how people meet Flowyte, and its examples are meant to work when pasted. This
runs every shell and Python block of the sections a person follows with `make run` going
("Using it" and its subsections, "Channels") in the order they appear, from a folder laid
out like a checkout (`data/`, `.venv`, `node_modules`). The only edit is the ports: the
server here listens on free ones instead of 8080 and 50051. Each `curl` fails on an HTTP
error status, so a request the README gets wrong fails the test with the answer in view.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.serving import REPO, clean_env, serve

README = REPO / "README.md"
DEMO_STORE_DATA = REPO / "demostore" / "data" / "demo-store.json"
# Sections written to be pasted against `make run`; "Configuration" is for a deployment.
PASTED = {"Using it", "Keys from the command line", "gRPC", "The demo store", "Channels"}
BLOCK_MARK = "::readme-block::"
# What a shell block runs with: stop at the first failure, and make curl say so too (and end
# each answer with a newline, so one answer is one line of output).
PRELUDE = """set -euo pipefail
curl() { command curl --fail-with-body -w '\\n' "$@"; }
"""


def readme_blocks(text: str) -> list[tuple[str, str, str]]:
    """(section heading, fence language, code) of every fenced block, in order."""
    blocks, heading = [], ""
    fence = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)
    position = 0
    for match in fence.finditer(text):
        for line in text[position : match.start()].splitlines():
            if line.startswith("#"):
                heading = line.lstrip("#").strip()
        blocks.append((heading, match.group(1), match.group(2)))
        position = match.end()
    return blocks


def tracking_number(order_name: str) -> str:
    orders = json.loads(DEMO_STORE_DATA.read_text())["orders"]
    order = next(o for o in orders if o["name"] == order_name)
    return str(order["fulfillments"][0]["trackingInfo"][0]["number"])


def has_field(output: str, key: str, value: str) -> bool:
    """Whether JSON printed in `output`, compact or indented, has `key` set to `value`."""
    return re.search(rf'"{re.escape(key)}":\s*"{re.escape(value)}"', output) is not None


def test_readme_blocks_are_found_in_every_pasted_section() -> None:
    sections = {heading for heading, language, _ in readme_blocks(README.read_text()) if language}
    assert sections >= PASTED


@pytest.mark.skipif(
    not (REPO / "node_modules" / ".bin" / "buf").exists(),
    reason="the gRPC example uses buf, which `make test` installs (npm ci)",
)
def test_the_readme_examples_work_as_pasted(tmp_path: Path) -> None:
    # A folder like a checkout after `make test`: the examples use relative paths.
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    with serve(tmp_path / "data", clean_env(), demo=True) as served:
        api_host = served.urls["api"].removeprefix("http://").split("/")[0]
        text = README.read_text()
        text = text.replace("127.0.0.1:8080", api_host)
        text = text.replace("127.0.0.1:50051", served.urls["grpc"])
        blocks = [(h, lang, code) for h, lang, code in readme_blocks(text) if h in PASTED]
        shell = [(h, code) for h, lang, code in blocks if lang in ("sh", "bash")]
        python = [(h, code) for h, lang, code in blocks if lang == "python"]
        assert len(shell) >= 8 and len(python) == 2

        script = PRELUDE + "".join(f"echo '{BLOCK_MARK}{h}'\n{code}" for h, code in shell)
        ran = subprocess.run(
            ["bash", "-c", script + "echo '::readme-done::'\n"],
            cwd=tmp_path,
            env=clean_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        out = ran.stdout
        assert ran.returncode == 0 and out.endswith("::readme-done::\n"), (
            f"a README shell example failed (exit {ran.returncode}):\n"
            f"{out[-4000:]}\n{ran.stderr[-3000:]}"
        )
        printed = [
            subprocess.run(
                [sys.executable, "-c", code],
                cwd=tmp_path,
                env=clean_env(),
                capture_output=True,
                text=True,
                timeout=120,
            )
            for _, code in python
        ]
        for result in printed:
            assert result.returncode == 0, result.stderr[-3000:]

    demo = json.loads((tmp_path / "data" / "demo.json").read_text())
    by_section: dict[str, str] = {}
    for piece in out.split(BLOCK_MARK)[1:]:
        heading, _, body = piece.partition("\n")
        by_section[heading] = by_section.get(heading, "") + body

    # Using it: the demo agent is listed, and the connected store is the demo store.
    assert demo["agentId"] in by_section["Using it"]
    assert has_field(by_section["Using it"], "shop", "juniper-pine-outfitters.myshopify.com")
    assert (
        "Juniper & Pine Outfitters (the store answered just now, in Shopify's Admin API 2026-10)"
        in by_section["Using it"]
    )
    assert "read_all_orders" not in by_section["Using it"]  # the demo app holds it
    # Keys from the command line: a new organization's key, as text and as JSON, then one
    # more in an organization named by id.
    keys = by_section["Keys from the command line"].splitlines()
    created = json.loads(next(line for line in keys if line.startswith("{")))
    assert created["apiKey"].startswith("flowyte_sk_live_"), keys
    assert created["orgId"].startswith("org_"), keys
    assert re.fullmatch(r"scopes\s+chat:write", keys[-3]), keys
    # gRPC: the services by reflection, and the demo agent read with the key.
    assert "flowyte.v1.ConversationService" in by_section["gRPC"]
    assert has_field(by_section["gRPC"], "id", demo["agentId"])
    assert "Order status assistant" in printed[0].stdout
    # The demo store: its GraphQL answers for the order asked about.
    assert has_field(by_section["The demo store"], "name", "#2001")
    # Channels: nothing about #2001 before the email, its tracking once verified...
    tracking = tracking_number("#2001")
    chat = by_section["Channels"].splitlines()
    first_reply = next(line for line in chat if "Where is my order #2001?" in line)
    assert tracking not in first_reply and "email" in first_reply
    assert any(tracking in line for line in chat), by_section["Channels"][-3000:]
    # ...and over /chat/completions with the openai client: the agent as a model, verified.
    assert demo["agentId"] in printed[1].stdout and tracking in printed[1].stdout, printed[1].stdout
