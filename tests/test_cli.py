"""The `flowyte` command: argument parsing, and end to end as a user runs it.

The end-to-end tests start `flowyte serve` as a real process on port 0, talk to it over
HTTP and gRPC like any client, and stop it with SIGTERM.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
from pathlib import Path

import aiohttp
import pytest

from core import cli as core_cli
from flowyte import cli
from flowyte.argtypes import port_setting
from flowyte.demo_setup import DEMO_NUMBER
from tests.serving import REPO, clean_env, flowyte_command, serve
from tests.voice.conftest import run_sipp

# ---------------------------------------------------------------------------------------------
# parsing and helpers


def test_serve_defaults_come_from_the_environment_later() -> None:
    args = cli.build_parser().parse_args(["serve"])
    assert args.command == "serve"
    assert args.demo is False
    # None means "not given": Settings.from_env and the env variables decide.
    assert args.grpc_port is None and args.http_port is None
    assert args.grpc_host is None and args.http_host is None and args.data_dir is None


def test_serve_flags() -> None:
    args = cli.build_parser().parse_args(
        [
            "serve",
            "--demo",
            "--data-dir",
            "/tmp/x",
            "--grpc-host",
            "0.0.0.0",
            "--grpc-port",
            "0",
            "--http-host",
            "::1",
            "--http-port",
            "8081",
        ]
    )
    assert args.demo is True
    assert args.data_dir == Path("/tmp/x")
    assert (args.grpc_host, args.grpc_port) == ("0.0.0.0", 0)
    assert (args.http_host, args.http_port) == ("::1", 8081)


@pytest.mark.parametrize("port", ["-1", "65536", "http"])
def test_serve_rejects_bad_ports(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.build_parser().parse_args(["serve", "--grpc-port", port])
    assert exc.value.code == 2
    assert "port" in capsys.readouterr().err


def test_a_port_comes_from_its_flag_then_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FLOWYTE_HTTP_PORT", raising=False)
    assert port_setting(None, "FLOWYTE_HTTP_PORT", 8080) == 8080
    monkeypatch.setenv("FLOWYTE_HTTP_PORT", "9090")
    assert port_setting(None, "FLOWYTE_HTTP_PORT", 8080) == 9090
    assert port_setting(0, "FLOWYTE_HTTP_PORT", 8080) == 0
    monkeypatch.setenv("FLOWYTE_HTTP_PORT", "nope")
    with pytest.raises(ValueError, match="FLOWYTE_HTTP_PORT"):
        port_setting(None, "FLOWYTE_HTTP_PORT", 8080)


def test_keys_create_parses_scopes() -> None:
    args = core_cli.build_parser().parse_args(
        ["keys", "create", "--scopes", "agents:read, agents:write,,", "--name", "ci", "--org", "o"]
    )
    assert args.scopes == ["agents:read", "agents:write"]
    assert (args.name, args.org, args.json) == ("ci", "o", False)


def test_keys_create_needs_scopes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        core_cli.build_parser().parse_args(["keys", "create"])
    with pytest.raises(SystemExit):
        core_cli.build_parser().parse_args(["keys", "create", "--scopes", ","])
    assert "scope" in capsys.readouterr().err


def test_vault_rotate_parses() -> None:
    args = core_cli.build_parser().parse_args(["vault", "rotate", "--data-dir", "d"])
    assert (args.command, args.vault_command, args.data_dir) == ("vault", "rotate", Path("d"))


def test_a_command_is_required(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args([])
    with pytest.raises(SystemExit):
        core_cli.build_parser().parse_args(["vault"])


def test_service_urls() -> None:
    urls = cli.service_urls("127.0.0.1:5005", "http://127.0.0.1:8080/")
    assert urls == {"api": "http://127.0.0.1:8080/api/v1", "grpc": "127.0.0.1:5005"}


def test_demo_file_is_private_and_complete(tmp_path: Path) -> None:
    urls = {"api": "http://h/api/v1", "grpc": "h:1"}
    path = cli.write_demo_file(tmp_path / "d", "flowyte_sk_live_x", "agt_1", urls)
    assert path == tmp_path / "d" / "demo.json"
    assert json.loads(path.read_text()) == {
        "apiKey": "flowyte_sk_live_x",
        "agentId": "agt_1",
        "urls": urls,
    }
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["demo.json"]


def test_demo_file_and_banner_name_the_demo_number(tmp_path: Path) -> None:
    urls = {"api": "http://h/api/v1", "grpc": "h:1"}
    path = cli.write_demo_file(tmp_path, "KEY", "agt_1", urls, "+15550100100")
    assert json.loads(path.read_text())["phoneNumber"] == "+15550100100"
    demo = {"apiKey": "KEY", "agentId": "agt_1", "phoneNumber": "+15550100100"}
    assert "demo number +15550100100" in cli.banner(urls, demo, path)
    assert "demo number" not in cli.banner(urls, {"apiKey": "KEY", "agentId": "agt_1"}, path)


def test_banner_names_every_url_and_the_key() -> None:
    urls = {"api": "http://h:1/api/v1", "grpc": "h:2"}
    text = cli.banner(urls, {"apiKey": "KEY", "agentId": "agt_1"}, Path("d/demo.json"))
    for value in (*urls.values(), "KEY", "agt_1", "d/demo.json"):
        assert value in text
    assert "flowyte keys create" in cli.banner(urls, None, None)


# ---------------------------------------------------------------------------------------------
# end to end


def _master_key(kid: str) -> str:
    return f"{kid}:{base64.b64encode(os.urandom(32)).decode()}"


def run_cli(
    *args: str, env: dict[str, str], check: bool = True
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [*flowyte_command(), *args], env=env, capture_output=True, text=True, timeout=120, cwd=REPO
    )
    if check:
        assert result.returncode == 0, f"flowyte {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def test_serve_demo_end_to_end(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with serve(data_dir, clean_env(), demo=True) as served:
        demo = json.loads((data_dir / "demo.json").read_text())
        assert set(demo) >= {"apiKey", "agentId", "urls"}
        api, grpc_target = demo["urls"]["api"], demo["urls"]["grpc"]
        assert api.startswith("http://") and api.endswith("/api/v1")
        assert not api.endswith(":0/api/v1") and not grpc_target.endswith(":0")
        # The voice frontend answers SIP where demo.json says, the demo number on it.
        voice, sip = demo["urls"]["voice"], demo["urls"]["sip"]
        assert sip == f"sip:{DEMO_NUMBER}@{voice.removeprefix('sip:')}"
        sip_port = int(voice.rpartition(":")[2])
        assert sip_port != 0
        options = await run_sipp("uac_options.xml", sip_port, tmp_path)
        assert options.returncode == 0, options.output
        # The banner shows the real ports and the key.
        out = served.output()
        assert api in out and grpc_target in out and demo["apiKey"] in out
        assert voice in out and sip in out

        async with aiohttp.ClientSession() as http:
            url = f"{api}/agents/{demo['agentId']}"
            async with http.get(url, headers=_bearer(demo["apiKey"])) as resp:
                body = await resp.json()
                assert resp.status == 200, body
                assert body["success"] is True
                assert body["data"]["id"] == demo["agentId"]
            async with http.get(url) as resp:
                assert resp.status == 401
            # The demo number is imported and routed to the demo agent.
            assert demo["phoneNumber"] == DEMO_NUMBER and DEMO_NUMBER in out
            async with http.get(f"{api}/numbers", headers=_bearer(demo["apiKey"])) as resp:
                numbers = (await resp.json())["data"]
                assert [(n["e164"], n["agentId"]) for n in numbers] == [
                    (DEMO_NUMBER, demo["agentId"])
                ]
            # The demo key holds every scope but the voice frontend's own.
            async with http.get(f"{api}/api-keys", headers=_bearer(demo["apiKey"])) as resp:
                keys = (await resp.json())["data"]
                mine = next(k for k in keys if demo["apiKey"].startswith(k["prefix"]))
                assert "keys:write" in mine["scopes"]
                assert "calls:caller_id" not in mine["scopes"]
                # the voice frontend got one of its own, made at start and never shown
                [voice_key] = [k for k in keys if k["name"] == "voice"]
                assert voice_key["scopes"] == ["chat:write", "calls:caller_id"]
                assert voice_key["prefix"] not in served.output()

        # The gRPC URL is the core itself.
        from flowyte.client import FlowyteClient
        from flowyte.v1 import agent_service_pb2

        async with FlowyteClient(grpc_target, demo["apiKey"]) as fc:
            got = await fc.agents.GetAgent(
                agent_service_pb2.GetAgentRequest(name=f"agents/{demo['agentId']}")
            )
            assert got.agent.name == f"agents/{demo['agentId']}"
            # connected to the bundled demo store, lookup provisioned, and published
            assert got.agent.published_version >= 1

        async with aiohttp.ClientSession() as http:
            headers = _bearer(demo["apiKey"])
            async with http.get(f"{api}/integrations/shopify", headers=headers) as resp:
                store = (await resp.json())["data"]
                assert store["status"] == "connected"
                assert store["apiBaseUrl"] == demo["urls"]["demoStore"]
            async with http.get(f"{api}/agents/{demo['agentId']}/skills", headers=headers) as resp:
                assert [s["name"] for s in (await resp.json())["data"]] == ["lookup_order"]
            # the demo store answers Shopify's API at the URL demo.json names
            query = {"query": "{ shop { name } }"}
            async with http.post(
                f"{demo['urls']['demoStore']}/admin/api/2026-10/graphql.json", json=query
            ) as resp:
                assert resp.status == 401  # no token: Shopify's answer

        assert served.stop() == 0, served.output()

    # Without FLOWYTE_MASTER_KEY, the offline commands use the key the demo generated.
    created = run_cli(
        "keys", "create", "--scopes", "agents:read", "--data-dir", str(data_dir), env=clean_env()
    )
    # A restart reconnects the store (a new port) without piling up versions.
    (data_dir / "demo.json").unlink()
    with serve(data_dir, clean_env(), demo=True) as again:
        demo = json.loads((data_dir / "demo.json").read_text())
        async with aiohttp.ClientSession() as http:
            url = f"{demo['urls']['api']}/agents/{demo['agentId']}/versions"
            async with http.get(url, headers=_bearer(demo["apiKey"])) as resp:
                assert len((await resp.json())["data"]) == 1
            # the number imported by the first run, still the demo agent's
            assert demo["phoneNumber"] == DEMO_NUMBER
            url = f"{demo['urls']['api']}/numbers"
            async with http.get(url, headers=_bearer(demo["apiKey"])) as resp:
                numbers = (await resp.json())["data"]
                assert [(n["e164"], n["agentId"]) for n in numbers] == [
                    (DEMO_NUMBER, demo["agentId"])
                ]
        assert again.stop() == 0
    assert "flowyte_sk_live_" in created.stdout
    rotated = run_cli("vault", "rotate", "--data-dir", str(data_dir), env=clean_env())
    assert "Re-sealed" in rotated.stdout


def _serve_refused(data_dir: Path, *flags: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`flowyte serve` that must refuse to start: with a one-line error, no traceback."""
    args = ["serve", *flags, "--data-dir", str(data_dir), "--grpc-port", "0", "--http-port", "0"]
    result = run_cli(*args, env=clean_env(**env), check=False)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    return result


