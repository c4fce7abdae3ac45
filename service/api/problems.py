"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from typing import Any

from flask import Response, json

from service.errors import ServiceError

PROBLEM_BASE = "https://rcp.example.gov/problems/"


def problem(status: int, title: str, detail: str, type_slug: str, **extra: Any) -> Response:
    body = {"type": PROBLEM_BASE + type_slug, "title": title, "status": status, "detail": detail, **extra}
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def from_error(exc: ServiceError) -> Response:
    return problem(exc.status, exc.title, exc.detail, exc.type_slug, **exc.extra)
