"""What decision tasks show beside their form: the appeal and the denial it answers, each round's answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.identity.actors import Actor
from service.services import Services
from service.views import taskpage
from tests.integration.test_scenarios_appeals import _denied
from tests.integration.test_scenarios_applications import REVIEW_FORM, application
from tests.integration.test_scenarios_enforcement import IOR, failure
from tests.program_support import (
    AUDITOR,
    DIRECTOR,
    HQ,
    REVIEWER,
    Case,
    certified_recordkeeper,
    moment,
    program_services,
)


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def _shown(case: Case, task: str, actor: Actor) -> dict[str, list[str]]:
    """Return the task page's context items as label -> lines (what the person reads)."""
    page = taskpage.page(case.services, case.task(task)["id"], actor)
    return {item.label: item.lines for item in page.context}


def test_headquarters_sees_the_appeals_grounds_and_the_denial_it_answers(
    services: Services, clock: MovableClock
) -> None:
    case, number = _denied(services, clock, "A-2026-301")
    clock.set(moment("2026-01-20"))
    case.deliver(
        "appeal_received",
        {"notice_number": number},
        received_on="2026-01-20",
        grounds="Our compliance manager was designated on 2025-12-01.",
    )

    shown = _shown(case, "decide_denial_appeal", HQ)

    assert shown["Grounds of the appeal"] == ["Our compliance manager was designated on 2025-12-01."]
    assert shown["Appeal received on"] == ["2026-01-20"]
    assert shown["Notice of denial appealed"] == [f"Notice {number}, issued 2026-01-05"]
    assert shown["Grounds of denial (§163.13(b)(1))"] == ["(i) Has not met §163.12(b)(3)"]
    assert shown["Reasons for the denial"] == ["No designated responsible individual (§163.12(b)(3)(iv))."]
    assert shown["Reviewer's reasons"] == ["Element (iv) is missing."]
    assert shown["Denied by"] == ["dora, Jan 5, 2026, 4:00 AM EST"]  # the Director who decided, and when
    page = taskpage.page(services, case.task("decide_denial_appeal")["id"], HQ)
    [notice] = [item for item in page.context if item.notice]
    assert notice.notice == number  # the page links it to the notice itself


def test_the_reviewers_second_round_shows_what_the_applicant_sent_in_the_first(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "application_review", application("A-2026-302"), "A-2026-302")
    assert _shown(case, "review_application", REVIEWER) == {}  # nothing has arrived yet
    case.complete(
        "review_application",
        {**REVIEW_FORM, "review_next_step": "request_information", "information_needed": "Your procedures."},
    )
    assert _shown(case, "await_information", REVIEWER) == {}  # a task that declares no context shows none
    clock.set(moment("2026-01-25"))
    case.deliver("information_received", {"application_number": "A-2026-302"}, documents=["procedures.pdf"])

    second = _shown(case, "review_application", REVIEWER)

    assert second["Information the applicant sent"] == ["Documents: procedures.pdf"]
    assert second["Information last asked for"] == ["Your procedures."]
    assert second["Days of the last suspension"] == ["20"]
    page = taskpage.page(services, case.task("review_application")["id"], REVIEWER)
    [arrived] = [i for i in page.context if i.label == "Information the applicant sent"]
    assert arrived.received == "Jan 25, 2026, 4:00 AM EST"

    case.complete(
        "review_application",
        {**REVIEW_FORM, "review_next_step": "request_information", "information_needed": "Your bond."},
    )
    clock.set(moment("2026-02-02"))
    case.deliver("information_received", {"application_number": "A-2026-302"}, documents=["bond.pdf"])

    third = _shown(case, "review_application", REVIEWER)
    assert third["Information the applicant sent (1 of 2)"] == ["Documents: procedures.pdf"]
    assert third["Information the applicant sent (2 of 2)"] == ["Documents: bond.pdf"]
    assert third["Information last asked for"] == ["Your bond."]


