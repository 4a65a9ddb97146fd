"""Core errors, read once and turned into RFC 9457 problems the same way by every frontend.

The core puts a `google.rpc.Status` in the trailing metadata with an `ErrorInfo` (stable
UPPER_SNAKE reason) and a `BadRequest` (proto field paths). A frontend turns the gRPC code
into an HTTP status with Google's table, lets a few reasons override it, and renames the
proto paths to the REST names the caller actually sent.
"""

from __future__ import annotations

import http
import importlib
import pkgutil
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import grpc
import grpc.aio
from google.rpc import error_details_pb2, status_pb2

from flowyte import v1 as flowyte_v1

DETAILS_KEY = "grpc-status-details-bin"
PROBLEM_CONTENT_TYPE = "application/problem+json"

# Google's gRPC → HTTP table (google/rpc/code.proto).
_HTTP_BY_CODE: dict[grpc.StatusCode, int] = {
    grpc.StatusCode.INVALID_ARGUMENT: 400,
    grpc.StatusCode.FAILED_PRECONDITION: 400,
    grpc.StatusCode.OUT_OF_RANGE: 400,
    grpc.StatusCode.UNAUTHENTICATED: 401,
    grpc.StatusCode.PERMISSION_DENIED: 403,
    grpc.StatusCode.NOT_FOUND: 404,
    grpc.StatusCode.ABORTED: 409,
    grpc.StatusCode.ALREADY_EXISTS: 409,
    grpc.StatusCode.RESOURCE_EXHAUSTED: 429,
    grpc.StatusCode.CANCELLED: 499,
    grpc.StatusCode.DATA_LOSS: 500,
    grpc.StatusCode.UNKNOWN: 500,
    grpc.StatusCode.INTERNAL: 500,
    grpc.StatusCode.UNIMPLEMENTED: 501,
    grpc.StatusCode.UNAVAILABLE: 503,
    grpc.StatusCode.DEADLINE_EXCEEDED: 504,
}

# Reasons whose meaning for an HTTP client is sharper than their gRPC code's.
_HTTP_BY_REASON: dict[str, int] = {
    "NO_PUBLISHED_VERSION": 409,
    "NOT_AVAILABLE": 422,
    "IDEMPOTENCY_KEY_REUSED": 409,
    "VAULT_SEAL_INVALID": 500,
}

_TITLES = {499: "Client Closed Request"}

# Request wrappers a REST body does not have: `{agent: {display_name}}` is `{name}` in REST.
_WRAPPERS = {"agent", "skill", "api_key", "integration"}
# Whole-segment renames from proto names to REST names.
_RENAMES = {
    "display_name": "name",
    "page_token": "cursor",
    "page_size": "limit",
    "version": "versionId",
    "idempotency_key": "Idempotency-Key",  # metadata in gRPC, a header in HTTP
    "create_time": "createdAt",
    "update_time": "updatedAt",
}
_FREE_FORM = {"google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue"}
_SEGMENT = re.compile(r"^([A-Za-z0-9_]*)(.*)$")  # name, then any `[0]` indexes


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class RpcFailure:
    """What the core said when a call failed."""

    code: grpc.StatusCode
    reason: str
    message: str
    violations: list[FieldError] = field(default_factory=list)
    retry_after: int | None = None


@dataclass(frozen=True)
class Problem:
    """An RFC 9457 problem, independent of the web framework."""

    status: int
    code: str
    detail: str
    errors: list[FieldError] = field(default_factory=list)
    retry_after: int | None = None

    @property
    def title(self) -> str:
        if self.status in _TITLES:
            return _TITLES[self.status]
        try:
            return http.HTTPStatus(self.status).phrase
        except ValueError:
            return "Error"

    def body(self, instance: str) -> dict[str, Any]:
        return {
            "type": f"https://flowyte.dev/problems/{self.code.replace('_', '-')}",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
            "code": self.code,
            "errors": [{"field": e.field, "message": e.message} for e in self.errors],
        }

    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": PROBLEM_CONTENT_TYPE}
        if self.status == 429:
            wait = str(max(1, self.retry_after or 1))
            # RateLimit-* (IETF draft) as far as the core tells: nothing left until the reset.
            headers.update(
                {"Retry-After": wait, "RateLimit-Remaining": "0", "RateLimit-Reset": wait}
            )
        return headers

    def redacted(self, secrets: Iterable[str]) -> Problem:
        """The same problem with every occurrence of a secret replaced.

        Belt and braces: neither the core nor the gateway means to echo a credential, but a
        message that quotes its input must not turn a typo into a leak.
        """
        values = sorted({s for s in secrets if s}, key=len, reverse=True)
        if not values:
            return self

        def scrub(text: str) -> str:
            for value in values:
                text = text.replace(value, "[redacted]")
            return text

        return Problem(
            self.status,
            self.code,
            scrub(self.detail),
            [FieldError(e.field, scrub(e.message)) for e in self.errors],
            self.retry_after,
        )


