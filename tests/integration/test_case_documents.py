"""Case documents on both stores: the local folder and an S3-compatible server on loopback.

Every test here runs once per store (the ``store`` fixture), on the same actions and views, and
on SQLite and PostgreSQL (``db_url``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from service import jobs
from service.actions import document_records, documents, lifecycle, starting
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.documents.local import LocalBlobStore
from service.documents.port import BlobStore
from service.documents.s3 import S3BlobStore
from service.errors import Forbidden, InvalidData, NotFound
from service.identity.actors import Actor
from service.services import Services
from service.views import documents as reading
from tests.s3kit import new_bucket, s3_server
from tests.support import INTEGRATOR, REVIEWER, SUPERVISOR, Switchboard, make_services, processes

PORTAL = replace(INTEGRATOR, scopes=frozenset({"start", "documents"}))
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "documents")
    client, bucket = new_bucket(request.getfixturevalue("s3_endpoint"))
    return S3BlobStore(client, bucket)


@pytest.fixture
def case(
    db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard, store: BlobStore
) -> Iterator[Services]:
    """Services on that store with case A-1 started."""
    built = make_services(db_url, tmp_path, clock, board)
    built.documents = store
    grace = replace(built.settings.documents, sweep_grace=timedelta(0))
    built.settings = replace(built.settings, documents=grace)
    deploy(built, processes(), INTEGRATOR)
    starting.start(
        built, "smoke", {"application_number": "A-1", "received_on": "2026-01-05"}, PORTAL, business_key="A-1"
    )
    yield built
    built.close()


def upload(name: str, content: bytes) -> documents.Upload:
    return documents.Upload(name, io.BytesIO(content))


def content(services: Services, document_id: str) -> bytes:
    _row, stream = reading.content(services, REVIEWER, "A-1", document_id)
    with stream:
        return stream.read()


def blobs(services: Services) -> set[str]:
    return {b.sha256 for b in services.documents.blobs()}


def test_an_attached_document_reads_back_byte_for_byte_with_its_metadata(case: Services) -> None:
    about = documents.About(answers="information request 1")
    [row] = documents.attach(case, PORTAL, "A-1", [upload("Entry 1234.pdf", PDF)], about)

    [listed] = reading.listing(case, PORTAL, "A-1")
    assert listed["name"] == "Entry 1234.pdf"
    assert listed["mediaType"] == "application/pdf"
    assert listed["size"] == len(PDF)
    assert listed["uploadedBy"] == "portal"
    assert listed["answers"] == "information request 1"
    assert content(case, row["id"]) == PDF
    assert blobs(case) == {row["sha256"]}


def test_the_same_content_twice_is_stored_once_under_its_hash(case: Services) -> None:
    first = documents.attach(case, PORTAL, "A-1", [upload("a.png", PNG)])
    second = documents.attach(case, PORTAL, "A-1", [upload("b.png", PNG)])

    assert first[0]["sha256"] == second[0]["sha256"]
    assert len(reading.listing(case, PORTAL, "A-1")) == 2
    assert len(blobs(case)) == 1


@pytest.mark.parametrize(
    ("name", "content", "refusal"),
    [
        ("notes.pdf", b"MZ\x90\x00\x03\x00\x00\x00 not a pdf", documents.UnsupportedDocument),
        ("../../etc/passwd", PDF, InvalidData),
        ("evil\x00.pdf", PDF, InvalidData),
        ("big.pdf", PDF + b"x" * 2048, documents.DocumentTooLarge),
    ],
    ids=["wrong-type-by-content", "traversal", "control-character", "oversize"],
)
def test_a_refused_document_changes_nothing(case: Services, name: str, content: bytes, refusal: type) -> None:
    case.settings = replace(case.settings, documents=replace(case.settings.documents, max_bytes=1024))

    with pytest.raises(refusal):
        documents.attach(case, PORTAL, "A-1", [upload("fine.pdf", PDF), upload(name, content)])

    assert reading.listing(case, PORTAL, "A-1") == []
    document_records.sweep_orphans(case)  # what a refused upload staged goes with the sweep
    assert blobs(case) == set()


def test_a_document_for_a_case_that_does_not_exist_is_refused(case: Services) -> None:
    with pytest.raises(NotFound):
        documents.attach(case, PORTAL, "NO-SUCH", [upload("a.pdf", PDF)])
    assert blobs(case) == set()


def test_a_correction_is_a_new_document_superseding_the_old(case: Services) -> None:
    [old] = documents.attach(case, PORTAL, "A-1", [upload("invoice.pdf", PDF)])
    [new] = documents.attach(
        case, PORTAL, "A-1", [upload("invoice.pdf", PDF + b"%fixed\n")], documents.About(supersedes=old["id"])
    )

    listed = {d["id"]: d for d in reading.listing(case, PORTAL, "A-1")}
    assert listed[old["id"]]["supersededBy"] == new["id"]
    assert listed[new["id"]]["supersedes"] == old["id"]
    assert content(case, old["id"]) == PDF  # the old one is unchanged


def test_only_a_supervisor_deletes_and_a_tombstone_with_the_reason_stays(case: Services) -> None:
    [row] = documents.attach(case, PORTAL, "A-1", [upload("a.pdf", PDF)])
    with pytest.raises(Forbidden):
        document_records.delete(case, REVIEWER, "A-1", row["id"], "wrong case")
    with pytest.raises(InvalidData):
        document_records.delete(case, SUPERVISOR, "A-1", row["id"], "  ")

    document_records.delete(case, SUPERVISOR, "A-1", row["id"], "sent to the wrong case")

    [listed] = reading.listing(case, PORTAL, "A-1")
    assert listed["deleted"] is not None
    assert listed["deleted"]["by"] == "sam"
    assert listed["deleted"]["reason"] == "sent to the wrong case"
    with pytest.raises(NotFound):
        content(case, row["id"])
    assert blobs(case) == set()
    with case.db.unit_of_work(readonly=True) as uow:
        actions = [e["action"] for e in uow.audit.for_instance(row["instance_id"])]
    assert "attach_document" in actions
    assert "delete_document" in actions


def test_bytes_shared_with_a_live_document_survive_the_deletion_of_another(case: Services) -> None:
    [first, second] = documents.attach(case, PORTAL, "A-1", [upload("a.pdf", PDF), upload("b.pdf", PDF)])

    document_records.delete(case, SUPERVISOR, "A-1", first["id"], "duplicate")

    assert content(case, second["id"]) == PDF


def test_documents_expire_after_the_retention_period_of_a_closed_case(
    case: Services, clock: MovableClock
) -> None:
    [row] = documents.attach(case, PORTAL, "A-1", [upload("a.pdf", PDF)])
    assert document_records.expire(case).documents == []  # the case is open
    lifecycle.cancel(case, row["instance_id"], SUPERVISOR, "withdrawn")
    clock.advance(timedelta(days=5 * 365 + 2))

    listed = document_records.expire(case)
    assert [d["id"] for d in listed.documents] == [row["id"]]
    assert reading.listing(case, PORTAL, "A-1")[0]["deleted"] is None  # listing changes nothing

    document_records.expire(case, apply=True)
    assert reading.listing(case, PORTAL, "A-1")[0]["deleted"]["reason"] == document_records.RETENTION_REASON
    assert blobs(case) == set()


def test_the_sweep_removes_a_blob_without_a_row_and_keeps_the_others(case: Services) -> None:
    [row] = documents.attach(case, PORTAL, "A-1", [upload("a.pdf", PDF)])
    orphan = case.documents.put(io.BytesIO(b"%PDF-1.4 orphan"))

    assert document_records.sweep_orphans(case) == 1
    assert blobs(case) == {row["sha256"]}
    assert orphan.sha256 not in blobs(case)


def test_the_sweep_spares_a_fresh_blob_within_the_grace_period(case: Services) -> None:
    orphan = case.documents.put(io.BytesIO(b"%PDF-1.4 in flight"))

    assert document_records.sweep_orphans(case, grace=timedelta(hours=1)) == 0
    assert orphan.sha256 in blobs(case)


def test_an_integrator_without_the_documents_scope_is_refused(case: Services) -> None:
    reader = Actor("integrator", "reader", scopes=frozenset({"read"}))
    with pytest.raises(Forbidden):
        documents.attach(case, reader, "A-1", [upload("a.pdf", PDF)])
    with pytest.raises(Forbidden):
        reading.listing(case, reader, "A-1")


def test_the_background_sweep_runs_the_document_sweep_paced(case: Services) -> None:
    orphan = case.documents.put(io.BytesIO(b"%PDF-1.4 left by a crash"))

    jobs.sweep(case, budget=5)
    assert orphan.sha256 not in blobs(case)

    again = case.documents.put(io.BytesIO(b"%PDF-1.4 another"))
    jobs.sweep(case, budget=5)
    assert again.sha256 in blobs(case)  # paced: the next document sweep waits its turn


def test_deleted_bytes_younger_than_the_grace_period_wait_for_the_sweep(case: Services) -> None:
    case.settings = replace(
        case.settings, documents=replace(case.settings.documents, sweep_grace=timedelta(hours=1))
    )
    [row] = documents.attach(case, PORTAL, "A-1", [upload("a.pdf", PDF)])

    document_records.delete(case, SUPERVISOR, "A-1", row["id"], "duplicate")

    assert row["sha256"] in blobs(case)  # an upload of the same content may be about to commit
    assert document_records.sweep_orphans(case, grace=timedelta(0)) == 1
    assert blobs(case) == set()
