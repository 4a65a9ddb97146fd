"""Import rules of the design, read from the source with `ast`.

- A frontend reaches the core only through the generated gRPC stubs: nothing under
  frontends/ imports `core` or `core.*`.
- The domain is plain Python: nothing under core/domain imports grpc or sqlalchemy.
"""

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


def test_frontends_do_not_import_the_core() -> None:
    folder = REPO / "frontends"
    assert _python_files(folder), "frontends/ has no Python files to check"
    violations = _violations(folder, ("core",))
    assert not violations, "frontends must reach the core through gRPC only:\n" + "\n".join(
        violations
    )


DOMAIN_FORBIDDEN = (
    "grpc",
    "grpc_health",
    "grpc_reflection",
    "grpc_status",
    "sqlalchemy",
    "alembic",
)


def test_domain_imports_neither_grpc_nor_sqlalchemy() -> None:
    folder = REPO / "core" / "domain"
    if not _python_files(folder):
        pytest.fail("core/domain has no Python files to check")
    violations = _violations(folder, DOMAIN_FORBIDDEN)
    assert not violations, "core/domain must stay free of transport and storage:\n" + "\n".join(
        violations
    )


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
