"""`python -m core`: the gRPC core and the commands that work on its database.

    python -m core [serve] [--data-dir DIR] [--grpc-host H] [--grpc-port P] [--demo]
    python -m core keys create --scopes S [--name N] [--org ORG] [--json] [--data-dir DIR]
    python -m core vault rotate [--data-dir DIR]
    python -m core migrate [--data-dir DIR]

`serve` writes one line to stdout once it answers, `READY {"role": "core", "grpc": ADDR}`
(with `"demo": {"apiKey", "agentId"}` under --demo), which is how `flowyte serve` learns
the real port; everything else it says goes to stderr. It stops on SIGINT or SIGTERM.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.config import Settings
from core.domain.errors import DomainError
from core.vault.keyring import KeyringError
from flowyte.argtypes import port
from flowyte.roles import announce_ready, clock_problem, configure_logging, install_stop_signals

DEFAULT_GRPC_PORT = 50051


class CliError(Exception):
    """A problem the user can fix; printed without a traceback."""


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
        help="where the SQLite database lives (env FLOWYTE_DATA_DIR; default data)",
    )


def _add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    _add_data_dir(parser)
    parser.add_argument(
        "--grpc-host", default=None, help="bind address (env FLOWYTE_GRPC_HOST; 127.0.0.1)"
    )
    parser.add_argument(
        "--grpc-port",
        type=port,
        default=None,
        help=f"port, 0 for any free one (env FLOWYTE_GRPC_PORT; {DEFAULT_GRPC_PORT})",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="demo mode: loopback store URLs allowed, a generated master key in the data "
        "folder, and a demo organization, agent and fresh key announced when ready",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m core",
        description="The Flowyte core: gRPC, the database, the vault, the Shopify client.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    # `python -m core` alone serves, with serve's own options.
    _add_serve_arguments(parser)
    parser.set_defaults(handler=_cmd_serve)

    serve = commands.add_parser("serve", help="serve the gRPC core (the default)")
    _add_serve_arguments(serve)
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
        "rotate", help="re-seal every credential under the first key of FLOWYTE_MASTER_KEY"
    )
    _add_data_dir(rotate)
    rotate.set_defaults(handler=_cmd_vault_rotate)

    migrate = commands.add_parser(
        "migrate", help="bring the database to the latest schema (serve does it too)"
    )
    _add_data_dir(migrate)
    migrate.set_defaults(handler=_cmd_migrate)
    return parser


def _settings(**overrides: object) -> Settings:
    try:
        return Settings.from_env(**overrides)
    except ValueError as exc:  # a FLOWYTE_* variable that is not what it must be
        raise CliError(str(exc)) from None


def _offline_settings(data_dir: Path | None) -> Settings:
    """Settings for commands that work on the data directly (keys, vault, migrate).

    Without FLOWYTE_MASTER_KEY, a data dir that a demo core made holds the master key it
    generated (master.key); use it, as the demo core does.
    """
    settings = _settings(data_dir=data_dir)
    if not settings.master_keys and (Path(settings.data_dir) / "master.key").exists():
        settings = _settings(data_dir=data_dir, demo=True)
    return settings


# --- serve ---------------------------------------------------------------------------------


async def serve(args: argparse.Namespace) -> int:
    from core.admin import setup_demo
    from core.server import start_core

    settings = _settings(
        data_dir=args.data_dir,
        grpc_host=args.grpc_host,
        grpc_port=args.grpc_port,
        demo=args.demo or None,
    )
    stop = asyncio.Event()
    remove_signals = install_stop_signals(stop)
    try:
        try:
            core = await start_core(settings)
        except OSError as exc:  # the SQLite file is served already, the folder is not ours
            raise CliError(f"cannot start: {exc}") from exc
        except RuntimeError as exc:  # grpc's way of saying the port is taken
            if "Failed to bind" not in str(exc):
                raise
            raise CliError(f"cannot start the core: {str(exc).split(';')[0]}") from exc
        try:
            ready: dict[str, Any] = {"role": "core", "grpc": core.target}
            if args.demo:
                ready["demo"] = await setup_demo(core.settings)
            announce_ready(ready)
            await stop.wait()
        finally:
            await core.stop()
    finally:
        remove_signals()
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    return asyncio.run(serve(args))


# --- keys, vault, migrate ------------------------------------------------------------------


async def _keys_create(args: argparse.Namespace) -> tuple[str, str, list[str]]:
    from core.admin import create_api_key
    from core.domain.scopes import STANDARD_SCOPES

    scopes = args.scopes
    if scopes == ["all"]:
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


def _cmd_vault_rotate(args: argparse.Namespace) -> int:
    from core.admin import rotate_vault

    count = asyncio.run(rotate_vault(_offline_settings(args.data_dir)))
    noun = "sealed value" if count == 1 else "sealed values"
    print(
        f"Re-sealed {count} {noun} (store credentials, saved replies) under the first key of "
        "FLOWYTE_MASTER_KEY."
    )
    return 0


def _cmd_migrate(args: argparse.Namespace) -> int:
    from core.admin import migrate

    asyncio.run(migrate(_offline_settings(args.data_dir)))
    print("The database is at the latest schema.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging()
    if problem := clock_problem():
        return _refuse(problem, 2)
    try:
        return int(args.handler(args))
    except CliError as exc:
        return _refuse(exc, 2)
    except (DomainError, KeyringError) as exc:
        # The user's to fix (a bad scope, an unknown org, a missing master key).
        return _refuse(exc, 1)
    except KeyboardInterrupt:
        return 130


def _refuse(problem: Exception | str, code: int) -> int:
    """A problem the user can fix: one line, no traceback."""
    print(f"python -m core: error: {problem}", file=sys.stderr)
    return code
