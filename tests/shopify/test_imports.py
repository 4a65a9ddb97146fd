"""The Shopify engine is transport-free: no gRPC under core/shopify (core/domain is checked by
tests/test_architecture.py)."""

from __future__ import annotations

from tests.test_architecture import REPO, _violations

GRPC = ("grpc", "grpc_health", "grpc_reflection", "grpc_status", "flowyte.v1")


def test_shopify_engine_imports_no_grpc() -> None:
    violations = _violations(REPO / "core" / "shopify", GRPC)
    assert not violations, "\n".join(violations)