def read_failure(err: grpc.aio.AioRpcError) -> RpcFailure:
    """Reads the rich status the core attached; falls back to the bare code."""
    code = err.code()
    message = err.details() or ""
    reason = code.name
    violations: list[FieldError] = []
    retry_after: int | None = None
    status = _rich_status(err)
    if status is not None:
        message = status.message or message
        for any_detail in status.details:
            if any_detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                any_detail.Unpack(info)
                reason = info.reason or reason
                if info.metadata.get("retry_after_seconds", "").isdigit():
                    retry_after = int(info.metadata["retry_after_seconds"])
            elif any_detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                any_detail.Unpack(bad)
                violations += [FieldError(v.field, v.description) for v in bad.field_violations]
            elif any_detail.Is(error_details_pb2.RetryInfo.DESCRIPTOR):
                retry = error_details_pb2.RetryInfo()
                any_detail.Unpack(retry)
                retry_after = retry.retry_delay.seconds + (1 if retry.retry_delay.nanos else 0)
    if retry_after is None:
        retry_after = _int_metadata(err, "retry-after")
    return RpcFailure(code, reason, message, violations, retry_after)


def http_status(code: grpc.StatusCode, reason: str = "") -> int:
    return _HTTP_BY_REASON.get(reason) or _HTTP_BY_CODE.get(code, 500)


def problem_from_failure(failure: RpcFailure) -> Problem:
    status = http_status(failure.code, failure.reason)
    # An unexpected core failure says nothing about its insides to an HTTP caller.
    detail = "internal error" if status == 500 else failure.message
    errors = [FieldError(rest_field(v.field), v.message) for v in failure.violations]
    return Problem(status, failure.reason.lower(), detail, errors, failure.retry_after)


def problem_from_rpc_error(err: grpc.aio.AioRpcError) -> Problem:
    return problem_from_failure(read_failure(err))


def rest_field(path: str) -> str:
    """`agent.handoff_config.transfer_rules[0].destination` → `handoffConfig.transferRules[0]
    .destination`; `credentials.*` keep the provider's own snake_case names."""
    segments = path.split(".") if path else []
    if len(segments) > 1 and segments[0] in _WRAPPERS:
        segments = segments[1:]
    if segments and segments[0].startswith("credentials"):
        # The REST body flattens `client_credentials` into `credentials`.
        return ".".join(s for s in segments if s != "client_credentials")
    out = []
    for position, segment in enumerate(segments):
        match = _SEGMENT.match(segment)
        assert match is not None  # the pattern matches every string
        name, index = match.groups()
        out.append(_camel(name) + index)
        if name in _free_form_fields():
            # Inside a Struct the keys are the caller's own (`timeout_ms`, `order_number`).
            return ".".join(out + segments[position + 1 :])
    return ".".join(out)


@cache
def _free_form_fields() -> frozenset[str]:
    """Proto names of the contract's Struct/Value fields, read from the descriptors."""
    names: set[str] = set()
    for info in pkgutil.iter_modules(flowyte_v1.__path__):
        if info.name.endswith("_pb2"):
            module = importlib.import_module(f"{flowyte_v1.__name__}.{info.name}")
            for message in module.DESCRIPTOR.message_types_by_name.values():
                names |= _struct_fields(message)
    return frozenset(names)


def _struct_fields(message: Any) -> set[str]:
    found: set[str] = set()
    for fd in message.fields:
        if fd.message_type is not None and fd.message_type.full_name in _FREE_FORM:
            found.add(fd.name)
    for nested in message.nested_types:
        found |= _struct_fields(nested)
    return found


def _camel(name: str) -> str:
    if name in _RENAMES:
        return _RENAMES[name]
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _rich_status(err: grpc.aio.AioRpcError) -> status_pb2.Status | None:
    for key, value in err.trailing_metadata() or ():
        if key == DETAILS_KEY and isinstance(value, bytes):
            try:
                return status_pb2.Status.FromString(value)
            except Exception:  # a malformed status is no status: keep the bare code
                return None
    return None


def _int_metadata(err: grpc.aio.AioRpcError, key: str) -> int | None:
    for k, value in err.trailing_metadata() or ():
        if k == key:
            try:
                return int(value)
            except (TypeError, ValueError):
                return None
    return None
