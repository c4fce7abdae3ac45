"""The case record as evidence: an appealed case exported, checked file by file, tampered, verified."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from service.actions import document_records, documents
from service.cli import main
from service.clock import MovableClock
from service.identity.actors import Actor
from service.services import Services
from service.store.schema import audit_log
from service.views import case_record
from service.views.record_archive import check
from tests.apikit import app_for, token
from tests.integration.test_scenarios_appeals import _denied
from tests.program_support import HQ, INTAKE, moment, program_services


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def _appealed(services: Services, clock: MovableClock, number: str) -> None:
    """Run an application to a denial, a timely appeal, its reversal and certification."""
    case, notice = _denied(services, clock, number)
    clock.set(moment("2026-01-20"))
    case.deliver(
        "appeal_received", {"notice_number": notice}, received_on="2026-01-20", grounds="Designated."
    )
    case.complete(
        "decide_denial_appeal", {"appeal_outcome": "reversed", "appeal_reasons": "Letter predates."}
    )
    case.complete("conditions_after_appeal", {"certification_conditions": ["Keep the letter on file"]})
    assert case.status == "completed"


LETTER = b"%PDF-1.4\n% the designation letter\n%%EOF\n"
SUPERVISOR = Actor("user", "sam", frozenset({"supervisors"}))


def _attached(services: Services, number: str) -> tuple[str, str]:
    """Attach the appeal's letter and a wrong file, then delete the wrong one; return both ids."""
    about = documents.About(answers="appeal")
    [letter] = documents.attach(
        services, HQ, number, [documents.Upload("letter.pdf", io.BytesIO(LETTER))], about
    )
    [wrong] = documents.attach(services, HQ, number, [documents.Upload("wrong.txt", io.BytesIO(b"oops"))])
    document_records.delete(services, SUPERVISOR, number, wrong["id"], "sent to the wrong case")
    return letter["id"], wrong["id"]


