"""The `flowyte` command: start the servers, make keys, rotate the vault.

The CLI is the process launcher, so it is the one place outside core/ that imports core; it
does so lazily, inside each command, so that `flowyte --help` and the SDK stay light.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from flowyte.argtypes import port
from flowyte.clock import process_clock

DEFAULT_GRPC_PORT = 50051
DEFAULT_HTTP_HOST = "127.0.0.1"
DEFAULT_HTTP_PORT = 8080
DEFAULT_DEMO_STORE_PORT = 8081


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


def _env_port(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    if not raw:
        return default
    try:
        return port(raw)
    except argparse.ArgumentTypeError as exc:
        raise CliError(f"{name}: {exc}") from None


def _scopes(text: str) -> list[str]:
    scopes = [s.strip() for s in text.split(",") if s.strip()]
    if not scopes:
        raise argparse.ArgumentTypeError("give at least one scope, e.g. agents:read,agents:write")
    return scopes


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the SQLite database and demo.json live (env FLOWYTE_DATA_DIR; default data)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flowyte",
        description="Flowyte: a 'where is my order?' agent for Shopify stores.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser(
        "serve",
        help="start the gRPC core and the REST gateway",
        description="Start the gRPC core and the REST gateway; stop with Ctrl-C or SIGTERM.",
    )
    serve.add_argument(
        "--demo",
        action="store_true",
        help="create a demo organization, key and agent, and write <data-dir>/demo.json",
    )
    _add_data_dir(serve)
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
    serve.set_defaults(handler=_cmd_serve)

    keys = commands.add_parser("keys", help="manage secret API keys")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="COMMAND")
    create = keys_commands.add_parser(
        "create",
        help="create a secret key (shown once)",
        description="Create a secret key; with no --org, a new organization is created for it.",
    )
    create.add_argument(
        "--scopes",
        type=_scopes,
        required=True,
        help="comma-separated scopes, e.g. agents:read,agents:write; `all` for every secret-key "
        "scope except calls:caller_id (the voice frontend's own: name it to grant it)",
    )
    create.add_argument("--name", default="cli", help="a label for people (default: cli)")
    create.add_argument("--org", default=None, help="the organization id (default: a new one)")
    create.add_argument(
        "--json", action="store_true", help='print {"orgId", "apiKey"} as JSON, for scripts'
    )
    _add_data_dir(create)
    create.set_defaults(handler=_cmd_keys_create)

    vault = commands.add_parser("vault", help="manage sealed credentials")
    vault_commands = vault.add_subparsers(dest="vault_command", required=True, metavar="COMMAND")
    rotate = vault_commands.add_parser(
        "rotate",
        help="re-seal every credential under the first key of FLOWYTE_MASTER_KEY",
    )
    _add_data_dir(rotate)
    rotate.set_defaults(handler=_cmd_vault_rotate)

    from flowyte.demostore.cli import add_arguments as add_demo_store_arguments

    demo_store = commands.add_parser(
        "demo-store",
        help="run the demo store, a local stand-in for a Shopify store",
        description="Serve a store file over Shopify's Admin GraphQL API, costs and errors "
        "included; stop with Ctrl-C or SIGTERM.",
    )
    add_demo_store_arguments(demo_store)
    demo_store.set_defaults(handler=_cmd_demo_store)

    return parser


def _settings(**overrides: object) -> Any:
    from core.config import Settings

    try:
        return Settings.from_env(**overrides)
    except ValueError as exc:  # a FLOWYTE_* variable that is not what it must be
        raise CliError(str(exc)) from None


def _offline_settings(data_dir: Path | None) -> Any:
    """Settings for commands that work on the data directly (keys, vault).

    Without FLOWYTE_MASTER_KEY, a data dir that `serve --demo` made holds the master key
    it generated (master.key); use it, as the demo server does.
    """
    settings = _settings(data_dir=data_dir)
    if not settings.master_keys and (Path(settings.data_dir) / "master.key").exists():
        settings = _settings(data_dir=data_dir, demo=True)
    return settings


# ---------------------------------------------------------------------------------------------
# serve


def service_urls(
    core_target: str, gateway_url: str, demo_store_url: str | None = None
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
    return urls


def write_demo_file(data_dir: Path, api_key: str, agent_id: str, urls: dict[str, str]) -> Path:
    """Write demo.json atomically (readers polling for it never see half a file), 0600."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "demo.json"
    tmp = path.with_name(f".demo.json.{os.getpid()}.tmp")
    body = json.dumps({"apiKey": api_key, "agentId": agent_id, "urls": urls}, indent=2) + "\n"
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
            f"  written to  {demo_file}",
            "",
            "  Try:",
            f"    curl -H 'Authorization: Bearer {demo['apiKey']}' {urls['api']}/agents",
        ]
    else:
        lines.append("  Create a key with: flowyte keys create --scopes agents:read,agents:write")
    lines += ["", "Stop with Ctrl-C.", ""]
    return "\n".join(lines)


def _install_stop_signals(stop: asyncio.Event) -> Callable[[], None]:
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)

    def remove() -> None:
        for sig in installed:
            loop.remove_signal_handler(sig)

    return remove


