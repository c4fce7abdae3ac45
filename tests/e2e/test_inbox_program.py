"""The inbox on the program's own application_review process: nested form, notices, suspension."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from lxml import html

from service import create_app
from service.clock import MovableClock
from service.views import casefile, instances
from tests.e2e.inbox_world import World, csrf, field_errors, notices, page_tables
from tests.integration.test_scenarios_applications import application
from tests.program_support import Case, program_services

SHOWN = {f"review_showing.{part}": "shown" for part in ("i", "ii", "iii", "iv", "v", "vi")}


@pytest.fixture
def world(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(db_url, tmp_path, clock)
    yield World(services, create_app(services=services))
    services.close()


def _assert_the_nested_showing_group_is_drawn(rita: FlaskClient, task_id: str) -> None:
    """Check the six-part showing of §163.12(b)(3) is one required group with three choices each."""
    page = html.fromstring(rita.get(f"/tasks/{task_id}").text)
    [group] = page.xpath("//fieldset[@id='field-review_showing']")
    assert group.find("legend").text_content().split() == ["Showing", "under", "§163.12(b)(3)", "(required)"]
    assert len(group.xpath(".//input[@type='radio' and @name='review_showing.iv']")) == 3


def _assert_an_empty_request_names_the_nested_and_conditional_fields(rita: FlaskClient, task_id: str) -> None:
    """Send the form with only the next step and check both missing fields are named."""
    first = rita.post(
        f"/tasks/{task_id}",
        data={"csrf_token": csrf(rita), "action": "complete", "review_next_step": "request_information"},
    )
    assert first.status_code == 422
    errors = field_errors(first.text)
    assert (
        errors["review_showing__i"]
        == "Choose an option for \u201c(i) Understands the legal requirements\u201d"
    )
    assert (
        errors["information_needed"] == "Enter a value for \u201cInformation needed from the applicant\u201d"
    )


def _ask_for_information(world: World, rita: FlaskClient, case: Case, task_id: str) -> None:
    """Complete the review asking for procedures, and check the nested answer was stored."""
    done = rita.post(
        f"/tasks/{task_id}",
        data={
            "csrf_token": csrf(rita),
            "action": "complete",
            **SHOWN,
            "review_in_compliance": "yes",
            "review_business": "Mid-size importer of machine parts, about 400 entries a year.",
            "review_next_step": "request_information",
            "information_needed": "Your written recordkeeping procedures.",
        },
    )
    assert done.status_code == 303
    assert notices(rita.get("/inbox").text)[0].startswith(
        "\u201cReview completeness and compliance\u201d completed for case A-2026-001."
    )
    [completed] = [
        e
        for e in instances.history(world.services, case.id)
        if e["action"] == "complete" and e["outcome"] == "ok"
    ]
    assert completed["data"]["review_showing"] == {
        part: "shown" for part in ("i", "ii", "iii", "iv", "v", "vi")
    }


def _assert_the_case_page_shows_notices_and_the_suspension(
    world: World, rita: FlaskClient, case: Case
) -> None:
    """Check the case page lists both notices and the open suspension the request started."""
    view = rita.get(f"/cases/{case.id}")
    assert view.status_code == 200
    tables = page_tables(view.text)
    sent = next(t for t in tables if t and "E-mail" in t[0])
    assert [n["Notice"].split(" (PDF")[0] for n in sent][:1] == [case.notices()[0]["subject"]]
    assert len(sent) == len(case.notices()) == 2
    suspension = next(t for t in tables if t and "Until" in t[0])
    assert suspension == [
        {
            "From": "Jan 5, 2026, 4:00 AM EST",  # 09:00 UTC in the offices' zone
            "Until": "still suspended",
            "Days": "-",
            "By": "information request A-2026-001-IR1",
            "Reason": "Your written recordkeeping procedures.",
        }
    ]
    assert (
        "review_application" in casefile.progress(world.services, case.id, world.actor("rita"))["completed"]
    )


def test_a_reviewer_asks_for_information_from_the_web_and_the_case_shows_notices_and_suspension(
    world: World, clock: MovableClock
) -> None:
    case = Case.start(world.services, clock, "application_review", application(), "A-2026-001")
    task_id = case.task("review_application")["id"]
    rita = world.client("rita")
    [row] = page_tables(rita.get("/inbox?view=queue").text)[0]
    assert row["Case"] == "A-2026-001 Harbor Imports LLC"
    rita.post(f"/tasks/{task_id}/claim", data={"csrf_token": csrf(rita)})

    _assert_the_nested_showing_group_is_drawn(rita, task_id)
    _assert_an_empty_request_names_the_nested_and_conditional_fields(rita, task_id)
    _ask_for_information(world, rita, case, task_id)
    _assert_the_case_page_shows_notices_and_the_suspension(world, rita, case)


def test_a_notice_opens_as_text_and_as_the_pdf_issued(world: World, clock: MovableClock) -> None:
    case = Case.start(world.services, clock, "application_review", application(), "A-2026-002")
    [issued] = case.notices()
    rita = world.client("rita")

    text = rita.get(f"/notices/{issued['noticeNumber']}")
    pdf = rita.get(f"/notices/{issued['noticeNumber']}.pdf")

    assert text.status_code == 200
    shown = html.fromstring(text.text)
    assert shown.xpath("string(//h1)") == issued["subject"]
    assert shown.xpath("string(//div[@class='notice-text'])") == issued["text"]
    assert (pdf.status_code, pdf.mimetype) == (200, "application/pdf")
    assert pdf.data.startswith(b"%PDF")
    assert world.client("fred").get(f"/notices/{issued['noticeNumber']}.pdf").status_code == 404
