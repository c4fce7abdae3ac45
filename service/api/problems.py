"""RFC 9457 problem details for every error the API returns."""

from __future__ import annotations

from typing import Any

from flask import Response, json

from service.errors import ServiceError

# Each type is a URI reference to its explanation on the API's documentation page.
PROBLEM_BASE = "/api/v1/docs#problem-"

PROBLEM_TYPES = {
    "bad-request": "The body cannot be read: malformed JSON or a broken multipart form (400).",
    "unauthenticated": "No bearer token, a malformed one, or an unknown or revoked token (401).",
    "forbidden": "The token lacks the scope the operation needs; `requiredScope` names it (403).",
    "not-found": "No such resource, or one this token may not see (404).",
    "method-not-allowed": "The path exists but not with this HTTP method (405).",
    "conflict": "The resource is in a state that refuses the request: a task claimed by someone "
    "else, an instance already suspended, several instances matching a message (`candidates`) (409).",
    "unsupported-media-type": "The body is not sent as one of the accepted media types (415).",
    "payload-too-large": "The body is larger than the service accepts (413).",
    "invalid-data": "The input failed validation; `errors` lists each field and what is wrong, "
    "nothing was changed (422).",
    "deployment-rejected": "A diagram failed validation; `issues` lists each with its file, element "
    "id and line, nothing was deployed (422).",
    "rate-limited": "Too many requests for this token; wait for the `Retry-After` seconds (429).",
    "internal-error": "The service failed; the request may be retried (500).",
    "busy": "The case stayed locked by another step, or the database was busy; nothing was changed, "
    "retry in a moment (503).",
}


def problem(status: int, title: str, detail: str, type_slug: str, **extra: Any) -> Response:
    body = {"type": PROBLEM_BASE + type_slug, "title": title, "status": status, "detail": detail, **extra}
    return Response(json.dumps(body), status=status, mimetype="application/problem+json")


def from_error(exc: ServiceError) -> Response:
    extra = {k: v for k, v in exc.extra.items() if k != "retryAfter"}
    response = problem(exc.status, exc.title, exc.detail, exc.type_slug, **extra)
    if "retryAfter" in exc.extra:
        response.headers["Retry-After"] = str(exc.extra["retryAfter"])
    return response
