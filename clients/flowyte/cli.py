"""The `flowyte` command: a client of the core and the supervisor of its processes.

    flowyte serve [--demo]    the core, the gateway, the widget frontend, the voice frontend
                              (and the demo store and storefront) as child processes
    flowyte keys …            `python -m core keys …`
    flowyte vault …           `python -m core vault …`
    flowyte demo-store …      `python -m demostore …`

It imports no server code: `serve` starts each role by its module name and learns where it
answers from the role's READY line; the other commands run the role's own command line.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flowyte.argtypes import port, port_setting
from flowyte.demo_setup import (
    allow_storefront_origin,
    assign_demo_number,
    connect_demo_store,
    create_demo_publishable_key,
)
from flowyte.roles import clock_problem, configure_logging, install_stop_signals
from flowyte.supervisor import RoleFailed, Supervisor
from flowyte.voice_role import DEFAULT_SIP_PORT, VoiceKeyFailed, create_voice_key, voice_urls

DEFAULT_GRPC_PORT = 50051
DEFAULT_HTTP_HOST = "127.0.0.1"
DEFAULT_HTTP_PORT = 8080
DEFAULT_DEMO_STORE_PORT = 8081
DEFAULT_WIDGET_PORT = 8082
DEFAULT_STOREFRONT_PORT = 8083

# Commands that are another role's own: `flowyte keys create …` runs `python -m core keys
# create …`, so the server-side code lives with the server.
DELEGATED = {"keys": "core", "vault": "core", "demo-store": "demostore"}


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flowyte",
        description="Flowyte: a 'where is my order?' agent for Shopify stores.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="start the gRPC core and the REST gateway, each a process of its own",
        description="Start the gRPC core (python -m core) and the REST gateway (python -m "
        "frontends.gateway), and with --demo the demo store (python -m demostore); stop them "
        "all with Ctrl-C or SIGTERM.",
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="create a demo organization, key and agent, and write <data-dir>/demo.json",
    )
    serve.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the SQLite database and demo.json live (env FLOWYTE_DATA_DIR; default data)",
    )
    serve.add_argument(
        "--grpc-host", default=None, help="core bind address (env FLOWYTE_GRPC_HOST; 127.0.0.1)"
    )
    serve.add_argument(
        "--grpc-port",
        type=port,
        default=None,
        help=f"core port, 0 for any free one (env FLOWYTE_GRPC_PORT; {DEFAULT_GRPC_PORT})",
    )
    serve.add_argument(
        "--http-host",
        default=None,
        help=f"gateway bind address (env FLOWYTE_HTTP_HOST; {DEFAULT_HTTP_HOST})",
    )
    serve.add_argument(
        "--http-port",
        type=port,
        default=None,
        help=f"gateway port, 0 for any free one (env FLOWYTE_HTTP_PORT; {DEFAULT_HTTP_PORT})",
    )
    serve.add_argument(
        "--demo-store-port",
        type=port,
        default=None,
        help="with --demo: the bundled demo Shopify store's port, 0 for any free one "
        f"(env FLOWYTE_DEMO_STORE_PORT; {DEFAULT_DEMO_STORE_PORT})",
    )
    serve.add_argument(
        "--widget-port",
        type=port,
        default=None,
        help="the widget frontend's port (loader.js, the inbox), 0 for any free one "
        f"(env FLOWYTE_WIDGET_PORT; {DEFAULT_WIDGET_PORT})",
    )
    serve.add_argument(
        "--storefront-port",
        type=port,
        default=None,
        help="with --demo: the demo storefront's port, 0 for any free one "
        f"(env FLOWYTE_STOREFRONT_PORT; {DEFAULT_STOREFRONT_PORT})",
    )
    serve.add_argument(
        "--sip-port",
        type=port,
        default=None,
        help="the voice frontend's SIP port, UDP and TCP, 0 for any free one "
        f"(env FLOWYTE_SIP_PORT; {DEFAULT_SIP_PORT})",
    )
    serve.add_argument(
        "--voice-org",
        default=None,
        help="the organization whose numbers the voice frontend answers (with --demo: the "
        "demo's; or set FLOWYTE_VOICE_KEY to a key of your own)",
    )
    serve.add_argument(
        "--no-voice",
        action="store_true",
        help="do not start the voice frontend (for machines without the voice extra)",
    )
    serve.set_defaults(handler=_cmd_serve)

    # Listed for --help; main() hands their arguments over before any parsing.
    for command, module in DELEGATED.items():
        runs = f"python -m {module} {command}" if module == "core" else f"python -m {module}"
        commands.add_parser(command, help=f"runs `{runs} …` (its --help says more)")
    return parser


# ---------------------------------------------------------------------------------------------
# serve


def service_urls(
    core_target: str,
    gateway_url: str,
    demo_store_url: str | None = None,
    widget: dict[str, str] | None = None,
) -> dict[str, str]:
    """Every URL a running Flowyte answers on, by the names demo.json uses.

    A new frontend adds its line here (storefront, inbox, voice, sip).
    """
    urls = {
        "api": gateway_url.rstrip("/") + "/api/v1",
        "grpc": core_target,
    }
    if demo_store_url:
        urls["demoStore"] = demo_store_url
    if widget:
        urls["widget"] = widget["url"] + "/widget/loader.js"
        urls["inbox"] = widget["inbox"]
        if widget.get("storefront"):
            urls["storefront"] = widget["storefront"]
    return urls


def write_demo_file(
    data_dir: Path,
    api_key: str,
    agent_id: str,
    urls: dict[str, str],
    phone_number: str | None = None,
) -> Path:
    """Write demo.json atomically (readers polling for it never see half a file), 0600.
    `phone_number`: the number the core routes to the demo agent, when it has one."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "demo.json"
    tmp = path.with_name(f".demo.json.{os.getpid()}.tmp")
    demo: dict[str, object] = {"apiKey": api_key, "agentId": agent_id, "urls": urls}
    if phone_number:
        demo["phoneNumber"] = phone_number
    body = json.dumps(demo, indent=2) + "\n"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(body)
    os.replace(tmp, path)
    return path


