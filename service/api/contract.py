"""Declare an operation once: route, scope, parameters, body and responses, all from ``schemas``.

``@operation(...)`` registers the Flask route on the blueprint, validates every query parameter,
header and body against the declared schemas before the view runs (a 422 names each failing
field), and records the operation for the OpenAPI document. With response checking on (tests, or
``RCP_API_VALIDATE_RESPONSES=1``) every answer is checked against its declared schema as well.

A view receives a ``Call`` (parsed path, query, headers, body and the caller) and returns a
``Reply`` (or a plain dict for 200).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask import Response, current_app, g

from service import limits
from service.api import reading
from service.api import schemas as S
from service.api.reading import Body, Param
from service.api.validation import check
from service.errors import Forbidden
from service.identity.actors import Actor


@dataclass(frozen=True)
class Answer:
    """A declared response: description, schema (None: no JSON body) and media type."""

    description: str
    schema: S.Schema | None = None
    media_type: str = "application/json"
    headers: dict[str, Param] = field(default_factory=dict)
    links: dict[str, Any] = field(default_factory=dict)


@dataclass
class Call:
    """What a view gets: parsed and validated input, and who is calling."""

    actor: Actor
    path: dict[str, str]
    query: dict[str, Any]
    headers: dict[str, str]
    body: Any
    media_type: str | None


@dataclass
class Reply:
    body: Any
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    media_type: str = "application/json"


@dataclass
class Operation:
    operation_id: str
    method: str
    path: str
    tag: str
    summary: str
    description: str
    scope: str | None
    query: dict[str, Param]
    path_params: dict[str, Param]
    headers: dict[str, Param]
    body: Body | None
    answers: dict[int, Answer]
    public: bool = False  # answered without a token (the documentation)


OPERATIONS: dict[str, Operation] = {}
PROBLEM = S.ref("Problem")


def problem_answer(description: str) -> Answer:
    return Answer(description, PROBLEM, "application/problem+json")


# The 422 of the declared schemas alone. An operation whose business rules refuse input the
# schemas admit (a start schema, a form, a diagram) declares its own 422 saying so.
INVALID_INPUT = problem_answer("invalid input; `errors` names each failing field")


View = Callable[[Call], "Reply | dict[str, Any] | list[Any]"]


def operation(
    method: str,
    path: str,
    *,
    operation_id: str,
    tag: str,
    summary: str,
    scope: str | None,
    answers: dict[int, Answer],
    description: str = "",
    query: dict[str, Param] | None = None,
    path_params: dict[str, Param] | None = None,
    headers: dict[str, Param] | None = None,
    body: Body | None = None,
    public: bool = False,
) -> Callable[[View], Callable[..., Response]]:
    """Declare and register an API operation (see the module docstring)."""
    takes_input = body is not None or bool(query) or bool(headers)
    op = Operation(
        operation_id,
        method.upper(),
        path,
        tag,
        summary,
        description,
        scope,
        query or {},
        path_params or {n: Param(S.ID) for n in re.findall(r"{(\w+)}", path)},
        headers or {},
        body,
        _with_common_answers(answers, scope, takes_input, body is not None, public, "{" in path),
        public,
    )
    if operation_id in OPERATIONS:
        raise ValueError(f"operation {operation_id} is declared twice")
    return lambda view: _register(op, view)


def _register(op: Operation, view: View) -> Callable[..., Response]:
    from service.api.blueprint import bp

    def endpoint(**path_values: str) -> Response:
        caller = _authorised(op)
        call = Call(
            caller,
            reading.path(op.path_params, path_values),
            reading.query(op.query),
            reading.headers(op.headers),
            *reading.body(op.body),
        )
        reply = view(call)
        return _respond(reply if isinstance(reply, Reply) else Reply(reply))

    endpoint.__name__ = op.operation_id
    endpoint.__doc__ = view.__doc__
    rule = re.sub(r"{(\w+)}", r"<\1>", op.path)
    # No automatic OPTIONS (an undeclared HTML 200): any undeclared method is a 405 problem.
    bp.add_url_rule(rule, op.operation_id, endpoint, methods=[op.method], provide_automatic_options=False)
    OPERATIONS[op.operation_id] = op
    return endpoint


def _with_common_answers(
    answers: dict[int, Answer],
    scope: str | None,
    has_input: bool,
    has_body: bool,
    public: bool = False,
    has_path: bool = False,
) -> dict[int, Answer]:
    """Add the answers the frame gives any operation: every status the server can send is declared."""
    common = {500: problem_answer("the service failed; the request may be retried")}
    if not public:
        common[401] = problem_answer("no valid bearer token")
        common[429] = Answer(
            "too many requests for this token; retry after the given seconds",
            PROBLEM,
            "application/problem+json",
            headers={"Retry-After": Param({"type": "integer"}, "seconds to wait", True)},
        )
        common[503] = problem_answer("the case or the database stayed busy; retry in a moment")
    if has_path:
        common[404] = problem_answer("nothing has that id (or the id is not in its documented format)")
    if scope is not None:
        common[403] = problem_answer(f"the token lacks the '{scope}' scope")
    if has_input:
        common[422] = INVALID_INPUT
    if has_body:
        common[400] = problem_answer("the body cannot be read: malformed JSON or a broken multipart form")
        common[413] = problem_answer(f"the body is larger than {limits.MAX_BODY_BYTES // 2**20} MB")
        common[415] = problem_answer("the body is not sent in an accepted media type")
    return {**common, **answers}


def _authorised(op: Operation) -> Actor:
    caller: Actor = g.actor
    if op.scope is not None and op.scope not in caller.scopes:
        raise Forbidden(f"this token lacks the '{op.scope}' scope", requiredScope=op.scope)
    return caller


# --- output ------------------------------------------------------------------------------------


def _respond(reply: Reply) -> Response:
    if reply.status == 204:
        response = Response(status=204)
        del response.headers["Content-Type"]
    elif isinstance(reply.body, bytes):  # encoded already (a document built once per process)
        response = Response(reply.body, reply.status, mimetype=reply.media_type)
    elif reply.media_type == "application/json":
        # Compact: no spaces after separators (the answer is read by programs, not people).
        response = Response(
            json.dumps(reply.body, separators=(",", ":")), reply.status, mimetype="application/json"
        )
    else:
        response = Response(reply.body, reply.status, mimetype=reply.media_type)
    response.headers.update(reply.headers)
    return response


def conformance_problems(operation_id: str, response: Response) -> list[str]:
    """Return how a response departs from its operation's declaration (empty when it conforms)."""
    op = OPERATIONS.get(operation_id)
    if op is None:
        return []
    answer = op.answers.get(response.status_code)
    if answer is None:
        return [f"status {response.status_code} is not declared for {operation_id}"]
    if answer.schema is None:
        return []
    if response.mimetype != answer.media_type:
        return [f"{response.status_code} is {response.mimetype}, declared {answer.media_type}"]
    missing = [h for h, p in answer.headers.items() if p.required and h not in response.headers]
    if missing:
        return [f"header {h} is missing" for h in missing]
    if not answer.media_type.endswith("json") or response.direct_passthrough:
        return []
    body = json.loads(response.get_data())
    return [f"{e.field}: {e.message}" for e in check(body, answer.schema)]


def validating_responses() -> bool:
    services = current_app.extensions["rcp"]
    return bool(services.settings.testing or services.settings.api.validate_responses)