def _files(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _repacked(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return out.getvalue()


def test_an_appealed_cases_record_holds_every_file_against_its_manifest(
    services: Services, clock: MovableClock
) -> None:
    _appealed(services, clock, "A-2026-111")
    letter, wrong = _attached(services, "A-2026-111")

    made = case_record.export(services, SUPERVISOR, "A-2026-111")
    files = _files(made.content)
    manifest = json.loads(files.pop("manifest.json"))

    assert made.name == "A-2026-111-record.zip"
    assert sorted(line["path"] for line in manifest["files"]) == sorted(files)
    for line in manifest["files"]:  # file by file: what the manifest says is what the archive holds
        assert hashlib.sha256(files[line["path"]]).hexdigest() == line["sha256"], line["path"]
        assert len(files[line["path"]]) == line["bytes"]
    kinds = [
        json.loads(files[p])["kind"]
        for p in sorted(files)
        if p.startswith("notices/") and p.endswith(".json")
    ]
    assert sorted(kinds) == ["acknowledgement", "appeal_decision", "certification", "denial"]
    assert all(files[p].startswith(b"%PDF-") for p in files if p.endswith(".pdf"))
    entries = json.loads(files["timeline.json"])["auditEntries"]
    assert [e["action"] for e in entries if e["outcome"] == "ok"] == [
        *("start", "complete", "complete", "message", "complete", "complete"),
        *("attach_document", "attach_document", "delete_document"),
    ]
    with services.db.unit_of_work(readonly=True) as uow:
        live = uow.audit.for_instance(entries[0]["instance_id"])
    assert manifest["auditChainHead"] == {
        "seq": entries[-1]["seq"],
        "hash": entries[-1]["hash"],
        "entries": len(live),
    }
    decided = {d["element"]: d for d in json.loads(files["decisions.json"])}
    appeal = decided["decide_denial_appeal"]
    assert (appeal["actor"], appeal["at"]) == (HQ.name, "2026-01-20T09:00:00.000000+00:00")
    assert appeal["after"]["appeal_outcome"] == "reversed"
    assert appeal["before"] == {"appeal_outcome": None, "appeal_reasons": None}
    assert decided["decide_application"]["after"]["application_decision"] == "deny"

    assert files[f"documents/{letter}-letter.pdf"] == LETTER
    kept = {d["id"]: d for d in json.loads(files["documents.json"])["documents"]}
    assert kept[letter]["answers"] == "appeal"
    assert kept[letter]["file"] == f"documents/{letter}-letter.pdf"
    assert kept[wrong]["file"] is None  # a tombstone: who deleted it, when and why, no bytes
    assert kept[wrong]["deleted"]["reason"] == "sent to the wrong case"
    assert not any(p.startswith(f"documents/{wrong}") for p in files)

    found = check(made.content)
    assert found.problems == []
    assert found.files == len(files)
    assert case_record.live_check(services, found.entries, found.head) == []


def test_an_integrator_without_the_documents_scope_gets_the_record_with_documents_withheld(
    services: Services, clock: MovableClock
) -> None:
    _appealed(services, clock, "A-2026-116")
    _attached(services, "A-2026-116")

    files = _files(case_record.export(services, INTAKE, "A-2026-116").content)

    assert json.loads(files["documents.json"]) == {
        "withheld": "reading documents needs the 'documents' scope"
    }
    assert not any(p.startswith("documents/") for p in files)
    assert check(_repacked(files)).problems == []


def test_a_document_swapped_with_its_manifest_line_fixed_fails_on_the_content_its_row_names(
    services: Services, clock: MovableClock
) -> None:
    _appealed(services, clock, "A-2026-117")
    letter, _ = _attached(services, "A-2026-117")
    files = _files(case_record.export(services, SUPERVISOR, "A-2026-117").content)
    path, forged = f"documents/{letter}-letter.pdf", b"%PDF-1.4 another letter"
    manifest = json.loads(files["manifest.json"])
    for line in manifest["files"]:
        if line["path"] == path:
            line.update(sha256=hashlib.sha256(forged).hexdigest(), bytes=len(forged))

    found = check(_repacked({**files, path: forged, "manifest.json": json.dumps(manifest).encode()}))

    assert found.problems == [f"{path}: not the content document {letter} names (SHA-256 differs)"]


def test_a_tampered_file_or_an_unlisted_one_fails_the_check_naming_it(
    services: Services, clock: MovableClock
) -> None:
    _appealed(services, clock, "A-2026-112")
    files = _files(case_record.export(services, INTAKE, "A-2026-112").content)
    pdf = next(p for p in files if p.endswith(".pdf"))

    changed = check(_repacked({**files, pdf: files[pdf] + b" "}))
    added = check(_repacked({**files, "notices/extra.txt": b"not issued"}))
    missing = check(_repacked({k: v for k, v in files.items() if k != "decisions.json"}))

    assert changed.problems == [f"{pdf}: content changed (SHA-256 differs from the manifest)"]
    assert added.problems == ["notices/extra.txt: in the archive but not listed in the manifest"]
    assert missing.problems == ["decisions.json: listed in the manifest but missing from the archive"]


def test_a_timeline_rewritten_with_its_manifest_still_fails_on_the_entries_own_hashes(
    services: Services, clock: MovableClock
) -> None:
    _appealed(services, clock, "A-2026-113")
    files = _files(case_record.export(services, INTAKE, "A-2026-113").content)
    timeline = json.loads(files["timeline.json"])
    timeline["auditEntries"][1]["actor"] = "someone-else"
    forged = (json.dumps(timeline) + "\n").encode()
    manifest = json.loads(files["manifest.json"])
    for line in manifest["files"]:  # the forger fixes the manifest too
        if line["path"] == "timeline.json":
            line.update(sha256=hashlib.sha256(forged).hexdigest(), bytes=len(forged))

    found = check(
        _repacked({**files, "timeline.json": forged, "manifest.json": json.dumps(manifest).encode()})
    )

    seq = timeline["auditEntries"][1]["seq"]
    assert found.problems == [f"timeline.json: audit entry seq {seq} does not match its hash"]


def test_an_audit_entry_changed_in_the_live_log_after_export_is_named_by_the_live_check(
    services: Services, clock: MovableClock
) -> None:
    _appealed(services, clock, "A-2026-114")
    found = check(case_record.export(services, INTAKE, "A-2026-114").content)
    seq = found.entries[2][0]

    with services.db.unit_of_work() as uow:
        uow.conn.execute(update(audit_log).where(audit_log.c.seq == seq).values(hash="0" * 64))
        uow.commit()

    problems = case_record.live_check(services, found.entries, found.head)
    assert problems[0] == f"audit entry seq {seq}: differs in the live log"
    assert problems[1].startswith(f"the live audit chain breaks at seq {seq}")


def test_rcp_case_export_writes_the_archive_and_verify_checks_it_then_names_a_tampered_file(
    services: Services,
    clock: MovableClock,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _appealed(services, clock, "A-2026-115")
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))
    target = tmp_path / "record.zip"

    assert main(["case", "export", "A-2026-115", "--out", str(target)]) == 0
    assert main(["case", "verify", str(target)]) == 0
    held = capsys.readouterr().out
    files = _files(target.read_bytes())
    files["case.json"] = files["case.json"].replace(b"A-2026-115", b"A-2026-999")
    target.write_bytes(_repacked(files))
    assert main(["case", "verify", "--offline", str(target)]) == 1
    broken = capsys.readouterr().out

    assert "live audit log: checked" in held
    assert "record holds: every file matches its manifest" in held
    assert "case.json: content changed (SHA-256 differs from the manifest)" in broken
    assert "record does NOT hold" in broken


def test_rcp_case_export_of_an_unknown_case_says_so(
    services: Services,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))

    assert main(["case", "export", "A-NONE", "--out", str(tmp_path / "x.zip")]) == 2
    assert "case A-NONE does not exist" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()


def test_an_integrator_reads_the_record_through_the_api_with_the_read_scope_only(
    services: Services, clock: MovableClock
) -> None:
    _appealed(services, clock, "A-2026-118")
    http = app_for(services).test_client()

    answer = http.get("/api/v1/cases/A-2026-118/record", headers=token(services, "portal", "read"))
    refused = http.get("/api/v1/cases/A-2026-118/record", headers=token(services, "starter", "start"))
    missing = http.get("/api/v1/cases/A-NONE/record", headers=token(services, "reader", "read"))

    assert answer.status_code == 200
    assert answer.mimetype == "application/zip"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="A-2026-118-record.zip"'
    found = check(answer.data)
    assert (found.business_key, found.problems) == ("A-2026-118", [])
    assert case_record.live_check(services, found.entries, found.head) == []
    assert refused.status_code == 403
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"


def test_a_record_checked_against_another_systems_audit_log_says_so_once(
    services: Services, clock: MovableClock
) -> None:
    _appealed(services, clock, "A-2026-119")
    found = check(case_record.export(services, INTAKE, "A-2026-119").content)
    elsewhere = [(seq + 10_000, digest) for seq, digest in found.entries]

    assert case_record.live_check(services, elsewhere, None) == [
        "the live audit log holds none of the record's entries: not the system that made it?"
    ]
