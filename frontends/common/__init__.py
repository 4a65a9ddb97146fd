"""What every frontend shares: the core channel, and core errors read into HTTP problems."""

from frontends.common.channel import acquire_client, release_client
from frontends.common.errors import (
    PROBLEM_CONTENT_TYPE,
    FieldError,
    Problem,
    RpcFailure,
    http_status,
    problem_from_failure,
    problem_from_rpc_error,
    read_failure,
    rest_field,
)

__all__ = [
    "PROBLEM_CONTENT_TYPE",
    "FieldError",
    "Problem",
    "RpcFailure",
    "acquire_client",
    "http_status",
    "problem_from_failure",
    "problem_from_rpc_error",
    "read_failure",
    "release_client",
    "rest_field",
]
