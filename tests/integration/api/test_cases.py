"""Following a whole case through the API (issue 13: 1, 3, 8): its family, every round, every notice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from service.clock import MovableClock
from service.services import Services
from tests.apikit import app_for, token
from tests.integration.test_scenarios_applications import REVIEW_FORM, application
from tests.program_support import Case, moment, program_services

NUMBER = "A-2026-090"
ROUNDS = [  # asked on, answered on, what was needed
    ("2026-01-05", "2026-01-12", "Your written recordkeeping procedures."),
    ("2026-01-12", "2026-01-15", "The name of your responsible individual."),
    ("2026-01-15", "2026-01-25", "Your bond details."),
]


@pytest.fixture
def program(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


@pytest.fixture
def http(program: Services) -> FlaskClient:
    return app_for(program).test_client()


def _read(http: FlaskClient, program: Services, url: str) -> Any:
    answer = http.get(f"/api/v1{url}", headers=_reader(program))
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def _reader(program: Services, kept: dict[int, dict[str, str]] = {}) -> dict[str, str]:  # noqa: B006
    """Return the headers of one token with the read scope per service (created once)."""
    if id(program) not in kept:
        kept[id(program)] = token(program, f"portal-{len(kept)}", "read")
    return kept[id(program)]


def _three_rounds_then_denied(program: Services, clock: MovableClock) -> Case:
    case = Case.start(program, clock, "application_review", application(NUMBER), NUMBER)
    for asked, answered, needed in ROUNDS:
        clock.set(moment(asked))
        case.complete(
            "review_application",
            {**REVIEW_FORM, "review_next_step": "request_information", "information_needed": needed},
        )
        clock.set(moment(answered))
        case.deliver("information_received", {"application_number": NUMBER}, documents=[f"{answered}.pdf"])
    case.complete(
        "review_application",
        {**REVIEW_FORM, "review_next_step": "recommend_denial", "review_reasons": "Element (iv) is missing."},
    )
    case.complete(
        "decide_application",
        {
            "application_decision": "deny",
            "denial_grounds": ["fails_certification_requirements"],
            "denial_reasons": "No designated responsible individual (§163.12(b)(3)(iv)).",
        },
    )
    return case


def test_every_information_round_keeps_its_own_suspension_period_with_its_dates(
    program: Services, http: FlaskClient, clock: MovableClock
) -> None:
    _three_rounds_then_denied(program, clock)

    found = _read(http, program, f"/cases/{NUMBER}")

    assert [
        (s["requestNumber"], s["start"][:10], s["end"][:10], s["days"]) for s in found["suspensions"]
    ] == [
        (f"{NUMBER}-IR1", "2026-01-05", "2026-01-12", 7),
        (f"{NUMBER}-IR2", "2026-01-12", "2026-01-15", 3),
        (f"{NUMBER}-IR3", "2026-01-15", "2026-01-25", 10),
    ]
    assert {s["citation"] for s in found["suspensions"]} == {"§163.12(c)(1)"}
    assert [s["informationNeeded"] for s in found["suspensions"]] == [r[2] for r in ROUNDS]
    assert [m["messageName"] for m in found["messages"]] == ["information_received"] * 3
    assert [m["variables"]["documents"] for m in found["messages"]] == [[f"{r[1]}.pdf"] for r in ROUNDS]


def test_decisions_name_who_decided_when_and_what_in_the_order_the_case_ran(
    program: Services, http: FlaskClient, clock: MovableClock
) -> None:
    _three_rounds_then_denied(program, clock)

    found = _read(http, program, f"/cases/{NUMBER}")

    decisions = [(d["task"], d["actor"], d["at"][:10]) for d in found["decisions"]]
    assert decisions[-2:] == [
        ("Review completeness and compliance", "rita", "2026-01-25"),
        ("Approve or deny the application", "dora", "2026-01-25"),
    ]
    assert len(decisions) == 5  # three requests for information, the recommendation, the decision
    assert found["decisions"][-1]["data"]["application_decision"] == "deny"
    moments = [e["at"] for e in found["history"]]
    assert moments == sorted(moments)
    kinds = [e["kind"] for e in found["history"]]
    assert kinds.count("suspension") == 3 and kinds.count("resumption") == 3
    assert kinds[0] == "start"
    assert not any("_" in e["summary"].split(":")[0] for e in found["history"])  # labels, not ids
    denied = [e for e in found["history"] if e["summary"] == "Approve or deny the application completed"]
    assert {"label": "Application decision", "value": "deny"} in denied[0]["details"]
    asked = next(e for e in found["history"] if e["kind"] == "suspension")
    assert {"label": "Information needed", "value": ROUNDS[0][2]} in asked["details"]


def test_a_denial_appealed_shows_the_pending_appeal_and_every_notice_from_the_application_number(
    program: Services, http: FlaskClient, clock: MovableClock
) -> None:
    case = _three_rounds_then_denied(program, clock)
    denial = case.notice("denial")["noticeNumber"]
    clock.set(moment("2026-01-28"))
    case.deliver(
        "appeal_received", {"notice_number": denial}, received_on="2026-01-28", grounds="Designated."
    )

    pending = _read(http, program, f"/cases/{NUMBER}")
    [appeal] = pending["appeals"]
    assert pending["pendingAppeal"] == appeal["appealNumber"]
    assert (appeal["noticeNumber"], appeal["decisionDueOn"], appeal["decision"]) == (
        denial,
        "2026-02-27",
        None,
    )
    assert "Decide the denial appeal" in pending["stage"]
    assert [t["name"] for t in pending["openTasks"]] == ["decide_denial_appeal"]
    assert any(d["citation"] == "§163.13(d)" for d in pending["deadlines"])

    case.complete("decide_denial_appeal", {"appeal_outcome": "upheld", "appeal_reasons": "Not designated."})
    decided = _read(http, program, f"/cases/{NUMBER}")

    assert decided["pendingAppeal"] is None
    assert decided["appeals"][0]["decision"] == "upheld"
    kinds = [n["kind"] for n in decided["notices"]]
    assert kinds[:1] == ["acknowledgement"] and kinds.count("information_request") == 3
    assert kinds[-2:] == ["denial", "appeal_decision"]
    refs = {n["kind"]: n["caseRef"] for n in decided["notices"]}
    assert refs["denial"] == NUMBER and refs["appeal_decision"] == appeal["appealNumber"]  # another number
    listed = _read(http, program, f"/notices?businessKey={NUMBER}")
    assert "appeal_decision" not in [n["kind"] for n in listed["items"]]  # filed under the appeal's number
    assert decided["status"] == "completed"


def test_the_case_list_finds_cases_by_number_prefix_applicant_name_and_status_a_page_at_a_time(
    program: Services, http: FlaskClient, clock: MovableClock
) -> None:
    for n in range(3):
        clock.set(moment("2026-01-05", 9 + n))
        other = application(f"A-2026-10{n}")
        other["applicant"] = {**other["applicant"], "name": "Atlantic Freight Co", "importer_number": "IOR-9"}
        Case.start(program, clock, "application_review", other, f"A-2026-10{n}")
    _three_rounds_then_denied(program, clock)

    first = _read(http, program, "/cases?businessKey=A-2026-10&maxResults=2")
    second = _read(http, program, f"/cases?businessKey=A-2026-10&maxResults=2&cursor={first['next']}")
    assert [c["businessKey"] for c in first["items"] + second["items"]] == [
        "A-2026-102",
        "A-2026-101",
        "A-2026-100",
    ]
    assert second["next"] is None
    by_name = _read(http, program, "/cases?applicant=harbor%20IMPORTS&status=waiting&status=error")
    assert [(c["businessKey"], c["applicant"], c["status"]) for c in by_name["items"]] == [
        (NUMBER, "Harbor Imports LLC", "waiting")  # the denial's appeal window is open
    ]
    assert _read(http, program, "/cases?applicant=harbor&status=completed")["items"] == []
    assert _read(http, program, "/cases?applicant=nobody")["items"] == []
    missing = http.get("/api/v1/cases/A-0000", headers=token(program, "reader-missing", "read"))
    assert missing.status_code == 404


def _approved(program: Services, clock: MovableClock, number: str) -> Case:
    case = Case.start(program, clock, "application_review", application(number), number)
    case.complete(
        "review_application",
        {**REVIEW_FORM, "review_next_step": "recommend_approval", "review_reasons": "All six shown."},
    )
    case.complete(
        "decide_application", {"application_decision": "approve", "certification_conditions": ["Self-audit"]}
    )
    return case


def test_a_removal_started_later_for_the_participant_joins_the_application_s_family_with_its_notice(
    program: Services, http: FlaskClient, clock: MovableClock
) -> None:
    _approved(program, clock, NUMBER)
    clock.set(moment("2026-03-02"))
    removal = Case.start(
        program,
        clock,
        "certification_removal",
        {
            "importer_number": "IOR-55-1234567",
            "proposed_grounds": ["no_valid_bond"],
            "removal_facts": "The bond lapsed.",
        },
        "RM-2026-001",
    )
    removal.complete(
        "decide_removal",
        {
            "removal_decision": "remove",
            "removal_grounds": ["no_valid_bond"],
            "removal_statement": "The bond lapsed on 2026-02-28.",
            "removal_immediate_basis": "none",
        },
    )

    found = _read(http, program, f"/cases/{NUMBER}")

    assert [(m["processKey"], m["businessKey"], m["status"]) for m in found["family"]] == [
        ("application_review", NUMBER, "completed"),
        ("certification_removal", "RM-2026-001", "waiting"),
    ]
    assert found["family"][1]["relation"] == "acts on the participant's certification"
    assert [n["kind"] for n in found["notices"]][-2:] == ["certification", "removal"]
    assert found["decisions"][-1]["task"] == "Decide on removal"
    assert any("§163.13" in (d["citation"] or "") for d in found["deadlines"])
    own = _read(http, program, "/cases/RM-2026-001")  # the removal's own case: no application in it
    assert [m["processKey"] for m in own["family"]] == ["certification_removal"]
