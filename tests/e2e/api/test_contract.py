"""Schemathesis, every check, against the served OpenAPI document: no 5xx, every response as declared.

Every operation gets bounded examples of schema-valid and schema-invalid requests; invalid ones
must be refused with a 4xx. Valid ones must be accepted (positive data acceptance): 2xx, or a
refusal the request's data cannot foresee (401, 403, 404 for an id nothing has, 409 for a state,
429). A 422 to valid data is allowed only where the operation's document declares a business-rule
422 of its own (a start schema, a form, a diagram, a correlation value), and even then it must
not be the schemas' own refusal. Schemathesis checks status codes, content types, headers and
bodies against the document.
"""

from __future__ import annotations

import os
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.config import PositiveDataAcceptanceConfig, SchemathesisConfig
from schemathesis.specs.openapi.schemas import OpenApiSchema

from service import api as api_package
from service.api.contract import INVALID_INPUT, OPERATIONS
from service.api.reading import CONTRACT_REFUSALS
from service.clock import MovableClock
from service.config import ROOT
from service.services import Services
from tests.apikit import api_services, app_for, deploy_all, issue_notice, start_smoke, token
from tests.support import Switchboard

ALL_SCOPES = ("start", "message", "read", "tasks", "deploy", "webhooks", "documents")
EXAMPLES = int(os.environ.get("RCP_CONTRACT_EXAMPLES", "25"))
PG_EXAMPLES = max(1, EXAMPLES // 3)  # the same checks on PostgreSQL, fewer examples (2 cores)
CONFIG = ROOT / "schemathesis.toml"
api_package.load_routes()


def _takes_input(op: Any) -> bool:
    return bool(op.query or op.path_params or op.headers or op.body)


FUZZED = sorted(o for o in OPERATIONS if o != "getOpenApiDocument")
CASES = [
    (operation_id, mode)
    for operation_id in FUZZED
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    # An operation that takes no input at all has no invalid request to make.
    if mode.is_positive or _takes_input(OPERATIONS[operation_id])
]


@pytest.fixture
def contract(api: Services) -> OpenApiSchema:
    return _loaded(api)


@pytest.fixture
def pg_contract(
    db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard
) -> Iterator[OpenApiSchema]:
    """The same document over a service on PostgreSQL (where NUL bytes and long ids once failed)."""
    built = api_services(db_url, tmp_path, clock, board)
    deploy_all(built)
    yield _loaded(built)
    built.close()


def _loaded(api: Services) -> OpenApiSchema:
    """Return the served document, loaded with a token holding every scope and a notice and case."""
    issue_notice(api)
    start_smoke(api)
    app = app_for(api)
    auth = token(api, "fuzzer", *ALL_SCOPES)["Authorization"]
    loaded = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json",
        app,
        config=SchemathesisConfig.from_path(CONFIG),
        headers={"Authorization": auth},
    )

    class Bearer:
        def get(self, case: Any, ctx: Any) -> str:
            return auth

        def set(self, case: Any, data: str, ctx: Any) -> None:
            case.headers = {**(case.headers or {}), "Authorization": data}

    loaded.auth()(Bearer)
    return loaded


def test_valid_data_may_meet_a_422_exactly_where_the_document_declares_a_business_rule_one() -> None:
    """The schemathesis configuration (also read by `st run`) follows the document, not a guess."""
    [accepting] = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["operations"]
    declared = {o for o, op in OPERATIONS.items() if op.answers.get(422, INVALID_INPUT) is not INVALID_INPUT}

    assert set(accepting["include-operation-id"]) == declared
    expected = accepting["checks"]["positive_data_acceptance"]["expected-statuses"]
    assert set(expected) == {*PositiveDataAcceptanceConfig().expected_statuses, "422"}


def schema_valid_input_passes_the_contract(ctx: Any, response: Any, case: Any) -> bool | None:
    """A request that fits the schemas may be refused by a business rule, never by the schemas."""
    if case.meta.generation.mode.is_positive and response.status_code == 422:
        detail = response.json().get("detail")
        assert detail not in CONTRACT_REFUSALS, f"a schema-valid request was refused: {response.text}"
    return None


@pytest.mark.parametrize(("operation_id", "mode"), CASES, ids=[f"{o}-{m}" for o, m in CASES])
def test_every_operation_answers_as_documented(
    contract: OpenApiSchema, operation_id: str, mode: GenerationMode
) -> None:
    declared = OPERATIONS[operation_id]
    operation = contract[declared.path][declared.method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: Any) -> None:
        case.call_and_validate(
            additional_checks=[schema_valid_input_passes_the_contract],
        )

    run()


@pytest.mark.postgres
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
@pytest.mark.parametrize("operation_id", FUZZED)
def test_on_postgresql_every_operation_answers_as_documented(
    pg_contract: OpenApiSchema, operation_id: str
) -> None:
    declared = OPERATIONS[operation_id]
    operation = pg_contract[declared.path][declared.method]
    modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if _takes_input(declared) else [])

    for mode in modes:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=PG_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None
        )
        def run(case: Any) -> None:
            case.call_and_validate(additional_checks=[schema_valid_input_passes_the_contract])

        run()


def _aim_at_the_waiting_process(case: Any) -> None:
    """Point starts at the process that waits for a message, and its messages at the started case."""
    # Start the process that waits for a message, so the links lead somewhere real.
    if case.operation.label == "POST /process-definitions/{key}/start":
        case.path_parameters = {"key": "api_waiting"}
        number = f"C-{uuid.uuid4().hex[:8]}"
        case.body = {"businessKey": number, "variables": {"case_number": number}}
        # Keep the token; drop any generated Idempotency-Key, so each start is a new one.
        case.headers = {k: v for k, v in (case.headers or {}).items() if k == "Authorization"}
    # A message that followed the start's link: drop what was generated beside the link's
    # values (a random business key would rightly match nothing).
    body = case.body if isinstance(case.body, dict) else {}
    if case.operation.label == "POST /messages" and body.get("messageName") == "document_received":
        link = ("messageName", "processInstanceId", "correlationKeys")
        case.body = {k: body[k] for k in link if k in body}


def test_start_get_and_message_chains_hold_the_contract(contract: OpenApiSchema) -> None:
    """Stateful: starts follow their links to the instance, its history and its awaited message."""
    seen: list[tuple[str, int]] = []
    contract.config.generation.update(modes=[GenerationMode.POSITIVE])
    # Follow the document's own links only: links guessed from live data vary between runs.
    contract.config.phases.stateful.inference.algorithms = []

    class Chains(contract.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:
            _aim_at_the_waiting_process(case)

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            seen.append((case.operation.label, response.status_code))

        def validate_response(
            self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any
        ) -> None:
            case.validate_response(
                response,
                additional_checks=[schema_valid_input_passes_the_contract],
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    # Lists link to their first item too, so a run has many paths to walk: enough runs (each a
    # few milliseconds) that the start -> instance -> message chain is always among them.
    Chains.run(
        settings=settings(
            max_examples=EXAMPLES * 8,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
    )
    print(sorted(set(seen)))
    assert ("POST /process-definitions/{key}/start", 201) in seen
    assert ("GET /process-instances/{id}", 200) in seen
    assert ("POST /messages", 200) in seen