def banner(urls: dict[str, str], demo: dict[str, str] | None, demo_file: Path | None) -> str:
    width = max(len(name) for name in urls)
    lines = ["", "Flowyte is running.", ""]
    lines += [f"  {name.ljust(width)}  {url}" for name, url in urls.items()]
    lines.append("")
    if demo is not None:
        lines += [
            f"  demo key    {demo['apiKey']}",
            f"  demo agent  {demo['agentId']}",
            *([f"  demo number {demo['phoneNumber']}"] if demo.get("phoneNumber") else []),
            f"  written to  {demo_file}",
            "",
            "  Try:",
            f"    curl -H 'Authorization: Bearer {demo['apiKey']}' {urls['api']}/agents",
        ]
        if "sip" in urls:
            lines.append(
                f"    call {urls['sip']} from a SIP phone and ask where your order is"
                " (or key its number, then #)"
            )
        if "storefront" in urls:
            lines += [
                f"    open {urls['storefront']} and ask the chat where your order is",
                f"    open {urls['inbox']} and sign in with the demo key to answer handoffs",
            ]
    else:
        lines.append("  Create a key with: flowyte keys create --scopes agents:read,agents:write")
    if "voice" not in urls:
        lines.append("  Phone calls are off (see flowyte serve --help: --voice-org, --no-voice)")
    lines += ["", "Stop with Ctrl-C.", ""]
    return "\n".join(lines)


