"""The one table from domain errors to gRPC status codes, with rich details.

Details travel as google.rpc.Status in `grpc-status-details-bin`: ErrorInfo carries the
stable reason, BadRequest names the offending fields. Frontends read those, never messages.
"""

from __future__ import annotations

import grpc
from google.protobuf import any_pb2
from google.rpc import code_pb2, error_details_pb2, status_pb2

from core.domain import errors

DOMAIN = "flowyte.dev"

CODES: dict[type[errors.DomainError], grpc.StatusCode] = {
    errors.InvalidArgument: grpc.StatusCode.INVALID_ARGUMENT,
    errors.NotFound: grpc.StatusCode.NOT_FOUND,
    errors.AlreadyExists: grpc.StatusCode.ALREADY_EXISTS,
    errors.Conflict: grpc.StatusCode.ABORTED,
    errors.FailedPrecondition: grpc.StatusCode.FAILED_PRECONDITION,
    errors.Unprocessable: grpc.StatusCode.FAILED_PRECONDITION,
    errors.Unauthenticated: grpc.StatusCode.UNAUTHENTICATED,
    errors.PermissionDenied: grpc.StatusCode.PERMISSION_DENIED,
    errors.RateLimited: grpc.StatusCode.RESOURCE_EXHAUSTED,
    errors.Unavailable: grpc.StatusCode.UNAVAILABLE,
    errors.VaultError: grpc.StatusCode.INTERNAL,
}


def status_code_for(error: errors.DomainError) -> grpc.StatusCode:
    for cls in type(error).__mro__:
        if cls in CODES:
            return CODES[cls]
    return grpc.StatusCode.INTERNAL


def details_for(error: errors.DomainError, code: grpc.StatusCode) -> bytes:
    info = error_details_pb2.ErrorInfo(reason=error.reason, domain=DOMAIN)
    if isinstance(error, errors.RateLimited):
        info.metadata["retry_after_seconds"] = str(error.retry_after_seconds)
    packed = [any_pb2.Any()]
    packed[0].Pack(info)
    if error.fields:
        bad_request = error_details_pb2.BadRequest(
            field_violations=[
                error_details_pb2.BadRequest.FieldViolation(field=v.field, description=v.message)
                for v in error.fields
            ]
        )
        packed.append(any_pb2.Any())
        packed[-1].Pack(bad_request)
    status = status_pb2.Status(
        code=getattr(code_pb2, code.name), message=error.message, details=packed
    )
    return status.SerializeToString()


async def abort_with(context: grpc.aio.ServicerContext, error: errors.DomainError) -> None:
    code = status_code_for(error)
    await context.abort(
        code,
        error.message,
        trailing_metadata=(("grpc-status-details-bin", details_for(error, code)),),
    )
