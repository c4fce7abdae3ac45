"""``rcp documents expire`` lists documents past retention and, with ``--apply``, removes them."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from service.actions import documents, lifecycle, starting
from service.actions.deployment import deploy
from service.cli import main
from service.clock import MovableClock
from service.views import documents as reading
from tests.support import INTEGRATOR, SUPERVISOR, Switchboard, make_services, processes

PORTAL = replace(INTEGRATOR, scopes=frozenset({"start", "documents"}))


def test_expire_lists_by_default_and_removes_with_apply_leaving_audited_tombstones(
    sqlite_url: str,
    tmp_path: Path,
    clock: MovableClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    services = make_services(sqlite_url, tmp_path, clock, Switchboard())
    deploy(services, processes(), INTEGRATOR)
    for key in ("A-1", "A-2"):
        variables = {"application_number": key, "received_on": "2026-01-05"}
        starting.start(services, "smoke", variables, PORTAL, business_key=key)
    [closed] = documents.attach(
        services, PORTAL, "A-1", [documents.Upload("old.pdf", io.BytesIO(b"%PDF-1 a"))]
    )
    documents.attach(services, PORTAL, "A-2", [documents.Upload("open.pdf", io.BytesIO(b"%PDF-1 b"))])
    lifecycle.cancel(services, closed["instance_id"], SUPERVISOR, "withdrawn")
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("RCP_DOCUMENT_RETENTION_YEARS", "0")  # the closed case is past retention now
    monkeypatch.setenv("RCP_DOCUMENT_SWEEP_GRACE", "0")

    assert main(["documents", "expire", "--json"]) == 0
    assert [d["id"] for d in json.loads(capsys.readouterr().out)] == [closed["id"]]
    assert reading.listing(services, PORTAL, "A-1")[0]["deleted"] is None  # listing removed nothing

    assert main(["documents", "expire", "--apply"]) == 0
    out = capsys.readouterr().out
    assert "old.pdf" in out
    assert "1 document(s) removed" in out
    [tombstone] = reading.listing(services, PORTAL, "A-1")
    assert tombstone["deleted"] is not None
    assert tombstone["deleted"]["reason"] == "retention period ended"
    assert reading.listing(services, PORTAL, "A-2")[0]["deleted"] is None  # its case is open
    assert not services.documents.exists(closed["sha256"])
    with services.db.unit_of_work(readonly=True) as uow:
        assert "expire_document" in [e["action"] for e in uow.audit.for_instance(closed["instance_id"])]
    assert main(["documents", "expire", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    services.close()