async def serve(args: argparse.Namespace, stop: asyncio.Event | None = None) -> int:
    """The roles in order (core, gateway, demo store), the demo connected through the API
    like a merchant's store, the banner; then until a signal, or until a role stops."""
    stop = stop or asyncio.Event()
    remove_signals = install_stop_signals(stop)
    roles = Supervisor(on_lost=stop.set)
    try:
        data_dir = args.data_dir or Path(os.environ.get("FLOWYTE_DATA_DIR", "data"))
        http_host = args.http_host or os.environ.get("FLOWYTE_HTTP_HOST") or DEFAULT_HTTP_HOST
        http_port = port_setting(args.http_port, "FLOWYTE_HTTP_PORT", DEFAULT_HTTP_PORT)
        store_port = port_setting(
            args.demo_store_port, "FLOWYTE_DEMO_STORE_PORT", DEFAULT_DEMO_STORE_PORT
        )
        widget_port = port_setting(args.widget_port, "FLOWYTE_WIDGET_PORT", DEFAULT_WIDGET_PORT)
        storefront_port = port_setting(
            args.storefront_port, "FLOWYTE_STOREFRONT_PORT", DEFAULT_STOREFRONT_PORT
        )
    except ValueError as exc:
        remove_signals()
        raise CliError(str(exc)) from None
    if args.demo:
        # A demo.json left by an earlier run names ports that may be gone: a script polling
        # for the file must only ever see this run's.
        (data_dir / "demo.json").unlink(missing_ok=True)
    try:
        core_args = ["serve", "--data-dir", str(data_dir)]
        core_args += _given("--grpc-host", args.grpc_host) + _given("--grpc-port", args.grpc_port)
        core = await roles.start("core", "core", core_args + (["--demo"] if args.demo else []))
        gateway = await roles.start(
            "gateway",
            "frontends.gateway",
            ["--core", core["grpc"], "--host", http_host, "--port", str(http_port)],
        )
        store_url = demo = demo_file = None
        if args.demo:
            store = await roles.start(
                "demo store", "demostore", ["--host", "127.0.0.1", "--port", str(store_port)]
            )
            store_url, demo = store["url"], core["demo"]
            await connect_demo_store(
                core["grpc"],
                demo["apiKey"],
                demo["agentId"],
                store["shop"],
                store["accessToken"],
                store["url"],
            )
            number = await assign_demo_number(core["grpc"], demo["apiKey"], demo["agentId"])
            if number:
                demo = {**demo, "phoneNumber": number}
        widget_args = ["--core", core["grpc"], "--host", http_host, "--port", str(widget_port)]
        pk = None
        if demo is not None:
            pk = await create_demo_publishable_key(core["grpc"], demo["apiKey"], demo["agentId"])
        if pk is not None:
            widget_args += ["--storefront-key", pk[0], "--storefront-port", str(storefront_port)]
        widget = await roles.start("widget", "frontends.widget", widget_args)
        if pk is not None and demo is not None:
            await allow_storefront_origin(core["grpc"], demo["apiKey"], pk[1], widget["storefront"])
        urls = service_urls(core["grpc"], gateway["url"], store_url, widget)
        voice = await _start_voice(args, roles, core, data_dir, demo)
        if voice is not None:
            urls.update(voice_urls(voice["sip"], demo.get("phoneNumber") if demo else None))
        if demo is not None:
            demo_file = write_demo_file(
                data_dir, demo["apiKey"], demo["agentId"], urls, demo.get("phoneNumber")
            )
        print(banner(urls, demo, demo_file), flush=True)
        await stop.wait()
        if roles.lost is not None:
            raise CliError(f"{roles.lost}; stopping the others")
        print("Stopping…", flush=True)
    except (RoleFailed, VoiceKeyFailed) as exc:
        raise CliError(str(exc)) from None
    finally:
        await roles.stop()
        remove_signals()
    return 0


async def _start_voice(
    args: argparse.Namespace,
    roles: Supervisor,
    core: dict[str, Any],
    data_dir: Path,
    demo: dict[str, str] | None,
) -> dict[str, Any] | None:
    """The voice frontend, on a key made for it now (or FLOWYTE_VOICE_KEY's); None when
    --no-voice, or when no organization is named for it."""
    if args.no_voice:
        return None
    sip_port = port_setting(args.sip_port, "FLOWYTE_SIP_PORT", DEFAULT_SIP_PORT)
    org_id = args.voice_org or (core["demo"]["orgId"] if demo is not None else None)
    if org_id:
        key = await create_voice_key(data_dir, org_id)
    elif os.environ.get("FLOWYTE_VOICE_KEY"):
        key = os.environ["FLOWYTE_VOICE_KEY"]
    else:
        return None
    return await roles.start(
        "voice frontend",
        "frontends.voice",
        ["--core", core["grpc"], "--port", str(sip_port)],
        env={"FLOWYTE_VOICE_KEY": key},
    )


def _given(flag: str, value: object) -> list[str]:
    return [] if value is None else [flag, str(value)]


def _cmd_serve(args: argparse.Namespace) -> int:
    return asyncio.run(serve(args))


# ---------------------------------------------------------------------------------------------
# keys, vault, demo-store: the roles' own commands


def delegate(command: str, rest: Sequence[str]) -> int:
    """Becomes the role's own command line with `rest` (exec: its signals, output and exit
    code are the caller's own); returns only when it cannot."""
    module = DELEGATED[command]
    if importlib.util.find_spec(module) is None:  # looked up, not imported
        print(
            f"flowyte: error: `flowyte {command}` runs `python -m {module}`, which is not "
            "installed here (install the Flowyte server, not only the SDK)",
            file=sys.stderr,
        )
        return 2
    head = [command] if module == "core" else []
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-m", module, *head, *rest])
    return 2  # not reached: exec replaces this process


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in DELEGATED:
        return delegate(argv[0], argv[1:])
    args = build_parser().parse_args(argv)
    configure_logging()
    if problem := clock_problem():
        print(f"flowyte: error: {problem}", file=sys.stderr)
        return 2
    try:
        return int(args.handler(args))
    except CliError as exc:
        print(f"flowyte: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