def test_serve_needs_a_master_key_outside_demo_mode(tmp_path: Path) -> None:
    assert "FLOWYTE_MASTER_KEY" in _serve_refused(tmp_path).stderr


def test_a_bad_store_timeout_is_a_one_line_error(tmp_path: Path) -> None:
    result = _serve_refused(tmp_path, "--demo", FLOWYTE_STORE_TIMEOUT_SECONDS="soon")
    assert result.returncode == 2 and "FLOWYTE_STORE_TIMEOUT_SECONDS" in result.stderr


@pytest.mark.parametrize(
    "variable",
    ["FLOWYTE_WATCH_HEARTBEAT_S", "FLOWYTE_WIDGET_HEARTBEAT_S", "FLOWYTE_WIDGET_HELLO_TIMEOUT_S"],
)
def test_a_bad_heartbeat_or_hello_deadline_is_a_one_line_error(
    tmp_path: Path, variable: str
) -> None:
    result = _serve_refused(tmp_path, "--demo", "--widget-port", "0", **{variable: "soon"})
    assert result.returncode == 2 and variable in result.stderr, result.stderr


async def test_keys_create_makes_a_working_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    env = clean_env(FLOWYTE_MASTER_KEY=_master_key("k1"))
    created = run_cli(
        "keys",
        "create",
        "--scopes",
        "agents:read,agents:write",
        "--name",
        "first",
        "--json",
        "--data-dir",
        str(data_dir),
        env=env,
    )
    writer = json.loads(created.stdout)
    assert writer["apiKey"].startswith("flowyte_sk_live_")
    assert writer["orgId"]

    # A second key in the same organization, read-only, in the human format.
    human = run_cli(
        "keys",
        "create",
        "--scopes",
        "agents:read",
        "--org",
        writer["orgId"],
        "--data-dir",
        str(data_dir),
        env=env,
    )
    assert writer["orgId"] in human.stdout
    reader_key = re.search(r"flowyte_sk_live_\S+", human.stdout)
    assert reader_key, human.stdout

    bad = run_cli(
        "keys",
        "create",
        "--scopes",
        "chat:public",
        "--data-dir",
        str(data_dir),
        env=env,
        check=False,
    )
    assert bad.returncode != 0
    assert "Traceback" not in bad.stderr and "chat:public" in bad.stderr

    with serve(data_dir, env, demo=False) as served:
        api = served.urls["api"]
        async with aiohttp.ClientSession() as http:
            async with http.post(
                f"{api}/agents", json={"name": "Support"}, headers=_bearer(writer["apiKey"])
            ) as resp:
                body = await resp.json()
                assert resp.status in (200, 201), body
                agent_id = body["data"]["id"]
            async with http.get(f"{api}/agents", headers=_bearer(reader_key.group(0))) as resp:
                body = await resp.json()
                assert resp.status == 200, body
                assert [a["id"] for a in body["data"]] == [agent_id]
            async with http.post(
                f"{api}/agents", json={"name": "No"}, headers=_bearer(reader_key.group(0))
            ) as resp:
                assert resp.status == 403
        assert served.stop() == 0, served.output()
    assert not (data_dir / "demo.json").exists()


