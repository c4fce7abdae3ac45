"""Notices over HTTP: the program's issued notices, their text, delivery and PDF."""

from __future__ import annotations

from flask import Flask

from service.services import Services
from tests.apikit import PDF, issue_notice, problem, token


def test_the_notices_of_a_case_are_listed_read_and_downloaded_as_pdf(api: Services, app: Flask) -> None:
    number = issue_notice(api, "A-1")
    auth = token(api, "portal", "read")
    client = app.test_client()

    listing = client.get("/api/v1/notices?businessKey=A-1", headers=auth).get_json()
    notice = client.get(f"/api/v1/notices/{number}", headers=auth).get_json()
    pdf = client.get(f"/api/v1/notices/{number}/pdf", headers=auth)

    assert listing["next"] is None
    assert [n["noticeNumber"] for n in listing["items"]] == [number]
    assert (notice["kind"], notice["ruleCited"], notice["caseRef"]) == ("violation", "§163.12(d)", "A-1")
    assert notice["recipient"]["name"] == "Acme Imports LLC"
    assert notice["email"] is None  # no e-mail address: the notice goes by mail
    assert notice["pdf"] == f"/api/v1/notices/{number}/pdf"
    assert pdf.mimetype == "application/pdf"
    assert pdf.data == PDF
    assert client.get("/api/v1/notices?businessKey=A-2", headers=auth).get_json()["items"] == []
    assert client.get("/api/v1/notices?businessKey=A-1&kind=denial", headers=auth).get_json()["items"] == []


def test_an_unknown_notice_is_404_and_the_case_must_be_named(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "read")
    client = app.test_client()

    assert client.get("/api/v1/notices/RCP-X-1", headers=auth).status_code == 404
    assert client.get("/api/v1/notices/RCP-X-1/pdf", headers=auth).status_code == 404
    missing_key = client.get("/api/v1/notices", headers=auth)
    assert [e["field"] for e in problem(missing_key)["errors"]] == ["businessKey"]
