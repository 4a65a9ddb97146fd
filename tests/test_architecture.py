"""The design's rules, read from the source with `ast`: the layer matrix (who may import
whom), and one clock."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(source: str, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in `source`, relative ones resolved."""
    package = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            name = node.module or ""
            if node.level:
                base = package[: max(len(package) - (node.level - 1), 0)]
                name = ".".join([*base, *([name] if name else [])])
            yield node.lineno, name
            # `from . import core` or `from x import core` can name a module too.
            for alias in node.names:
                yield node.lineno, f"{name}.{alias.name}" if name else alias.name


def _file_imports(path: Path) -> Iterator[tuple[int, str]]:
    return imported_modules(
        path.read_text(encoding="utf-8"), _module_name(path), path.name == "__init__.py"
    )


def _violations(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.py")):
        for line, module in _file_imports(path):
            if any(module == root or module.startswith(root + ".") for root in forbidden):
                found.append(f"{path.relative_to(REPO)}:{line} imports {module}")
    return found


def _python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


# The layers of DESIGN.md: (where, what it must not import, why). Each folder's files are
# read whole, functions' own imports included ("not even lazily").
_GRPC = ("grpc", "grpc_health", "grpc_reflection", "grpc_status")
LAYERS = [
    (
        "clients",
        ("core", "frontends", "demostore"),
        "the SDK is only a client: it starts roles by module name, it imports none of them",
    ),
    ("frontends", ("core", "demostore"), "a frontend reaches the core through gRPC only"),
    ("demostore", ("core", "frontends"), "the demo store stands in for Shopify, apart from us"),
    (
        "core/domain",
        (*_GRPC, "sqlalchemy", "alembic", "aiohttp"),
        "the rules are plain Python: no transport, no storage",
    ),
    ("core/engine", ("core.store", "sqlalchemy"), "the dialogue reaches storage through ports"),
    (
        "core/api",
        ("sqlalchemy", "alembic", "core.store.repository", "core.store.claims"),
        "servicers translate protobuf; the services in core/services own the database work",
    ),
    *(
        (folder, ("core.api", "core.server"), "services sit below the servicers that call them")
        for folder in ("core/services", "core/conversations", "core/widgets")
    ),
]


@pytest.mark.parametrize(("folder", "forbidden", "why"), LAYERS, ids=[row[0] for row in LAYERS])
def test_each_layer_imports_only_what_it_may(
    folder: str, forbidden: tuple[str, ...], why: str
) -> None:
    path = REPO / folder
    assert _python_files(path), f"{folder}/ has no Python files to check"
    violations = _violations(path, forbidden)
    assert not violations, f"{folder}: {why}:\n" + "\n".join(violations)


def test_the_checker_sees_relative_and_aliased_imports() -> None:
    # Guards the guard: a checker that missed these would pass vacuously.
    source = (
        "import core.store as s\n"
        "from ...core import admin\n"
        "from .. import core\n"
        "from core import server\n"
        "def f():\n"
        "    import core.vault\n"
    )
    found = {m for _, m in imported_modules(source, "frontends.gateway.sample", False)}
    assert {"core.store", "core.admin", "frontends.core", "core.server", "core.vault"} <= found
    assert "core" in found


# --- one clock ----------------------------------------------------------------------------
#
# Every date and time of day comes from the clock port (clients/flowyte/clock.py). A read of
# the wall clock anywhere else makes a result that changes with the date: a test that
# passes today fails next week. Durations (time.monotonic, loop.time) are not dates.

CLOCK_PORT = REPO / "clients" / "flowyte" / "clock.py"
WALL_CLOCK_READS = (
    "datetime.now",
    "datetime.utcnow",
    "datetime.today",
    "date.today",
    "time.time",
    "time.time_ns",
    "time.localtime",
    "time.gmtime",
    "time.ctime",
)
# Where that rule holds: everything but the generated stubs and other people's code.
CLOCK_CHECKED = ("core", "frontends", "clients", "tests", "bench", "scripts")
WALL_CLOCK_REASON = "# wall clock:"


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def wall_clock_reads(source: str) -> Iterator[tuple[int, str]]:
    """(line, what) of every read of the wall clock in `source` that does not say why on
    its line or the line above (`# wall clock: …`)."""
    lines = source.splitlines()

    def excused(line: int) -> bool:
        return any(
            WALL_CLOCK_REASON in lines[i] for i in (line - 1, line - 2) if 0 <= i < len(lines)
        )

    for node in ast.walk(ast.parse(source)):
        found = ""
        if isinstance(node, ast.Attribute):
            name = _dotted(node)
            if any(name == read or name.endswith("." + read) for read in WALL_CLOCK_READS):
                found = name
        elif isinstance(node, ast.ImportFrom) and node.module in ("time", "datetime"):
            names = {alias.name for alias in node.names}
            found = ", ".join(sorted(names & {"time", "time_ns", "localtime", "gmtime"}))
        if found and not excused(node.lineno):
            yield node.lineno, found


def test_only_the_clock_port_reads_the_wall_clock() -> None:
    found = []
    for root in CLOCK_CHECKED:
        for path in _python_files(REPO / root):
            if path == CLOCK_PORT or "v1" in path.relative_to(REPO).parts:
                continue
            for line, what in wall_clock_reads(path.read_text(encoding="utf-8")):
                found.append(f"{path.relative_to(REPO)}:{line} reads {what}")
    assert not found, (
        "time comes from the clock port (flowyte.clock); a line that truly needs the wall "
        f"clock says why with a `{WALL_CLOCK_REASON}` comment:\n" + "\n".join(found)
    )


def test_the_clock_checker_sees_every_form_of_a_read() -> None:
    # Guards the guard, as above: each of these reads the wall clock.
    source = (
        "import time, datetime as dt\n"
        "from datetime import UTC, datetime\n"
        "from time import time_ns\n"
        "a = datetime.now(UTC)\n"
        "b = dt.datetime.utcnow()\n"
        "c = dt.date.today()\n"
        "d = time.time()\n"
        "def f(clock=time.time): ...\n"
        "e = time.monotonic()  # a duration, not a date\n"
        "# wall clock: a reason\n"
        "g = time.time()\n"
    )
    lines = sorted(line for line, _ in wall_clock_reads(source))
    assert lines == [3, 4, 5, 6, 7, 8]


# --- module size --------------------------------------------------------------------------
#
# One idea per module: a module past 500 lines holds several, and its parts want names of
# their own. Generated code and data tables are not ideas, so they are excused by name.

MAX_MODULE_LINES = 500
SIZE_CHECKED = ("core", "frontends", "clients", "demostore", "bench", "scripts")
GENERATED = REPO / "clients" / "flowyte" / "v1"  # protoc's stubs (`make stubs`)
DATA_MODULES = {
    # A language pack: the words a message is read by and the agent's lines, as data
    # (core/engine/packs/format.py says its shape; intents.py compiles it).
    "core/engine/packs/en.py",
    # The values of Shopify's Admin GraphQL enums, as its published schema lists them.
    "demostore/enums.py",
}


def test_no_module_is_over_500_lines() -> None:
    too_long = []
    for root in SIZE_CHECKED:
        for path in _python_files(REPO / root):
            name = path.relative_to(REPO).as_posix()
            if path.is_relative_to(GENERATED) or name in DATA_MODULES:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_MODULE_LINES:
                too_long.append(f"{name}: {lines} lines")
    assert not too_long, "split these into modules of one idea each:\n" + "\n".join(too_long)


def test_the_data_modules_excused_from_the_size_rule_exist() -> None:
    # An excuse for a module that moved or went would silently excuse nothing.
    assert all((REPO / name).is_file() for name in DATA_MODULES)
