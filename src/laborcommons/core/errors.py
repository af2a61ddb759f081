"""One tree of domain exceptions, mapped once to HTTP status and CLI exit code.

LaborCommonsError
├── BadRequest            400  malformed parameters
├── NotAuthenticated      401  no or invalid credentials
├── Forbidden             403  authenticated but not allowed
├── NotFound              404  absent, or hidden from this reader
├── Conflict              409  clashes with existing state (duplicate slug, ...)
├── PayloadTooLarge       413  upload or decompressed size over the limit
├── UnsupportedMediaType  415  not a format we read (or binary posing as text)
├── InvalidInput          422  well-formed request, invalid content (with details)
├── TooManyRequests       429  a budget or rate is spent until ``retry_after`` seconds pass
├── CorruptObject         500  a stored ciphertext failed authentication (altered/swapped)
├── KeyUnavailable        503  the master key is missing, unreadable or not the right one
└── AuditUnavailable      503  the audit trail cannot be appended to (its key or head is gone)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LaborCommonsError(Exception):
    """Base of every error a request or command can end with."""

    status_code = 500
    exit_code = 1
    code = "internal-error"
    public_message: str | None = None
    """When set, HTTP readers get this instead of ``message`` (which may name server paths)."""

    def __init__(
        self, message: str, *, details: Any = None, audit: Callable[[Any], None] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details
        self.audit = audit
        """Writes this error's audit record (a refused read) given a fresh session: the
        edge's ``unit_of_work`` runs it after rolling the failed transaction back. It
        never changes what the reader is answered."""


class BadRequest(LaborCommonsError):
    status_code = 400
    exit_code = 2
    code = "bad-request"


class NotAuthenticated(LaborCommonsError):
    status_code = 401
    exit_code = 3
    code = "not-authenticated"


class Forbidden(LaborCommonsError):
    status_code = 403
    exit_code = 3
    code = "forbidden"


class NotFound(LaborCommonsError):
    status_code = 404
    exit_code = 4
    code = "not-found"


class Conflict(LaborCommonsError):
    status_code = 409
    exit_code = 5
    code = "conflict"


class PayloadTooLarge(LaborCommonsError):
    status_code = 413
    exit_code = 6
    code = "payload-too-large"


class UnsupportedMediaType(LaborCommonsError):
    status_code = 415
    exit_code = 6
    code = "unsupported-media-type"


class InvalidInput(LaborCommonsError):
    status_code = 422
    exit_code = 7
    code = "invalid-input"


class TooManyRequests(LaborCommonsError):
    """A privacy budget (or a rate) is spent; ``retry_after`` whole seconds until it renews."""

    status_code = 429
    exit_code = 9
    code = "too-many-requests"

    def __init__(
        self,
        message: str,
        *,
        retry_after: int,
        details: Any = None,
        audit: Callable[[Any], None] | None = None,
    ) -> None:
        super().__init__(message, details=details, audit=audit)
        self.retry_after = max(0, retry_after)


class CorruptObject(LaborCommonsError):
    status_code = 500
    exit_code = 8
    code = "corrupt-object"


class KeyUnavailable(LaborCommonsError):
    status_code = 503
    exit_code = 8
    code = "key-unavailable"
    public_message = "encrypted data cannot be read: the node's master key is unavailable"


class AuditUnavailable(LaborCommonsError):
    """Audited actions stop rather than write records nobody could verify."""

    status_code = 503
    exit_code = 8
    code = "audit-unavailable"
    public_message = "the node cannot write its audit trail: its operator must check it"
