"""Notices over HTTP, read through the notice directory port."""

from __future__ import annotations

from flask import Flask

from service.bootstrap import Services
from tests.apikit import PDF, problem, token, with_notices


def test_the_notices_of_a_case_are_listed_read_and_downloaded_as_pdf(api: Services, app: Flask) -> None:
    with_notices(api)
    auth = token(api, "portal", "read")
    client = app.test_client()

    listing = client.get("/api/v1/notices?businessKey=A-1", headers=auth).get_json()
    notice = client.get("/api/v1/notices/N-1", headers=auth).get_json()
    pdf = client.get("/api/v1/notices/N-1/pdf", headers=auth)

    assert [n["id"] for n in listing] == ["N-1"]
    assert notice["kind"] == "notice_of_violation"
    assert notice["citation"] == "§163.12(d)"
    assert notice["pdf"] == "/api/v1/notices/N-1/pdf"
    assert pdf.mimetype == "application/pdf"
    assert pdf.data == PDF
    assert client.get("/api/v1/notices?businessKey=A-2", headers=auth).get_json() == []


def test_without_a_notification_service_no_notice_exists(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "read")
    client = app.test_client()

    assert client.get("/api/v1/notices?businessKey=A-1", headers=auth).get_json() == []
    assert client.get("/api/v1/notices/N-1", headers=auth).status_code == 404
    missing_key = client.get("/api/v1/notices", headers=auth)
    assert [e["field"] for e in problem(missing_key)["errors"]] == ["businessKey"]
