"""Domain errors: what went wrong, in the core's own words.

The servicers never pick a gRPC status themselves; core/api/errors.py maps each class here
to a code once, and frontends map codes to HTTP once. `reason` is a stable UPPER_SNAKE word
clients can branch on; `fields` name the offending request fields (proto paths).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FieldViolation:
    field: str
    message: str


@dataclass
class DomainError(Exception):
    message: str
    reason: str = "ERROR"
    fields: list[FieldViolation] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


class InvalidArgument(DomainError):
    def __init__(self, message: str, *, field: str | None = None, reason: str = "INVALID_ARGUMENT"):
        violations = [FieldViolation(field, message)] if field else []
        super().__init__(message, reason, violations)


class NotFound(DomainError):
    """Also what another organization's resource looks like: never say it exists."""

    def __init__(self, what: str):
        super().__init__(f"{what} not found", "NOT_FOUND")


class AlreadyExists(DomainError):
    def __init__(self, message: str, *, field: str | None = None):
        violations = [FieldViolation(field, message)] if field else []
        super().__init__(message, "ALREADY_EXISTS", violations)


class Conflict(DomainError):
    """A race or a reused idempotency key: retrying as-is will not help."""

    def __init__(self, message: str, reason: str = "CONFLICT"):
        super().__init__(message, reason)


class FailedPrecondition(DomainError):
    """The request is well formed but the resource's state forbids it now."""

    def __init__(self, message: str, reason: str):
        super().__init__(message, reason)


class Unprocessable(DomainError):
    """Well formed and allowed, but not something we can do (e.g. a skill type we do not run)."""

    def __init__(self, message: str, reason: str = "NOT_AVAILABLE", *, field: str | None = None):
        violations = [FieldViolation(field, message)] if field else []
        super().__init__(message, reason, violations)


class Unauthenticated(DomainError):
    def __init__(self, message: str = "missing or invalid API key"):
        super().__init__(message, "UNAUTHENTICATED")


class PermissionDenied(DomainError):
    def __init__(self, message: str, reason: str = "MISSING_SCOPE"):
        super().__init__(message, reason)


class RateLimited(DomainError):
    def __init__(self, message: str, retry_after_seconds: int = 1):
        super().__init__(message, "RATE_LIMITED")
        self.retry_after_seconds = retry_after_seconds


class Unavailable(DomainError):
    def __init__(self, message: str, reason: str = "UNAVAILABLE"):
        super().__init__(message, reason)


class VaultError(DomainError):
    """A sealed credential could not be opened: tampered, moved, or its key is gone.

    Fails closed; the message never contains key material or plaintext.
    """

    def __init__(self, message: str):
        super().__init__(message, "VAULT_SEAL_INVALID")
