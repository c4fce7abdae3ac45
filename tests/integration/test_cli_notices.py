"""``rcp notices`` shows what the program issued, in the default run with no SMTP configured."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from service.cli import main
from service.clock import MovableClock
from tests.integration.test_scenarios_applications import application
from tests.program_support import Case, program_services


def test_the_notices_command_lists_prints_and_exports_a_notice(
    sqlite_url: str,
    tmp_path: Path,
    clock: MovableClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    services = program_services(sqlite_url, tmp_path, clock)
    Case.start(services, clock, "application_review", application("A-2026-080", "other"), "A-2026-080")
    services.close()
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))
    number = "RCP-INEL-2026-00001"

    assert main(["notices"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "NUMBER               ISSUED      KIND                  CASE        RECIPIENT           E-MAIL",
        f"{number}  2026-01-05  ineligible_applicant  A-2026-080  Harbor Imports LLC  pending",
    ]
    assert main(["notices", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "noticeNumber": number,
            "issuedOn": "2026-01-05",
            "kind": "ineligible_applicant",
            "caseRef": "A-2026-080",
            "recipient": "Harbor Imports LLC",
            "email": "pending",
        }
    ]
    assert main(["notices", "--show", number]) == 0
    assert "Reasons:" in capsys.readouterr().out
    assert main(["notices", "--pdf", number, "--out", str(tmp_path / "n.pdf")]) == 0
    assert (tmp_path / "n.pdf").read_bytes().startswith(b"%PDF-")
