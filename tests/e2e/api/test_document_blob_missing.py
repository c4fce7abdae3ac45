"""A document whose bytes were removed by hand: a clear problem, logged, on the API and the staff page."""

from __future__ import annotations

import io
import logging
import os

import pytest
from flask import Flask

from service.services import Services
from tests.apikit import problem, start_smoke, token

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
URL = "/api/v1/cases/A-1/documents"


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