async def serve(args: argparse.Namespace, stop: asyncio.Event | None = None) -> int:
    from core.server import start_core
    from frontends.gateway.server import start_gateway

    stop = stop or asyncio.Event()
    remove_signals = _install_stop_signals(stop)
    http_host = args.http_host or os.environ.get("FLOWYTE_HTTP_HOST") or DEFAULT_HTTP_HOST
    http_port = (
        args.http_port
        if args.http_port is not None
        else _env_port("FLOWYTE_HTTP_PORT", DEFAULT_HTTP_PORT)
    )
    settings = _settings(
        data_dir=args.data_dir,
        grpc_host=args.grpc_host,
        grpc_port=args.grpc_port,
        demo=args.demo or None,
    )
    if args.demo:
        # A demo.json left by an earlier run names ports that may be gone: a script polling
        # for the file must only ever see this run's.
        (Path(settings.data_dir) / "demo.json").unlink(missing_ok=True)
    try:
        async with contextlib.AsyncExitStack() as stack:
            try:
                core = await start_core(settings)
                stack.push_async_callback(core.stop)
                gateway = await start_gateway(
                    core.target, http_host, http_port, deadlines=settings.deadlines
                )
                stack.push_async_callback(gateway.stop)
            except OSError as exc:  # a port in use, an address not on this machine
                raise CliError(f"cannot start: {exc}") from exc
            except RuntimeError as exc:  # grpc's way of saying the same
                if "Failed to bind" not in str(exc):
                    raise
                raise CliError(f"cannot start the core: {str(exc).split(';')[0]}") from exc

            demo: dict[str, str] | None = None
            demo_file: Path | None = None
            store_url = None
            if args.demo:
                from core.admin import setup_demo
                from flowyte.demo_setup import connect_demo_store
                from flowyte.demostore import start_demo_store

                store_port = (
                    args.demo_store_port
                    if args.demo_store_port is not None
                    else _env_port("FLOWYTE_DEMO_STORE_PORT", DEFAULT_DEMO_STORE_PORT)
                )
                try:
                    store = await start_demo_store(host="127.0.0.1", port=store_port)
                except OSError as exc:
                    raise CliError(f"cannot start the demo store: {exc}") from exc
                stack.push_async_callback(store.stop)
                store_url = store.url
                demo = await setup_demo(core.settings)
                await connect_demo_store(
                    core.target,
                    demo["apiKey"],
                    demo["agentId"],
                    store.store.data.shop["myshopifyDomain"],
                    store.access_token,
                    store.url,
                )
            urls = service_urls(core.target, gateway.url, store_url)
            if demo is not None:
                demo_file = write_demo_file(
                    Path(core.settings.data_dir), demo["apiKey"], demo["agentId"], urls
                )
            print(banner(urls, demo, demo_file), flush=True)
            await stop.wait()
            print("Stopping…", flush=True)
    finally:
        remove_signals()
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    return asyncio.run(serve(args))


# ---------------------------------------------------------------------------------------------
# keys, vault


async def _keys_create(args: argparse.Namespace) -> tuple[str, str, list[str]]:
    from core.admin import create_api_key

    scopes = args.scopes
    if scopes == ["all"]:
        from core.domain.scopes import STANDARD_SCOPES

        scopes = list(STANDARD_SCOPES)
    settings = _offline_settings(args.data_dir)
    org_id, secret = await create_api_key(settings, scopes=scopes, name=args.name, org_id=args.org)
    return org_id, secret, scopes


def _cmd_keys_create(args: argparse.Namespace) -> int:
    org_id, secret, scopes = asyncio.run(_keys_create(args))
    if args.json:
        print(json.dumps({"orgId": org_id, "apiKey": secret}))
    else:
        print(f"organization  {org_id}")
        print(f"scopes        {','.join(scopes)}")
        print(f"secret key    {secret}")
        print("Store the key now: it is shown this once, and only its hash is kept.")
    return 0


async def _vault_rotate(args: argparse.Namespace) -> int:
    from core.admin import rotate_vault

    return int(await rotate_vault(_offline_settings(args.data_dir)))


def _cmd_vault_rotate(args: argparse.Namespace) -> int:
    count = asyncio.run(_vault_rotate(args))
    noun = "sealed value" if count == 1 else "sealed values"
    print(
        f"Re-sealed {count} {noun} (store credentials, saved replies) under the first key of "
        "FLOWYTE_MASTER_KEY."
    )
    return 0


# ---------------------------------------------------------------------------------------------
# demo-store


def _cmd_demo_store(args: argparse.Namespace) -> int:
    from flowyte.demostore.cli import run_with_args

    return run_with_args(args)


def _configure_logging() -> None:
    level = os.environ.get("FLOWYTE_LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(
        level=level if level in logging.getLevelNamesMapping() else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _configure_logging()
    try:
        process_clock()  # a malformed FLOWYTE_CLOCK_OFFSET stops every command before it starts
    except ValueError as exc:
        print(f"flowyte: error: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.handler(args))
    except CliError as exc:
        print(f"flowyte: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if not _is_user_error(exc):
            raise
        print(f"flowyte: error: {exc}", file=sys.stderr)
        return 1


def _is_user_error(exc: BaseException) -> bool:
    """The core's own errors (a bad scope, an unknown org, a missing or malformed master key)
    are the user's to fix: a message, no traceback."""
    kinds = (
        ("core.domain.errors", "DomainError"),
        ("core.vault.keyring", "KeyringError"),
    )
    for module_name, class_name in kinds:
        kind = getattr(sys.modules.get(module_name), class_name, None)
        if isinstance(kind, type) and isinstance(exc, kind):
            return True
    return False


if __name__ == "__main__":
    sys.exit(main())