def test_the_director_sees_the_recommendation_with_its_titles(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "application_review", application("A-2026-303"), "A-2026-303")
    case.complete(
        "review_application",
        {**REVIEW_FORM, "review_next_step": "recommend_denial", "review_reasons": "Element (iv) is missing."},
    )

    shown = _shown(case, "decide_application", DIRECTOR)

    assert shown["Reviewer's recommendation"] == ["Recommend denial"]
    assert shown["Reasons for the recommendation"] == ["Element (iv) is missing."]
    assert shown["Recommended by"] == ["rita, Jan 5, 2026, 4:00 AM EST"]
    assert shown["In compliance with the customs laws and regulations?"] == ["Yes"]
    assert shown["Showing under §163.12(b)(3)"][0] == "(i) Understands the legal requirements: Shown"


def test_headquarters_sees_the_removal_an_appeal_answers_with_its_grounds_by_their_titles(
    services: Services, clock: MovableClock
) -> None:
    certified_recordkeeper(services, IOR)
    proposed = {
        "importer_number": IOR,
        "proposed_grounds": ["no_valid_bond"],
        "removal_facts": "The bond lapsed.",
    }
    case = Case.start(services, clock, "certification_removal", proposed, "RM-301")
    case.complete(
        "decide_removal",
        {
            "removal_decision": "remove",
            "removal_grounds": ["no_valid_bond"],
            "removal_statement": "The bond lapsed on 2025-12-31.",
            "removal_immediate_basis": "none",
        },
    )
    number = case.notice("removal")["noticeNumber"]
    clock.set(moment("2026-01-15"))
    case.deliver(
        "appeal_received", {"notice_number": number}, received_on="2026-01-15", grounds="Bond renewed."
    )

    shown = _shown(case, "decide_removal_appeal", HQ)

    assert shown["Grounds of the appeal"] == ["Bond renewed."]
    assert shown["Notice of removal appealed"] == [f"Notice {number}, issued 2026-01-05"]
    assert shown["Grounds (§163.13(c)(1))"] == ["(ii) No valid bond"]
    assert shown["Statement of the grounds"] == ["The bond lapsed on 2025-12-31."]
    assert shown["Effective immediately because"] == ["Not immediate: after the appeal window (§163.13(d))"]


def test_the_director_deciding_a_removal_after_a_willful_failure_sees_the_assessment(
    services: Services, clock: MovableClock
) -> None:
    certified_recordkeeper(services, IOR)
    case = Case.start(services, clock, "notice_of_violation", failure("D-391", "1000.00"), "D-391")
    assert _shown(case, "assess_failure", AUDITOR)["Certified participant"] == ["Yes"]
    case.complete(
        "assess_failure",
        {
            "violation_willful": "yes",
            "violation_in_compliance": "no",
            "violation_assessment": "Refused twice in writing to produce the invoice.",
        },
    )
    case.complete("open_penalty_case", {"penalty_case_number": "PEN-2026-91"})

    shown = _shown(case, "decide_removal", DIRECTOR)

    assert shown["Was the failure willful?"] == ["Yes: willful"]
    assert shown["Is the participant generally in compliance with the program?"] == ["No"]
    assert shown["Assessment of the failure"] == ["Refused twice in writing to produce the invoice."]


def test_after_a_site_visit_the_reviewer_and_the_director_see_its_findings(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "application_review", application("A-2026-304"), "A-2026-304")
    case.complete("review_application", {**REVIEW_FORM, "review_next_step": "onsite_verification"})
    case.complete("schedule_visit", {"onsite_visit_date": "2026-02-10", "onsite_visit_place": "1 Pier Road"})
    clock.set(moment("2026-02-10"))
    visit = {"onsite_visited_on": "2026-02-10", "onsite_findings": "Records kept as described."}
    case.complete("record_findings", {**visit, "onsite_requirements": "met"})

    shown = _shown(case, "review_application", REVIEWER)

    assert shown["On-site visit on"] == ["2026-02-10"]
    assert shown["On-site findings"] == ["Records kept as described."]
    assert shown["On-site: requirements of §163.12(b)(3)"] == ["Met"]
