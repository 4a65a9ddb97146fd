"""Core errors read into problems: codes to HTTP, reasons, REST field names, redaction."""

from __future__ import annotations

import grpc
import grpc.aio
import pytest
from google.protobuf import any_pb2, duration_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2

from frontends.common import (
    FieldError,
    Problem,
    http_status,
    problem_from_rpc_error,
    read_failure,
    rest_field,
)


def rpc_error(
    code: grpc.StatusCode, reason: str = "", fields: dict[str, str] | None = None, **extra: object
) -> grpc.aio.AioRpcError:
    details = []
    if reason:
        info = any_pb2.Any()
        info.Pack(error_details_pb2.ErrorInfo(reason=reason, domain="flowyte.dev", **extra))
        details.append(info)
    if fields:
        bad = any_pb2.Any()
        bad.Pack(
            error_details_pb2.BadRequest(
                field_violations=[
                    error_details_pb2.BadRequest.FieldViolation(field=f, description=d)
                    for f, d in fields.items()
                ]
            )
        )
        details.append(bad)
    status = status_pb2.Status(code=getattr(code_pb2, code.name), message="msg", details=details)
    trailing = grpc.aio.Metadata(("grpc-status-details-bin", status.SerializeToString()))
    return grpc.aio.AioRpcError(code, grpc.aio.Metadata(), trailing, "msg")


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (grpc.StatusCode.INVALID_ARGUMENT, 400), (grpc.StatusCode.FAILED_PRECONDITION, 400),
        (grpc.StatusCode.OUT_OF_RANGE, 400), (grpc.StatusCode.UNAUTHENTICATED, 401),
        (grpc.StatusCode.PERMISSION_DENIED, 403), (grpc.StatusCode.NOT_FOUND, 404),
        (grpc.StatusCode.ABORTED, 409), (grpc.StatusCode.ALREADY_EXISTS, 409),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, 429), (grpc.StatusCode.CANCELLED, 499),
        (grpc.StatusCode.DATA_LOSS, 500), (grpc.StatusCode.UNKNOWN, 500),
        (grpc.StatusCode.INTERNAL, 500), (grpc.StatusCode.UNIMPLEMENTED, 501),
        (grpc.StatusCode.UNAVAILABLE, 503), (grpc.StatusCode.DEADLINE_EXCEEDED, 504),
    ],
)  # fmt: skip
def test_googles_table(code: grpc.StatusCode, status: int) -> None:
    assert http_status(code) == status


@pytest.mark.parametrize(
    ("code", "reason", "status"),
    [
        (grpc.StatusCode.FAILED_PRECONDITION, "NO_PUBLISHED_VERSION", 409),
        (grpc.StatusCode.FAILED_PRECONDITION, "NOT_AVAILABLE", 422),
        (grpc.StatusCode.ABORTED, "IDEMPOTENCY_KEY_REUSED", 409),
        (grpc.StatusCode.INTERNAL, "VAULT_SEAL_INVALID", 500),
    ],
)
def test_reason_overrides(code: grpc.StatusCode, reason: str, status: int) -> None:
    problem = problem_from_rpc_error(rpc_error(code, reason))
    assert problem.status == status and problem.code == reason.lower()


def test_fields_are_renamed_to_rest() -> None:
    err = rpc_error(
        grpc.StatusCode.INVALID_ARGUMENT,
        "INVALID_ARGUMENT",
        {"agent.display_name": "is required", "page_token": "bad", "credentials.shop": "bad"},
    )
    problem = problem_from_rpc_error(err)
    assert problem.errors == [
        FieldError("name", "is required"),
        FieldError("cursor", "bad"),
        FieldError("credentials.shop", "bad"),
    ]
    body = problem.body("/api/v1/agents")
    assert set(body) == {"type", "title", "status", "detail", "instance", "code", "errors"}
    assert body["errors"][0] == {"field": "name", "message": "is required"}


@pytest.mark.parametrize(
    ("proto", "rest"),
    [
        ("agent.display_name", "name"), ("skill.display_name", "name"),
        ("api_key.scopes[1]", "scopes[1]"), ("integration.shop", "shop"),
        ("page_size", "limit"), ("page_token", "cursor"), ("version", "versionId"),
        ("agent.handoff_config.transfer_rules[0].destination",
         "handoffConfig.transferRules[0].destination"),
        ("credentials.access_token", "credentials.access_token"),
        ("credentials.client_credentials.client_secret", "credentials.client_secret"),
        ("skill.execution_config.timeout_ms", "executionConfig.timeout_ms"),
        ("guardrails[0].config.fields.order_number", "guardrails[0].config.fields.order_number"),
        ("api_base_url", "apiBaseUrl"), ("agent.voice.name", "voice.name"),
        ("idempotency_key", "Idempotency-Key"),
    ],
)  # fmt: skip
def test_rest_field(proto: str, rest: str) -> None:
    assert rest_field(proto) == rest


def test_rate_limits_carry_retry_after() -> None:
    err = rpc_error(
        grpc.StatusCode.RESOURCE_EXHAUSTED, "RATE_LIMITED", metadata={"retry_after_seconds": "7"}
    )
    problem = problem_from_rpc_error(err)
    assert problem.status == 429 and problem.headers()["Retry-After"] == "7"
    retry = any_pb2.Any()
    retry.Pack(error_details_pb2.RetryInfo(retry_delay=duration_pb2.Duration(seconds=3)))
    status = status_pb2.Status(code=code_pb2.RESOURCE_EXHAUSTED, message="slow", details=[retry])
    trailing = grpc.aio.Metadata(("grpc-status-details-bin", status.SerializeToString()))
    bare = grpc.aio.AioRpcError(grpc.StatusCode.RESOURCE_EXHAUSTED, None, trailing, "slow")
    assert read_failure(bare).retry_after == 3
    assert Problem(429, "rate_limited", "x").headers()["Retry-After"] == "1"


def test_bare_status_without_details() -> None:
    err = grpc.aio.AioRpcError(grpc.StatusCode.UNAVAILABLE, None, None, "connect failed")
    problem = problem_from_rpc_error(err)
    assert (problem.status, problem.code, problem.detail) == (503, "unavailable", "connect failed")
    internal = problem_from_rpc_error(
        grpc.aio.AioRpcError(grpc.StatusCode.INTERNAL, None, None, "db at 10.0.0.3 down")
    )
    assert internal.detail == "internal error"


def test_redaction() -> None:
    problem = Problem(400, "x", "token shpat_abc is bad", [FieldError("f", "shpat_abc!")])
    clean = problem.redacted(["shpat_abc", ""])
    assert "shpat_abc" not in str(clean.body("/"))
