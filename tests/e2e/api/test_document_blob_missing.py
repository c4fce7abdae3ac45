"""A document whose bytes were removed by hand: a clear problem, logged, on the API and the staff pages."""

from __future__ import annotations

import io
import logging
import os
from pathlib import Path

import pytest
from flask import Flask

from service import create_app
from service.actions import starting
from service.actions.deployment import deploy, read_directory
from service.identity.actors import SYSTEM
from service.services import Services
from service.views import documents
from tests.apikit import problem, start_smoke, token
from tests.e2e.inbox_world import World, csrf
from tests.support import INTEGRATOR

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
URL = "/api/v1/cases/A-1/documents"
PROCESSES = Path(__file__).resolve().parents[2] / "fixtures" / "documents" / "processes"


def test_a_download_whose_blob_is_gone_answers_a_clear_problem_and_logs_it(
    api: Services, app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    start_smoke(api)
    auth = token(api, "portal", "documents", "read")
    data = {"file": [(io.BytesIO(PDF), "entry.pdf")]}
    posted = app.test_client().post(URL, data=data, headers=auth, content_type="multipart/form-data")
    [doc] = posted.get_json()["items"]
    with api.documents.open(doc["sha256"]) as blob:  # find the file the local store keeps
        path = blob.name
    os.unlink(path)

    with caplog.at_level(logging.ERROR):
        answer = app.test_client().get(f"{URL}/{doc['id']}", headers=auth)

    assert answer.status_code == 500
    found = problem(answer)
    assert found["title"] == "Document content missing"
    assert doc["id"] in found["detail"]
    assert any(doc["sha256"] in r.getMessage() for r in caplog.records)


def test_the_staff_download_of_a_document_whose_blob_is_gone_says_so(
    services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    deploy(services, read_directory(PROCESSES), INTEGRATOR)
    world = World(services, create_app(services=services))
    case_id = starting.start(services, "records_review", {}, INTEGRATOR, business_key="R-9").instance_id
    sam = world.client("sam")
    data = {"csrf_token": csrf(sam), "file": [(io.BytesIO(PDF), "letter.pdf")]}
    sam.post(f"/cases/{case_id}/documents", data=data, content_type="multipart/form-data")
    [doc] = documents.listing(services, SYSTEM, "R-9")
    with services.documents.open(doc["sha256"]) as blob:
        os.unlink(blob.name)

    with caplog.at_level(logging.ERROR):
        page = sam.get(f"/cases/{case_id}/documents/{doc['id']}")
        preview = sam.get(f"/cases/{case_id}/documents/{doc['id']}/preview")

    assert (page.status_code, preview.status_code) == (500, 500)
    assert "Document content missing" in page.text
    assert any(doc["sha256"] in r.getMessage() for r in caplog.records)
