"""The OpenAPI 3.1 document, built from the declared operations and the schema components."""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from service.api import plaintext
from service.api import schemas as S
from service.api.contract import OPERATIONS, Answer, Operation
from service.api.problems import PROBLEM_TYPES
from service.api.reading import Param

TAGS = {
    "Process definitions": "Deployed processes, their versions and start schemas; start instances.",
    "Cases": "A case whole: its family of instances, every suspension, notice, decision and message.",
    "Process instances": "Find and read cases; suspend, resume or cancel them.",
    "Messages": "Deliver events to waiting cases (or buffer them until a case waits).",
    "Tasks": "Open human tasks, with the inbox's claim and complete rules.",
    "Notices": "Notices issued in a case, with their PDF.",
    "Webhooks": "Be called when something happens instead of polling.",
    "Incidents": "Cases whose automatic steps failed every try; retry them after the fix.",
    "Documents": "The records attached to a case: attach, list, download.",
    "Documentation": "This document and its rendering.",
}

# What each token scope allows (the keys are ``tokens.SCOPES``; a test holds them equal).
SCOPE_TEXT = {
    "start": "start instances; suspend, resume, cancel and retry them",
    "message": "deliver messages; follow buffered ones",
    "read": "read definitions, instances, history, tasks, notices and incidents",
    "tasks": "claim, unclaim and complete tasks",
    "deploy": "deploy diagrams with their forms and start schemas",
    "webhooks": "register, read, ping and remove the token's webhooks",
    "documents": "attach documents to cases; list and download them",
}

INTRO = """\
The REST API of the Recordkeeping Compliance Program service (19 CFR 163.11-163.13), for
integrators: the trade portal, the audit management system, the mail-room scanner.

**Authentication**: `Authorization: Bearer <token>`; tokens are created with `rcp token create NAME
--scopes start,message,read` and carry scopes (each operation names the one it needs):

{scopes}

Missing or bad token: 401; missing scope: 403. Each token has a request budget (429 with
`Retry-After`). This document and its web page are public.

**Errors** are RFC 9457 problem details (`application/problem+json`); each `type` links to its
explanation on the public documentation page. Validation errors list each failing field in
`errors`, rejected deployments each issue with file, element id and line in `issues`. Nothing is
changed by a refused request.

**Lists** answer `{{"items": [...], "next": ...}}`: pass `next` as `cursor` for the next page;
`next` is null on the last one.

Names follow Camunda's REST API where they fit (`businessKey`, `processInstanceId`,
`candidateGroup`, `maxResults`); variables are plain JSON values.
"""


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """Return the OpenAPI document (built once; the operations are fixed at import)."""
    paths: dict[str, dict[str, Any]] = {}
    for op in sorted(OPERATIONS.values(), key=lambda o: (list(TAGS).index(o.tag), o.path)):
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op)
    return {
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "Recordkeeping Compliance Program: integrator API",
            "version": "1.0.0",
            "description": INTRO.format(scopes="\n".join(f"- `{s}`: {t}" for s, t in SCOPE_TEXT.items())),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "tags": [{"name": name, "description": text} for name, text in TAGS.items()],
        "paths": paths,
        "components": {
            "schemas": _components(),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a token from `rcp token create`; its scopes ("
                    + ", ".join(SCOPE_TEXT)
                    + ") decide what it may do",
                }
            },
        },
        "x-problem-types": {f"{slug}": text for slug, text in PROBLEM_TYPES.items()},
    }


def _components() -> dict[str, Any]:
    """Return the schema components, those requests carry stating the text rule."""
    found = copy.deepcopy(S.COMPONENTS)
    sent = {
        schema["$ref"].rsplit("/", 1)[-1]
        for op in OPERATIONS.values()
        for schema in (op.body.content.values() if op.body else ())
        if "$ref" in schema
    }
    for name in sent:
        found[name] = plaintext.request_schema(found[name])
    found[plaintext.PLAIN_JSON] = plaintext.plain_json()
    return found


def _operation(op: Operation) -> dict[str, Any]:
    scope_text = (
        "Public: no token needed."
        if op.public
        else f"Scope: `{op.scope}`."
        if op.scope
        else "Any valid token."
    )
    entry: dict[str, Any] = {
        "operationId": op.operation_id,
        "tags": [op.tag],
        "summary": op.summary,
        "description": f"{op.description}\n\n{scope_text}".strip(),
        "parameters": [
            *(_parameter(n, p, "path") for n, p in op.path_params.items()),
            *(_parameter(n, p, "query") for n, p in op.query.items()),
            *(_parameter(n, p, "header") for n, p in op.headers.items()),
        ],
        "responses": {str(status): _response(a) for status, a in sorted(op.answers.items())},
        # Bearer scopes as role names (OpenAPI 3.1 allows them for http schemes); none: public.
        "security": [] if op.public else [{"bearer": [op.scope] if op.scope else []}],
    }
    if op.scope:
        entry["x-required-scope"] = op.scope
    if op.body is not None:
        entry["requestBody"] = {
            "required": op.body.required,
            "content": {
                media: {"schema": plaintext.request_schema(schema)}
                for media, schema in op.body.content.items()
            },
        }
        if "multipart/form-data" in op.body.content:
            entry["requestBody"]["content"]["multipart/form-data"]["encoding"] = {
                "files": {"contentType": "application/octet-stream"}
            }
    if not entry["parameters"]:
        del entry["parameters"]
    return entry


def _parameter(name: str, param: Param, where: str) -> dict[str, Any]:
    found: dict[str, Any] = {
        "name": name,
        "in": where,
        "required": True if where == "path" else param.required,
        "schema": plaintext.request_schema(param.schema),
    }
    if param.description:
        found["description"] = param.description
    if param.schema.get("type") == "array":
        found["style"], found["explode"] = "form", True
    return found


def _response(answer: Answer) -> dict[str, Any]:
    found: dict[str, Any] = {"description": answer.description}
    if answer.schema is not None:
        found["content"] = {answer.media_type: {"schema": answer.schema}}
    if answer.headers:
        found["headers"] = {
            name: {"description": p.description, "required": p.required, "schema": p.schema}
            for name, p in answer.headers.items()
        }
    if answer.links:
        found["links"] = answer.links
    return found
