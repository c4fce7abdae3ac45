"""Errors the service layer raises; the API and web layers turn them into responses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ServiceError(Exception):
    """Base of every error a caller can be told about."""

    status = 400
    title = "Bad request"
    type_slug = "bad-request"

    def __init__(self, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extra = extra


class NotFound(ServiceError):
    status = 404
    title = "Not found"
    type_slug = "not-found"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"
    type_slug = "forbidden"


class Conflict(ServiceError):
    status = 409
    title = "Conflict"
    type_slug = "conflict"


class Busy(ServiceError):
    """The case stayed locked by another step longer than a request waits; nothing was changed."""

    status = 503
    title = "Busy"
    type_slug = "busy"


class StoreError(Exception):
    """A database refusal the service reacts to, translated by the store from its driver's error."""


class Duplicate(StoreError):
    """Another transaction stored the same unique key first; this one changed nothing."""


class Contention(StoreError):
    """A lock, deadlock or serialisation failure: the whole transaction may be tried again."""


@dataclass(frozen=True)
class FieldError:
    """One failing field of a submitted document."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class InvalidData(ServiceError):
    """Submitted data failed validation; nothing was changed."""

    status = 422
    title = "Invalid data"
    type_slug = "invalid-data"

    def __init__(self, detail: str, errors: list[FieldError]) -> None:
        super().__init__(detail, errors=[e.as_dict() for e in errors])
        self.errors = errors


@dataclass(frozen=True)
class DiagramIssue:
    """One problem found in a diagram: where it is and what is wrong."""

    file: str
    message: str
    element_id: str | None = None
    line: int | None = None
    severity: str = "error"
    rule: str = field(default="engine")

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "elementId": self.element_id,
            "line": self.line,
            "message": self.message,
            "severity": self.severity,
            "rule": self.rule,
        }

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
        if self.element_id:
            where += f" [{self.element_id}]"
        return f"{where}: {self.message}"


class DeploymentRejected(ServiceError):
    """A deployment failed validation; no definition was stored."""

    status = 422
    title = "Deployment rejected"
    type_slug = "deployment-rejected"

    def __init__(self, issues: list[DiagramIssue]) -> None:
        errors = [i for i in issues if i.severity == "error"]
        summary = "; ".join(str(i) for i in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__(f"{len(errors)} problem(s): {summary}{more}", issues=[i.as_dict() for i in issues])
        self.issues = issues
