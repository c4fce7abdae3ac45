"""Read a request against what its operation declares: query parameters, headers and body.

A refusal names each failing field (422) and says which part of the request failed, in words the
contract tests tell from business-rule refusals (``CONTRACT_REFUSALS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import request

from service import limits
from service.api import schemas as S
from service.api.validation import check, coerce, plain
from service.errors import FieldError, InvalidData, NotFound, ServiceError

# The details of refusals by the declared schemas (tests tell them from business-rule refusals).
INVALID_QUERY = "the query parameters are not valid"
INVALID_HEADERS = "the request headers are not valid"
INVALID_BODY = "the request body is not valid"
CONTRACT_REFUSALS = (INVALID_QUERY, INVALID_HEADERS, INVALID_BODY)


@dataclass(frozen=True)
class Param:
    """A query parameter, path parameter or request header."""

    schema: S.Schema
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class Body:
    """A request body: schema per media type (JSON first)."""

    content: dict[str, S.Schema]
    required: bool = True
    description: str = ""


def query(declared: dict[str, Param]) -> dict[str, Any]:
    """Return the query parameters read against their schemas; a 422 names each one that fails."""
    errors = [FieldError(n, "unknown query parameter") for n in request.args if n not in declared]
    values: dict[str, Any] = {}
    for name, param in declared.items():
        raw = request.args.getlist(name)
        if not raw:
            if param.required:
                errors.append(FieldError(name, "is required"))
            continue
        if any(limits.control_character(r) for r in raw):
            errors.append(FieldError(name, limits.CONTROL_MESSAGE))
            continue
        try:
            values[name] = coerce(raw, param.schema)
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
            continue
        errors += [FieldError(name, e.message) for e in check(plain(values[name]), param.schema)]
    if errors:
        raise InvalidData(INVALID_QUERY, errors)
    return values


def path(declared: dict[str, Param], values: dict[str, str]) -> dict[str, str]:
    """Return the path parameters; one out of its declared format names nothing that exists (404)."""
    for name, param in declared.items():
        value = values.get(name, "")
        if limits.control_character(value) or check(value, param.schema):
            raise NotFound(f"no such resource: the {name} is not in its documented format")
    return values


def headers(declared: dict[str, Param]) -> dict[str, str]:
    """Return the declared request headers, each checked against its schema."""
    values: dict[str, str] = {}
    errors: list[FieldError] = []
    for name, param in declared.items():
        raw = request.headers.get(name)
        if raw is None:
            if param.required:
                errors.append(FieldError(name, "header is required"))
            continue
        if limits.control_character(raw):
            errors.append(FieldError(name, limits.CONTROL_MESSAGE))
            continue
        errors += [FieldError(name, e.message) for e in check(raw, param.schema)]
        values[name] = raw
    if errors:
        raise InvalidData(INVALID_HEADERS, errors)
    return values


def body(declared: Body | None) -> tuple[Any, str | None]:
    """Return the body (JSON, or a multipart form) checked against its media type's schema."""
    if declared is None:
        return None, None
    media = request.mimetype
    if not declared.required and not request.get_data(cache=True):
        return {}, None
    if media not in declared.content:
        raise UnsupportedMediaType(
            f"send the body as {' or '.join(declared.content)}", accepted=list(declared.content)
        )
    body, checked = _multipart() if media == "multipart/form-data" else _json()
    # Control characters first: the schema's own messages would echo them back.
    errors = limits.flaws(checked) or check(checked, declared.content[media])
    if errors:
        raise InvalidData(INVALID_BODY, errors)
    return body, media


def _json() -> tuple[Any, Any]:
    """Return the JSON body twice (as the body and as the document to check); 400 when broken."""
    try:
        body = limits.loads(request.get_data(cache=True) or b"null")
    except limits.TooDeep as exc:
        raise InvalidData(INVALID_BODY, [FieldError("(body)", str(exc))]) from None
    except (ValueError, UnicodeDecodeError):
        raise MalformedBody(
            "the body is not valid JSON", errors=[{"field": "(body)", "message": "not JSON"}]
        ) from None
    return body, body


def _multipart() -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the form as a body (file parts as lists of uploads) and as a document to check."""
    body: dict[str, Any] = {}
    checked: dict[str, Any] = {}
    for name in request.form:
        values = request.form.getlist(name)
        body[name] = checked[name] = values[0] if len(values) == 1 else values
    for name in request.files:
        if name in body:
            raise InvalidData(INVALID_BODY, [FieldError(name, "send either text or files, not both")])
        body[name] = request.files.getlist(name)
        checked[name] = ["(file)" for _ in body[name]]
    return body, checked


class MalformedBody(ServiceError):
    """The body cannot be read as its media type (400)."""


class UnsupportedMediaType(ServiceError):
    status = 415
    title = "Unsupported media type"
    type_slug = "unsupported-media-type"