def test_keys_create_all_leaves_out_the_voice_frontends_scope(tmp_path: Path) -> None:
    """`calls:caller_id` makes a caller number count as proof of identity: no key gets it
    by asking for everything, only by naming it (for the voice frontend's own key)."""
    env = clean_env(FLOWYTE_MASTER_KEY=_master_key("k1"))
    data = ["--data-dir", str(tmp_path / "data")]

    def scopes(printed: str) -> list[str]:
        line = next(x for x in printed.splitlines() if x.startswith("scopes"))
        return line.split()[1].split(",")

    everything = scopes(run_cli("keys", "create", "--scopes", "all", *data, env=env).stdout)
    assert "keys:write" in everything and "calls:read" in everything
    assert "calls:caller_id" not in everything
    voice = scopes(run_cli("keys", "create", "--scopes", "calls:caller_id", *data, env=env).stdout)
    assert voice == ["calls:caller_id"]


async def test_vault_rotate_reseals_under_the_new_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    k1, k2, k3 = _master_key("k1"), _master_key("k2"), _master_key("k3")
    env = clean_env(FLOWYTE_MASTER_KEY=k1)
    key = json.loads(
        run_cli(
            "keys",
            "create",
            "--scopes",
            "integrations:read,integrations:write",
            "--json",
            "--data-dir",
            str(data_dir),
            env=env,
        ).stdout
    )["apiKey"]

    with serve(data_dir, env, demo=False) as served:
        api = served.urls["api"]
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{api}/integrations/shopify/connect",
                json={
                    "credentials": {
                        "shop": "rotate-test.myshopify.com",
                        "access_token": "shpat_0123456789abcdef",
                    }
                },
                headers=_bearer(key),
            ) as resp,
        ):
            body = await resp.json()
            assert resp.status in (200, 201), body
        assert served.stop() == 0, served.output()

    # Nothing to do while the first key is the one that sealed everything.
    same = run_cli("vault", "rotate", "--data-dir", str(data_dir), env=env)
    assert re.search(r"Re-sealed \d+ sealed value", same.stdout), same.stdout

    # A new key first: the credential is re-sealed under it...
    rotated = run_cli(
        "vault",
        "rotate",
        "--data-dir",
        str(data_dir),
        env=clean_env(FLOWYTE_MASTER_KEY=f"{k2},{k1}"),
    )
    assert "Re-sealed 1 sealed value " in rotated.stdout, rotated.stdout
    # ...so the old key can go: with k2 alone (and a newer k3) everything still opens.
    again = run_cli(
        "vault",
        "rotate",
        "--data-dir",
        str(data_dir),
        env=clean_env(FLOWYTE_MASTER_KEY=f"{k3},{k2}"),
    )
    assert "Re-sealed 1 sealed value " in again.stdout, again.stdout

    # Without the key that sealed it, the credential cannot be opened: rotation refuses.
    lost = run_cli(
        "vault",
        "rotate",
        "--data-dir",
        str(data_dir),
        env=clean_env(FLOWYTE_MASTER_KEY=k1),
        check=False,
    )
    assert lost.returncode != 0, lost.stdout

    with serve(data_dir, clean_env(FLOWYTE_MASTER_KEY=k3), demo=False) as served:
        async with aiohttp.ClientSession() as http:
            url = f"{served.urls['api']}/integrations"
            async with http.get(url, headers=_bearer(key)) as resp:
                body = await resp.json()
            assert resp.status == 200, body
            assert "shpat_0123456789abcdef" not in json.dumps(body)
            assert [i["shop"] for i in body["data"]] == ["rotate-test.myshopify.com"]
        assert served.stop() == 0, served.output()


def test_a_second_server_on_the_same_sqlite_data_refuses_to_start(tmp_path: Path) -> None:
    with serve(tmp_path / "data", clean_env(), demo=True) as first:
        result = run_cli(
            "serve",
            "--demo",
            "--data-dir",
            str(tmp_path / "data"),
            "--grpc-port",
            "0",
            "--http-port",
            "0",
            env=clean_env(),
            check=False,
        )
        assert result.returncode == 2
        assert "already serving" in result.stderr and "Traceback" not in result.stderr
        assert first.process.poll() is None  # the first one is untouched
        assert first.stop() == 0
