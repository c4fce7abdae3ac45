"""Case documents on the staff pages: a task form's files, the case page's list, previews, the record."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html

from service import create_app
from service.actions import starting
from service.actions.deployment import deploy, read_directory
from service.identity.actors import SYSTEM
from service.services import Services
from service.views import documents
from service.views.record_archive import check
from tests.e2e.inbox_world import World, csrf, field_errors
from tests.support import INTEGRATOR

PROCESSES = Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "processes"
LETTER = b"%PDF-1.4\n% the importer's letter\n%%EOF\n"
SCAN = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"  # an executable's first bytes, whatever its name says


@pytest.fixture
def world(services: Services) -> Iterator[World]:
    deploy(services, read_directory(PROCESSES), INTEGRATOR)
    yield World(services, create_app(services=services))


def _case(world: World, key: str) -> str:
    return starting.start(world.services, "records_review", {}, INTEGRATOR, business_key=key).instance_id


def _claimed_task(world: World, case_id: str) -> str:
    task_id = str(world.open_task(case_id)["id"])
    rita = world.client("rita")
    assert rita.post(f"/tasks/{task_id}/claim", data={"csrf_token": csrf(rita)}).status_code == 303
    return task_id


def test_files_attached_on_a_task_form_are_kept_with_the_case_and_shown_in_the_next_tasks_context(
    world: World,
) -> None:
    case_id = _case(world, "R-1")
    task_id = _claimed_task(world, case_id)
    rita = world.client("rita")
    form = html.fromstring(rita.get(f"/tasks/{task_id}").text).xpath("//form[@class='form']")[0]
    assert form.get("enctype") == "multipart/form-data"
    assert form.xpath(".//input[@type='file'][@name='records'][@multiple]")

    response = rita.post(
        f"/tasks/{task_id}",
        data={
            "csrf_token": csrf(rita),
            "action": "complete",
            "summary": "The letter and a scan",
            "records": [(io.BytesIO(LETTER), "letter.pdf"), (io.BytesIO(SCAN), "scan.png")],
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 303, response.text
    kept = sorted(documents.listing(world.services, SYSTEM, "R-1"), key=lambda d: d["name"])
    assert [(d["name"], d["mediaType"], d["uploadedBy"], d["taskId"]) for d in kept] == [
        ("letter.pdf", "application/pdf", "rita", task_id),
        ("scan.png", "image/png", "rita", task_id),
    ]
    assert kept[0]["answers"] == "Attach the records received"
    with world.services.db.unit_of_work(readonly=True) as uow:
        done = uow.audit.completed_task(task_id)
    assert done is not None
    assert done["data"]["records"] == [  # in the order the form sent them
        {"document_id": d["id"], "name": d["name"], "sha256": d["sha256"]} for d in kept
    ]
    verify = str(world.open_task(case_id)["id"])
    page = html.fromstring(rita.get(f"/tasks/{verify}").text)
    links = page.xpath("//section[@class='decision-context']//a[@download]")
    assert sorted((a.text_content(), a.get("href")) for a in links) == [
        (d["name"], f"/cases/{case_id}/documents/{d['id']}") for d in kept
    ]
    assert rita.get(links[0].get("href")).data == LETTER


def test_a_task_form_file_of_a_type_the_program_refuses_is_named_beside_its_input_and_nothing_changes(
    world: World,
) -> None:
    case_id = _case(world, "R-2")
    task_id = _claimed_task(world, case_id)
    rita = world.client("rita")

    response = rita.post(
        f"/tasks/{task_id}",
        data={
            "csrf_token": csrf(rita),
            "action": "complete",
            "summary": "A program",
            "records": [(io.BytesIO(PROGRAM), "records.pdf")],
        },
        content_type="multipart/form-data",
    )

    assert response.status_code == 415
    assert "records.pdf: the content is not" in field_errors(response.text)["records"]
    assert documents.listing(world.services, SYSTEM, "R-2") == []
    assert str(world.open_task(case_id)["id"]) == task_id  # still open


def test_a_task_form_with_its_required_files_missing_is_refused_naming_the_input(world: World) -> None:
    case_id = _case(world, "R-3")
    task_id = _claimed_task(world, case_id)
    rita = world.client("rita")

    response = rita.post(
        f"/tasks/{task_id}",
        data={"csrf_token": csrf(rita), "action": "complete", "summary": "Nothing came"},
        content_type="multipart/form-data",
    )

    assert response.status_code == 422
    assert "records" in field_errors(response.text)


def test_the_case_page_attaches_lists_previews_and_downloads_documents(world: World) -> None:
    case_id = _case(world, "R-4")
    sam = world.client("sam")

    attached = sam.post(
        f"/cases/{case_id}/documents",
        data={
            "csrf_token": csrf(sam),
            "answers": "information request R-4-IR1",
            "file": [(io.BytesIO(LETTER), "letter.pdf"), (io.BytesIO(b"line one\n"), "notes.txt")],
        },
        content_type="multipart/form-data",
    )

    assert attached.status_code == 303
    page = html.fromstring(sam.get(f"/cases/{case_id}").text)
    rows = page.xpath("//table[@id='case-documents']/tbody/tr")
    cells = {
        c[0].split()[0]: c
        for c in ([" ".join(x.text_content().split()) for x in r.xpath("./th|./td")] for r in rows)
    }
    assert cells["letter.pdf"][1:4] == ["PDF", f"{len(LETTER)} bytes", "sam"]
    assert cells["letter.pdf"][5] == "information request R-4-IR1"
    assert cells["notes.txt"][1] == "Text"
    found = {d["name"]: d for d in documents.listing(world.services, SYSTEM, "R-4")}
    letter, notes = found["letter.pdf"], found["notes.txt"]
    iframe = page.xpath("//details[@class='document-preview']//iframe")[0]
    assert iframe.get("src") == f"/cases/{case_id}/documents/{letter['id']}/preview"
    assert not page.xpath(f"//a[contains(@href, '{notes['id']}/preview')]")  # text: download only

    preview = sam.get(iframe.get("src"))
    assert preview.data == LETTER
    assert preview.mimetype == "application/pdf"
    assert preview.headers["Content-Disposition"].startswith('inline; filename="letter.pdf"')
    assert preview.headers["X-Content-Type-Options"] == "nosniff"
    assert preview.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]
    text = sam.get(f"/cases/{case_id}/documents/{notes['id']}/preview")
    assert text.headers["Content-Disposition"].startswith("attachment;")  # never inline
    assert "sandbox" in text.headers["Content-Security-Policy"]
    download = sam.get(f"/cases/{case_id}/documents/{letter['id']}")
    assert download.headers["Content-Disposition"].startswith('attachment; filename="letter.pdf"')


def test_an_upload_without_the_forms_token_or_of_a_refused_type_attaches_nothing(world: World) -> None:
    case_id = _case(world, "R-5")
    sam = world.client("sam")

    forged = sam.post(
        f"/cases/{case_id}/documents",
        data={"file": [(io.BytesIO(LETTER), "letter.pdf")]},
        content_type="multipart/form-data",
    )
    wrong = sam.post(
        f"/cases/{case_id}/documents",
        data={"csrf_token": csrf(sam), "file": [(io.BytesIO(PROGRAM), "letter.pdf")]},
        content_type="multipart/form-data",
    )
    traversal = sam.post(
        f"/cases/{case_id}/documents",
        data={"csrf_token": csrf(sam), "file": [(io.BytesIO(LETTER), "../../etc/passwd.pdf")]},
        content_type="multipart/form-data",
    )

    assert forged.status_code == 400
    assert wrong.status_code == 415
    assert traversal.status_code in (415, 422)
    assert documents.listing(world.services, SYSTEM, "R-5") == []


def test_the_case_pages_record_button_downloads_an_archive_that_holds_against_its_manifest(
    world: World,
) -> None:
    case_id = _case(world, "R-6")
    sam = world.client("sam")
    sam.post(
        f"/cases/{case_id}/documents",
        data={"csrf_token": csrf(sam), "file": [(io.BytesIO(LETTER), "letter.pdf")]},
        content_type="multipart/form-data",
    )
    page = html.fromstring(sam.get(f"/cases/{case_id}").text)
    [button] = page.xpath("//a[@href=$h]", h=f"/cases/{case_id}/record.zip")

    response = sam.get(button.get("href"))

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="R-6-record.zip"')
    assert check(response.data).problems == []
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        listed = json.loads(archive.read("documents.json"))["documents"]
        assert [d["name"] for d in listed] == ["letter.pdf"]
        assert archive.read(listed[0]["file"]) == LETTER


def test_a_correction_names_what_it_corrects_and_only_a_supervisor_deletes_with_a_reason(
    world: World,
) -> None:
    case_id = _case(world, "R-7")
    sam, rita = world.client("sam"), world.client("rita")
    first = {"csrf_token": csrf(sam), "file": [(io.BytesIO(LETTER), "letter.pdf")]}
    assert (
        sam.post(f"/cases/{case_id}/documents", data=first, content_type="multipart/form-data").status_code
        == 303
    )
    [old] = documents.listing(world.services, SYSTEM, "R-7")
    fixed = {
        "csrf_token": csrf(sam),
        "supersedes": old["id"],
        "file": [(io.BytesIO(LETTER + b" "), "letter-2.pdf")],
    }
    assert (
        sam.post(f"/cases/{case_id}/documents", data=fixed, content_type="multipart/form-data").status_code
        == 303
    )

    refused = rita.post(
        f"/cases/{case_id}/documents/{old['id']}/delete", data={"csrf_token": csrf(rita), "reason": "x"}
    )
    unexplained = sam.post(f"/cases/{case_id}/documents/{old['id']}/delete", data={"csrf_token": csrf(sam)})
    deleted = sam.post(
        f"/cases/{case_id}/documents/{old['id']}/delete",
        data={"csrf_token": csrf(sam), "reason": "sent twice"},
    )

    assert (refused.status_code, unexplained.status_code, deleted.status_code) == (403, 422, 303)
    found = {d["name"]: d for d in documents.listing(world.services, SYSTEM, "R-7")}
    assert found["letter-2.pdf"]["supersedes"] == old["id"]
    assert found["letter.pdf"]["deleted"] is not None
    assert found["letter.pdf"]["deleted"]["reason"] == "sent twice"
    text = " ".join(
        html.fromstring(sam.get(f"/cases/{case_id}").text)
        .xpath("string(//table[@id='case-documents'])")
        .split()
    )
    assert "Deleted" in text and "sam: sent twice" in text
    assert "Corrects an earlier document." in text
    assert sam.get(f"/cases/{case_id}/documents/{old['id']}").status_code == 404  # the bytes are gone
