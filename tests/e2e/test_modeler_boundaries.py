"""The modeler's JSON endpoints and pages refuse deep JSON and control characters (issue 18: 4, 5)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.clock import MovableClock
from service.services import Services
from tests.e2e.modeler_support import REVIEW_XML, app_for, modeler_services, sign_in
from tests.support import Switchboard


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[Services]:
    built = modeler_services(db_url, tmp_path, clock, board)
    yield built
    built.close()


@pytest.fixture
def analyst(services: Services) -> tuple[FlaskClient, dict[str, str]]:
    client = app_for(services).test_client()
    return client, {"X-CSRF-Token": sign_in(client, services, "ana"), "Content-Type": "application/json"}


def _drafts(client: FlaskClient) -> list[object]:
    found: list[object] = client.get("/modeler/api/drafts").get_json()
    return found


@pytest.mark.parametrize("depth", [65, 100_000])
def test_a_draft_nested_past_64_levels_is_422_problem_json(
    analyst: tuple[FlaskClient, dict[str, str]], depth: int
) -> None:
    client, headers = analyst
    body = '{"xml": "<x/>", "title": ' + "[" * (depth - 1) + "]" * (depth - 1) + "}"

    answer = client.post("/modeler/api/drafts", data=body, headers=headers)

    assert answer.status_code == 422
    assert answer.mimetype == "application/problem+json"
    assert answer.get_json()["errors"][0]["message"] == "nested deeper than 64 levels"


def test_a_nul_byte_in_a_draft_title_is_422_naming_it_and_saves_nothing(
    analyst: tuple[FlaskClient, dict[str, str]],
) -> None:
    client, headers = analyst
    before = _drafts(client)

    answer = client.post(
        "/modeler/api/drafts", json={"xml": REVIEW_XML, "title": "mine\x00"}, headers=headers
    )

    assert answer.status_code == 422
    assert [e["field"] for e in answer.get_json()["errors"]] == ["title"]
    assert _drafts(client) == before


def test_a_nul_byte_in_a_modeler_address_is_404(analyst: tuple[FlaskClient, dict[str, str]]) -> None:
    client, _ = analyst

    assert client.get("/modeler/api/drafts/d%00x").status_code == 404
